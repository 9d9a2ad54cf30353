package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.Pick;
import dev.ferry.proxy.route.Route;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollSocketChannelConfig;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One proxied TCP connection: the accepted client channel and, once a candidate accepted, the upstream channel to
 * its backend, both on the client's event loop (so no field here needs synchronisation).
 *
 * <p>Life cycle: the client is registered with reading off; the candidates of the {@link Pick} are tried in order
 * (at most {@link DataPlaneConfig#maxConnectAttempts()} distinct ones, each bounded by the connect timeout); the
 * first that accepts becomes the upstream and reading starts on both sides; if none does, the client is reset.
 *
 * <p>Flow control: bytes read on one side are written to the other without waiting; when the other side's outbound
 * buffer passes its high water mark (after a flush), this side stops reading until the other becomes writable
 * again, so a peer that does not read holds at most about one water mark of memory and stalls only its own
 * connection.
 *
 * <p>Half-close: end of input on one side becomes a FIN (shutdownOutput, after pending data) on the other; once both
 * sides have ended their input both channels close. A channel that closes (peer gone, error) closes the other after
 * pending data; an error (e.g. a reset) resets the other side.
 */
final class TcpConnection implements ChannelFutureListener {
    private final Plane plane;
    private final TcpListener listener;
    private final Route route;
    private final EpollSocketChannel client;
    private final InetSocketAddress clientAddress;
    private final Pick pick;
    private final UpstreamSide upstreamSide = new UpstreamSide();
    private final ChannelFutureListener connectDone = this::connectDone;

    private int nextCandidate;
    private int attempts;
    private Backend attempting;
    private EpollSocketChannel upstream;
    private Backend backend;
    private BackendCounters counters;
    private boolean clientEof;
    private boolean upstreamEof;

    TcpConnection(Plane plane, TcpListener listener, Route route, EpollSocketChannel client,
            InetSocketAddress clientAddress, Pick pick) {
        this.plane = plane;
        this.listener = listener;
        this.route = route;
        this.client = client;
        this.clientAddress = clientAddress;
        this.pick = pick;
        // TCP_NODELAY is Netty's default on Linux: both sides send what they have at once
        EpollSocketChannelConfig c = client.config();
        c.setAutoRead(false);
        c.setAllowHalfClosure(true);
        tune(c);
        client.pipeline().addLast(new ClientSide());
    }

    /** Registration of the client channel with its event loop. */
    @Override
    public void operationComplete(ChannelFuture registered) {
        if (!registered.isSuccess()) {
            plane.connectionClosed();
            Sockets.reset(client);
        }
    }

    /** Closes both sides (after pending data) because the route no longer serves the backend; any thread. */
    void closeForRemovedBackend() {
        client.eventLoop().execute(() -> {
            if (upstream != null) {
                Sockets.closeOnFlush(upstream);
            }
            Sockets.closeOnFlush(client);
        });
    }

    private static void tune(EpollSocketChannelConfig c) {
        if (Plane.TCP_READS_PER_EVENT != 16) {
            c.setMaxMessagesPerRead(Plane.TCP_READS_PER_EVENT);
        }
        if (Plane.WRITE_HIGH_WATER_MARK != 64 * 1024) {
            c.setWriteBufferWaterMark(new WriteBufferWaterMark(Plane.WRITE_HIGH_WATER_MARK / 2, Plane.WRITE_HIGH_WATER_MARK));
        }
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
        Sockets.reset(client);
    }

    private void attempt(Backend candidate) {
        attempting = candidate;
        InetAddress source = pick.source();
        EpollSocketChannel up = new EpollSocketChannel(Sockets.family(candidate.address().getAddress()));
        EpollSocketChannelConfig c = up.config();
        c.setAllowHalfClosure(true);
        tune(c);
        c.setConnectTimeoutMillis((int) plane.connectTimeoutMillis);
        if (source != null) {
            // the port is chosen at connect time, per destination, so binding the client's address does not use up
            // the ephemeral ports of that address
            c.setOption(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
        up.pipeline().addLast(upstreamSide);
        client.eventLoop().register(up);
        ChannelFuture connected = source == null
                ? up.connect(candidate.address())
                : up.connect(candidate.address(), new InetSocketAddress(source, 0));
        connected.addListener(connectDone);
    }

    private void connectDone(ChannelFuture f) {
        EpollSocketChannel up = (EpollSocketChannel) f.channel();
        if (!f.isSuccess()) {
            up.close();
            Plane.LOG.debug("{}: connecting {} to {} failed: {}", route.servicePort(), clientAddress, attempting,
                    String.valueOf(f.cause()));
            if (client.isActive()) {
                connectNext();
            }
            return;
        }
        if (!client.isActive()) {
            up.close();
            return;
        }
        upstream = up;
        backend = attempting;
        counters = plane.traffic.of(route.servicePort(), backend);
        counters.opened();
        listener.track(this, backend);
        try {
            route.connected(clientAddress, backend);
        } catch (RuntimeException e) {
            Plane.LOG.debug("{}: route failed to record {} -> {}", route.servicePort(), clientAddress, backend, e);
        }
        client.config().setAutoRead(true);
    }

    private void clientClosed() {
        plane.connectionClosed();
        if (upstream != null) {
            Sockets.closeOnFlush(upstream);
        }
    }

    private void upstreamClosed() {
        counters.closed();
        listener.untrack(this, backend);
        Sockets.closeOnFlush(client);
    }

    private void clientEof() {
        clientEof = true;
        if (upstream != null) {
            if (upstreamEof) {
                bothEnded();
            } else {
                Sockets.shutdownOutputOnFlush(upstream);
            }
        }
    }

    private void upstreamEof() {
        upstreamEof = true;
        if (clientEof) {
            bothEnded();
        } else {
            Sockets.shutdownOutputOnFlush(client);
        }
    }

    private void bothEnded() {
        Sockets.closeOnFlush(client);
        Sockets.closeOnFlush(upstream);
    }

    private void failed(String side, Throwable cause) {
        if (Plane.LOG.isDebugEnabled()) {
            Plane.LOG.debug("{}: {} -> {} failed on the {} side: {}", route.servicePort(), clientAddress, backend, side,
                    String.valueOf(cause));
        }
        Sockets.reset(client);
        if (upstream != null) {
            Sockets.reset(upstream);
        }
    }

    /** The client channel's handler. */
    private final class ClientSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connectNext();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            counters.bytesToBackend.add(buf.readableBytes());
            EpollSocketChannel up = upstream;
            up.write(buf, up.voidPromise());
            if (!up.isWritable()) {
                up.flush();
                if (!up.isWritable()) {
                    client.config().setAutoRead(false);
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (upstream != null) {
                upstream.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (upstream != null && client.isWritable() && !upstreamEof) {
                upstream.config().setAutoRead(true);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                clientEof();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            clientClosed();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed("client", cause);
        }
    }

    /** The handler of every upstream channel tried; only the one that connected forwards. */
    @ChannelHandler.Sharable
    private final class UpstreamSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            counters.bytesToClient.add(buf.readableBytes());
            EpollSocketChannel c = client;
            c.write(buf, c.voidPromise());
            if (!c.isWritable()) {
                c.flush();
                if (!c.isWritable()) {
                    upstream.config().setAutoRead(false);
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            client.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel() == upstream && upstream.isWritable() && !clientEof) {
                client.config().setAutoRead(true);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent && ctx.channel() == upstream) {
                upstreamEof();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == upstream) {
                upstreamClosed();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ctx.channel() == upstream) {
                failed("backend", cause);
            } else {
                ctx.close();
            }
        }
    }
}
