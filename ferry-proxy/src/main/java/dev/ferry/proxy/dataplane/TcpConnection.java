package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.Pick;
import dev.ferry.proxy.route.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One proxied TCP connection: the accepted client socket and, once a candidate accepted, the upstream socket to its
 * backend, both served by one event loop (so no field here needs synchronisation), as two {@link EpollIoHandle}s.
 *
 * <p>Life cycle: the candidates of the {@link Pick} are tried in order (at most
 * {@link DataPlaneConfig#maxConnectAttempts()} distinct ones, each bounded by the connect timeout); the first that
 * accepts becomes the upstream, and only then is the client socket watched; if none does, the client is reset.
 *
 * <p>Both sockets are registered once, edge-triggered, for input, output and the peer's shutdown, so no interest
 * ever changes. A side is <em>readable</em> from an input edge until a read returns less than asked (after the
 * peer's shutdown: until end of input); later input raises a new edge.
 *
 * <p>Flow control: bytes read on one side are written to the other at once through a per-thread buffer; what the
 * other side does not take is kept (one buffer per direction) and this side is not read until the other has taken it
 * all, so a peer that does not read holds at most one buffer ({@link #BUFFER_SIZE}) plus the kernel's socket buffers
 * and stalls only its own connection.
 *
 * <p>Half-close: end of input on one side becomes a FIN on the other after the data before it; once both directions
 * have ended both sockets close. A read or write error (e.g. a reset) on either side resets both.
 */
final class TcpConnection {
    /** Bytes moved per read; also the most a direction holds for a peer that does not read. */
    static final int BUFFER_SIZE = Plane.SCRATCH_SIZE;
    private static final EpollIoOps INTEREST = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT)
            .with(EpollIoOps.EPOLLRDHUP).with(EpollIoOps.EPOLLET);
    private static final int IN = EpollIoOps.EPOLLIN.value();
    private static final int OUT = EpollIoOps.EPOLLOUT.value();
    private static final int ERR = EpollIoOps.EPOLLERR.value();
    /** EPOLLHUP (sys/epoll.h); reported whether asked for or not. */
    private static final int HUP = 0x10;
    /** The peer will send nothing more: read until end of input, since no later edge will come. */
    private static final int PEER_DONE = EpollIoOps.EPOLLRDHUP.value() | HUP | ERR;

    private final Plane plane;
    private final TcpListener listener;
    private final Route route;
    private final IoEventLoop loop;
    private final InetSocketAddress clientAddress;
    private final Pick pick;
    private final Side client;

    private int nextCandidate;
    private int attempts;
    private Backend attempting;
    private Future<?> connectTimeout;
    private Side upstream;
    private Backend backend;
    private BackendCounters counters;
    /** Both sockets are closed (or being reset); nothing more happens. */
    private boolean closed;
    /** Closing was asked for: nothing more is read, and both close once what is held is written. */
    private boolean draining;

    TcpConnection(Plane plane, TcpListener listener, Route route, IoEventLoop loop, TcpSocket client,
            InetSocketAddress clientAddress, Pick pick) {
        this.plane = plane;
        this.listener = listener;
        this.route = route;
        this.loop = loop;
        this.client = new Side(client, true);
        this.clientAddress = clientAddress;
        this.pick = pick;
    }

    /** Starts connecting to the first candidate; on the connection's loop. */
    void start() {
        connectNext();
    }

    /** Closes both sides (after the data they hold) because the route no longer serves the backend; any thread. */
    void closeForRemovedBackend() {
        loop.execute(() -> {
            draining = true;
            closeIfDrained();
        });
    }

    private void connectNext() {
        List<Backend> candidates = pick.candidates();
        while (nextCandidate < candidates.size() && attempts < plane.config.maxConnectAttempts()) {
            int index = nextCandidate++;
            Backend candidate = candidates.get(index);
            if (candidates.subList(0, index).contains(candidate)) {
                continue;
            }
            attempts++;
            attempt(candidate);
            return;
        }
        plane.connectFailures.increment();
        Plane.LOG.debug("{}: no backend accepted {} after {} attempt(s); resetting it", route.servicePort(),
                clientAddress, attempts);
        plane.connectionClosed();
        closed = true;
        client.socket.reset();
    }

    private void attempt(Backend candidate) {
        attempting = candidate;
        TcpSocket socket;
        try {
            socket = TcpSocket.open(candidate.address().getAddress());
        } catch (RuntimeException e) {
            attemptFailed(null, e);
            return;
        }
        Side up = new Side(socket, false);
        try {
            socket.setTcpNoDelay(true);
            InetAddress source = pick.source();
            if (source != null) {
                socket.bindAddressOnly(source);
            }
            boolean connected = socket.connect(candidate.address());
            up.register();
            if (!connected) {
                connectTimeout = loop.schedule(() -> attemptFailed(up, new IOException("connect timed out")),
                        plane.connectTimeoutMillis, TimeUnit.MILLISECONDS);
                return;
            }
        } catch (IOException | RuntimeException e) {
            attemptFailed(up, e);
            return;
        }
        // connected at once: the registration's first event reports what is there to read
        connected(up);
    }

    /** The attempt with {@code up} (null: no socket) failed; the next candidate is tried. */
    private void attemptFailed(Side up, Exception cause) {
        if (up != null) {
            if (up.closed) {
                return;
            }
            up.end(false);
        }
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
            connectTimeout = null;
        }
        Plane.LOG.debug("{}: connecting {} to {} failed: {}", route.servicePort(), clientAddress, attempting,
                String.valueOf(cause));
        connectNext();
    }

    /** {@code up} is connected: it becomes the upstream and the client is watched from now on. */
    private void connected(Side up) {
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
            connectTimeout = null;
        }
        upstream = up;
        up.peer = client;
        client.peer = up;
        backend = attempting;
        counters = plane.traffic.of(route.servicePort(), backend);
        counters.opened();
        listener.track(this, backend);
        try {
            route.connected(clientAddress, backend);
        } catch (RuntimeException e) {
            Plane.LOG.debug("{}: route failed to record {} -> {}", route.servicePort(), clientAddress, backend, e);
        }
        try {
            client.socket.setTcpNoDelay(true);
            client.register();
        } catch (IOException | RuntimeException e) {
            failed(client, e);
        }
    }

    /** An event on {@code side}: connection completion, input, room for output, or the peer's shutdown. */
    private void ready(Side side, int ops) {
        if (closed || side.closed) {
            return;
        }
        if (!side.client && side != upstream && !finishConnect(side, ops)) {
            return;
        }
        try {
            if ((ops & (OUT | ERR | HUP)) != 0 && side.held != null) {
                flush(side);
            }
            if ((ops & (IN | PEER_DONE)) != 0) {
                side.readable = true;
                if ((ops & PEER_DONE) != 0) {
                    side.peerDone = true;
                }
            }
            pump(side);
        } catch (IOException | RuntimeException e) {
            failed(side, e);
        }
    }

    /**
     * Whether the attempt with {@code up} has connected (it is then the upstream, or was reset with the client).
     * Writable without error or hang-up means connected (a connecting socket polls as neither); only otherwise is the
     * socket asked (SO_ERROR), which also names the failure.
     */
    private boolean finishConnect(Side up, int ops) {
        if ((ops & (OUT | ERR | HUP)) != OUT) {
            try {
                if (!up.socket.finishConnect()) {
                    return false;
                }
            } catch (IOException | RuntimeException e) {
                attemptFailed(up, e);
                return false;
            }
        }
        connected(up);
        return !closed;
    }

    /** Moves what {@code from} has to its peer until {@code from} runs dry, the peer is full or the read cap. */
    private void pump(Side from) throws IOException {
        Side to = from.peer;
        ByteBuffer scratch = Plane.scratch();
        for (int reads = 0; reads < Plane.TCP_READS_PER_EVENT; reads++) {
            if (!from.readable || from.inputEnded || to.held != null || draining || closed) {
                return;
            }
            scratch.clear();
            int n = from.socket.readInto(scratch);
            if (n == 0) {
                from.readable = false;
                return;
            }
            if (n < 0) {
                from.readable = false;
                inputEnded(from);
                return;
            }
            if (from.client) {
                counters.bytesToBackend.add(n);
            } else {
                counters.bytesToClient.add(n);
            }
            scratch.limit(n);
            int written = to.socket.writeFrom(scratch);
            if (written < n) {
                scratch.position(written);
                ByteBuf held = ByteBufAllocator.DEFAULT.directBuffer(n - written);
                held.writeBytes(scratch);
                to.held = held;
                return;
            }
            if (n < BUFFER_SIZE && !from.peerDone) {
                from.readable = false;
                return;
            }
        }
        // the read cap: let the loop serve others, then go on (no new edge would come for what is left)
        loop.execute(from);
    }

    /** Writes what {@code to} holds; when all is written, the direction's end (if seen) follows and reading resumes. */
    private void flush(Side to) throws IOException {
        ByteBuf held = to.held;
        int written = to.socket.writeFrom(held.internalNioBuffer(held.readerIndex(), held.readableBytes()));
        held.skipBytes(written);
        if (held.isReadable()) {
            return;
        }
        held.release();
        to.held = null;
        if (to.peer.inputEnded) {
            directionEnded(to);
        } else {
            closeIfDrained();
            pump(to.peer);
        }
    }

    private void inputEnded(Side from) throws IOException {
        from.inputEnded = true;
        if (from.peer.held == null) {
            directionEnded(from.peer);
        }
    }

    /** Everything {@code to}'s peer sent was written to {@code to}: a FIN, or the close if the other way ended too. */
    private void directionEnded(Side to) throws IOException {
        if (to.inputEnded && to.peer.held == null) {
            close();
        } else {
            to.socket.shutdown(false, true);
            closeIfDrained();
        }
    }

    private void closeIfDrained() {
        if (draining && !closed && client.held == null && upstream.held == null) {
            close();
        }
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.end(false);
        if (upstream != null) {
            upstream.end(false);
            counters.closed();
            listener.untrack(this, backend);
        }
        plane.connectionClosed();
    }

    private void failed(Side side, Exception cause) {
        if (closed) {
            return;
        }
        if (Plane.LOG.isDebugEnabled()) {
            Plane.LOG.debug("{}: {} -> {} failed on the {} side: {}", route.servicePort(), clientAddress, backend,
                    side.client ? "client" : "backend", String.valueOf(cause));
        }
        closed = true;
        client.end(true);
        if (upstream != null) {
            upstream.end(true);
            counters.closed();
            listener.untrack(this, backend);
        }
        plane.connectionClosed();
    }

    /** One socket of the connection and the state of reading it and of writing to it; runs to resume reading it. */
    private final class Side implements EpollIoHandle, Runnable {
        final TcpSocket socket;
        final boolean client;
        Side peer;
        IoRegistration registration;
        /** An input edge came and no read since found the socket empty. */
        boolean readable;
        /** The peer shut its output down (or the socket failed): no further edge will come. */
        boolean peerDone;
        /** End of input was read. */
        boolean inputEnded;
        /** Bytes for this side that its socket did not take yet; reading the peer waits for them. */
        ByteBuf held;
        boolean closed;

        Side(TcpSocket socket, boolean client) {
            this.socket = socket;
            this.client = client;
        }

        void register() {
            // in the loop the registration completes at once
            registration = loop.register(this).getNow();
            registration.submit(INTEREST);
        }

        /** Resumes reading this side (after the read cap), or closes its descriptor once it has ended. */
        @Override
        public void run() {
            if (closed) {
                closeNow();
                return;
            }
            if (TcpConnection.this.closed) {
                return;
            }
            try {
                pump(this);
            } catch (IOException | RuntimeException e) {
                failed(this, e);
            }
        }

        @Override
        public FileDescriptor fd() {
            return socket;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            ready(this, ((EpollIoEvent) event).ops().value());
        }

        /**
         * Ends this side: nothing more is read or written to it; with {@code reset} its close sends a TCP RST
         * (SO_LINGER 0). The descriptor itself closes in a task after the loop's current batch of events
         * ({@link #closeNow}).
         */
        void end(boolean reset) {
            if (closed) {
                return;
            }
            closed = true;
            if (reset) {
                socket.resetOnClose();
            }
            releaseHeld();
            loop.execute(this);
        }

        /**
         * Closes the descriptor (which takes it out of epoll), then cancels the registration (no system call then).
         * Not during a batch of events: the batch may still hold events for this descriptor's number, and a socket
         * opened later in the same batch could get that number and receive them. Until this runs they reach this
         * side, which has ended and ignores them.
         */
        private void closeNow() {
            socket.closeQuietly();
            if (registration != null) {
                registration.cancel();
            }
        }

        /** The event loop is shutting down. */
        @Override
        public void close() {
            closed = true;
            releaseHeld();
            closeNow();
        }

        private void releaseHeld() {
            if (held != null) {
                held.release();
                held = null;
            }
        }
    }
}
