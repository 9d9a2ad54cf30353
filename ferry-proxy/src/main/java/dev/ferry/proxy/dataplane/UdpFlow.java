package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Backend;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * One UDP flow: datagrams from one client address:port go out of a socket connected to the flow's backend (so only
 * that backend's replies come back), and its replies go back to the client from the frontend's socket. Confined to
 * the frontend's event loop.
 */
final class UdpFlow extends ChannelInboundHandlerAdapter {
    final InetSocketAddress client;
    final Backend backend;
    final EpollDatagramChannel upstream;
    final IdleTracker idle = new IdleTracker();
    private final UdpListener listener;
    private final BackendCounters counters;
    /** Datagrams were written since the last flush. */
    boolean unflushed;

    UdpFlow(UdpListener listener, InetSocketAddress client, Backend backend, BackendCounters counters,
            EpollDatagramChannel upstream) {
        this.listener = listener;
        this.client = client;
        this.backend = backend;
        this.counters = counters;
        this.upstream = upstream;
    }

    /** Sends one datagram of the client to the backend (flushed by the caller); takes ownership of {@code content}. */
    void forward(ByteBuf content) {
        idle.touch();
        counters.bytesToBackend.add(content.readableBytes());
        upstream.write(content, upstream.voidPromise());
    }

    void opened() {
        counters.opened();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf content = ((DatagramPacket) msg).content();
        idle.touch();
        counters.bytesToClient.add(content.readableBytes());
        listener.reply(client, content);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        counters.closed();
        listener.flowClosed(this);
    }

    /** E.g. the backend's port is unreachable (ICMP): the flow ends, so the client's next datagram picks again. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (Plane.LOG.isDebugEnabled()) {
            Plane.LOG.debug("UDP flow {} -> {} failed: {}", client, backend, String.valueOf(cause));
        }
        ctx.close();
    }
}
