package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Pick;
import dev.ferry.proxy.route.Route;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP frontend: a listening socket (SO_REUSEPORT, so several proxies on one machine can share a service address)
 * whose handler accepts connections and starts a {@link TcpConnection} for each. Connections are tracked per backend
 * so that a route change can close those to removed backends after the grace.
 */
@ChannelHandler.Sharable
final class TcpListener extends ChannelInboundHandlerAdapter implements Listener {
    /** The kernel caps it at net.core.somaxconn. */
    private static final int BACKLOG = 65535;
    /** Accepting pauses this long after an accept error (EMFILE, ENFILE, ENOBUFS), which would otherwise repeat at once. */
    private static final long ACCEPT_PAUSE_MILLIS = 100;

    private final Plane plane;
    private final Frontend frontend;
    private volatile Route route;
    private volatile boolean closed;
    private final EventLoop loop;
    private EpollServerSocketChannel channel;
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
        EpollServerSocketChannel ch = new EpollServerSocketChannel(Sockets.family(frontend.address()));
        ch.config().setReuseAddress(true);
        ch.config().setReusePort(true);
        ch.config().setBacklog(BACKLOG);
        ch.pipeline().addLast(this);
        channel = ch;
        return Sockets.registerAndBind(loop, ch, frontend, () -> { });
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
        return channel.close();
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

    void track(TcpConnection connection, Backend backend) {
        byBackend.compute(backend, (b, set) -> {
            Set<TcpConnection> s = set != null ? set : ConcurrentHashMap.newKeySet();
            s.add(connection);
            return s;
        });
    }

    void untrack(TcpConnection connection, Backend backend) {
        byBackend.computeIfPresent(backend, (b, set) -> set.remove(connection) && set.isEmpty() ? null : set);
    }

    /** Accepted connection, not yet registered with an event loop. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        EpollSocketChannel child = (EpollSocketChannel) msg;
        if (!plane.tryOpenConnection()) {
            Sockets.reset(child);
            return;
        }
        Route r = route;
        InetSocketAddress client = child.remoteAddress();
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
            Sockets.reset(child);
            return;
        }
        TcpConnection connection = new TcpConnection(plane, this, r, child, client, pick);
        plane.loops.next().register(child).addListener(connection);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            // accept(2) failed (EMFILE, ENFILE, ENOBUFS): the connection stays queued and the socket readable, so the
            // next epoll round would fail the same way at once; pause accepting instead of spinning.
            plane.acceptErrors.increment();
            plane.acceptWarnings.warn("accept on " + frontend + " failed; pausing it for " + ACCEPT_PAUSE_MILLIS
                    + " ms", cause);
            ctx.channel().config().setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> {
                if (ctx.channel().isOpen()) {
                    ctx.channel().config().setAutoRead(true);
                }
            }, ACCEPT_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            plane.acceptWarnings.warn("listener " + frontend + " failed", cause);
        }
    }
}
