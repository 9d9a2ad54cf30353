package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Pick;
import dev.ferry.proxy.route.Route;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.NativeInetAddress;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP frontend: a listening socket (SO_REUSEPORT, so several proxies on one machine can share a service address)
 * on one event loop, level-triggered, that accepts connections and starts a {@link TcpConnection} for each on the
 * next loop. With a removed-endpoint grace, connections are tracked per backend so that a route change can close
 * those to removed backends after it.
 */
final class TcpListener implements Listener {
    /** The kernel caps it at net.core.somaxconn. */
    private static final int BACKLOG = 65535;
    /** Connections accepted per readiness event before the loop serves others (as HAProxy's tune.maxaccept). */
    private static final int ACCEPTS_PER_EVENT = 64;
    /** Accepting pauses this long after an accept error (EMFILE, ENFILE, ENOBUFS), which would otherwise repeat at once. */
    private static final long ACCEPT_PAUSE_MILLIS = 100;
    /** Interest while accepting is paused: errors only (epoll reports those always). */
    private static final EpollIoOps PAUSED = EpollIoOps.EPOLLERR;

    private final Plane plane;
    private final Frontend frontend;
    private volatile Route route;
    private volatile boolean closed;
    private final IoEventLoop loop;
    /** sockaddr of the last accepted connection: its length, then the address and port as Netty encodes them. */
    private final byte[] acceptedAddress = new byte[26];
    private TcpSocket socket;
    private IoRegistration registration;
    private final ConcurrentHashMap<Backend, Set<TcpConnection>> byBackend = new ConcurrentHashMap<>();
    /** Backends with a scheduled grace check, so that a flapping route schedules one check per grace. */
    private final Set<Backend> pendingRemovals = ConcurrentHashMap.newKeySet();

    TcpListener(Plane plane, Frontend frontend, Route route) {
        this.plane = plane;
        this.frontend = frontend;
        this.route = route;
        this.loop = plane.loops.next();
    }

    @Override
    public Frontend frontend() {
        return frontend;
    }

    @Override
    public Route route() {
        return route;
    }

    @Override
    public Future<Void> bind() {
        Promise<Void> bound = loop.newPromise();
        loop.execute(() -> {
            try {
                socket = TcpSocket.open(frontend.address());
                registration = Sockets.bindAndRegister(loop, socket, BACKLOG, frontend, this::acceptWaiting,
                        this::closeSocket);
                bound.setSuccess(null);
            } catch (IOException | RuntimeException e) {
                socket = null;
                bound.setFailure(Sockets.bindError(frontend, e));
            }
        });
        return bound;
    }

    @Override
    public void swap(Route next) {
        route = next;
        Duration grace = plane.config.removedEndpointGrace();
        if (grace == null) {
            return;
        }
        for (Backend backend : byBackend.keySet()) {
            if (!next.serves(backend)) {
                scheduleRemoval(backend, grace);
            }
        }
    }

    @Override
    public Future<?> close() {
        closed = true;
        Duration grace = plane.config.removedEndpointGrace();
        if (grace != null) {
            for (Backend backend : byBackend.keySet()) {
                scheduleRemoval(backend, grace);
            }
        }
        return loop.submit(this::closeSocket);
    }

    private void closeSocket() {
        if (socket != null && socket.isOpen()) {
            socket.closeQuietly();
            registration.cancel();
        }
    }

    private void scheduleRemoval(Backend backend, Duration grace) {
        if (pendingRemovals.add(backend)) {
            loop.schedule(() -> {
                pendingRemovals.remove(backend);
                if (closed || !route.serves(backend)) {
                    Set<TcpConnection> connections = byBackend.get(backend);
                    if (connections != null) {
                        for (TcpConnection c : connections) {
                            c.closeForRemovedBackend();
                        }
                    }
                }
            }, grace.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Records a connection to {@code backend}; only with a grace, which is all the tracking serves. */
    void track(TcpConnection connection, Backend backend) {
        if (plane.config.removedEndpointGrace() != null) {
            byBackend.computeIfAbsent(backend, b -> ConcurrentHashMap.newKeySet()).add(connection);
        }
    }

    void untrack(TcpConnection connection, Backend backend) {
        if (plane.config.removedEndpointGrace() != null) {
            byBackend.computeIfPresent(backend, (b, set) -> set.remove(connection) && set.isEmpty() ? null : set);
        }
    }

    /** The listening socket is readable: connections wait in its queue. */
    private void acceptWaiting() {
        for (int i = 0; i < ACCEPTS_PER_EVENT && socket.isOpen(); i++) {
            int fd;
            try {
                fd = socket.accept(acceptedAddress);
            } catch (IOException e) {
                pauseAccepting(e);
                return;
            }
            if (fd < 0) {
                return;
            }
            accepted(new TcpSocket(fd), NativeInetAddress.address(acceptedAddress, 1, acceptedAddress[0]));
        }
    }

    private void accepted(TcpSocket child, InetSocketAddress client) {
        if (!plane.tryOpenConnection()) {
            child.reset();
            return;
        }
        Route r = route;
        Pick pick;
        try {
            pick = r.pick(client);
        } catch (RuntimeException e) {
            Plane.LOG.debug("route of {} failed to pick for {}", frontend, client, e);
            pick = Pick.REFUSE;
        }
        if (pick.refused()) {
            plane.connectionClosed();
            plane.connectionsRefused.increment();
            child.reset();
            return;
        }
        IoEventLoop target = plane.loops.next();
        TcpConnection connection = new TcpConnection(plane, this, r, target, child, client, pick);
        if (target == loop) {
            connection.start();
        } else {
            target.execute(connection::start);
        }
    }

    /**
     * accept(2) failed (EMFILE, ENFILE, ENOBUFS): the connection stays queued and the socket readable, so the next
     * epoll round would fail the same way at once; pause accepting instead of spinning.
     */
    private void pauseAccepting(IOException cause) {
        plane.acceptErrors.increment();
        plane.acceptWarnings.warn("accept on " + frontend + " failed; pausing it for " + ACCEPT_PAUSE_MILLIS + " ms",
                cause);
        registration.submit(PAUSED);
        loop.schedule(() -> {
            if (socket.isOpen()) {
                registration.submit(EpollIoOps.EPOLLIN);
            }
        }, ACCEPT_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
