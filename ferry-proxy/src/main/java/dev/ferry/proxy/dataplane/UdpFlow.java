package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Backend;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One UDP flow: datagrams from one client address:port go out of a socket connected to the flow's backend (so only
 * that backend's replies come back), and its replies go back to the client from the frontend's socket. Confined to
 * the frontend's event loop.
 */
final class UdpFlow implements EpollIoHandle, DatagramBatch.Target {
    final InetSocketAddress client;
    final Backend backend;
    final IdleTracker idle = new IdleTracker();
    private final UdpListener listener;
    private final UdpSocket upstream;
    private final BackendCounters counters;
    private IoRegistration registration;
    private boolean closed;

    UdpFlow(UdpListener listener, InetSocketAddress client, Backend backend, BackendCounters counters,
            UdpSocket upstream) {
        this.listener = listener;
        this.client = client;
        this.backend = backend;
        this.counters = counters;
        this.upstream = upstream;
    }

    /** The flow's socket's registration with the loop, made by the listener; {@link #close()} cancels it. */
    void registered(IoRegistration registration) {
        this.registration = registration;
    }

    /** The flow started: it counts as open until {@link #end()}. */
    void opened() {
        counters.opened();
    }

    @Override
    public InetSocketAddress backendAddress() {
        return backend.address();
    }

    /**
     * Sends the {@code length} bytes of {@code buffer} at {@code offset}, one datagram of the client, to the backend.
     * A full socket drops it (counted), as the network would, and so does an ended flow; a socket error (the
     * backend's port was unreachable) ends the flow, so the client's next datagram picks again.
     */
    @Override
    public void forward(ByteBuffer buffer, int offset, int length) {
        if (closed) {
            listener.dropped();
            return;
        }
        idle.touch();
        counters.bytesToBackend.add(length); // before it leaves, as replies are
        try {
            if (!upstream.sendRange(buffer, offset, length)) {
                counters.bytesToBackend.add(-length);
                listener.dropped();
            }
        } catch (IOException e) {
            counters.bytesToBackend.add(-length);
            listener.dropped();
            failed(e);
        }
    }

    @Override
    public FileDescriptor fd() {
        return upstream;
    }

    /** Replies are waiting: up to {@link Plane#UDP_DATAGRAMS_PER_EVENT} go back now, the rest at the next event. */
    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        if (closed) {
            return;
        }
        ByteBuffer buffer = Plane.scratch();
        for (int i = 0; i < Plane.UDP_DATAGRAMS_PER_EVENT; i++) {
            int length;
            try {
                length = upstream.receive(buffer);
            } catch (IOException e) {
                failed(e);
                return;
            }
            if (length < 0) {
                return;
            }
            idle.touch();
            // counted before it leaves, so that whoever has the datagram also sees it counted
            counters.bytesToClient.add(length);
            if (!listener.reply(client, buffer, length)) {
                counters.bytesToClient.add(-length);
            }
        }
    }

    private void failed(IOException cause) {
        if (Plane.LOG.isDebugEnabled()) {
            Plane.LOG.debug("UDP flow {} -> {} failed: {}", client, backend, String.valueOf(cause));
        }
        listener.flowFailed(this);
    }

    /**
     * Ends the flow: its socket closes in a task after the loop's current batch of events (see
     * {@link TcpConnection}'s sides for why not during one).
     */
    void end() {
        if (closed) {
            return;
        }
        closed = true;
        counters.closed();
        listener.loop().execute(this::close);
    }

    /** Closes the socket (which takes it out of epoll), then cancels the registration; also at loop shutdown. */
    @Override
    public void close() {
        closed = true;
        upstream.closeQuietly();
        if (registration != null) {
            registration.cancel();
        }
    }
}
