package dev.ferry.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One DNS-over-TCP connection (after a 2-byte length frame decoder): several queries, answered in the order they came,
 * at most {@link DnsServerConfig#maxTcpInFlight()} in flight (reading pauses above it and while the socket is not
 * writable). Closed when a frame is shorter than a DNS header, and when no complete query arrived and nothing was in
 * flight for {@link DnsServerConfig#tcpIdleTimeout()} (bytes of an unfinished frame do not count). Confined to the
 * connection's event loop; responses of forwarded queries are handed over to it.
 */
final class TcpSession extends ChannelInboundHandlerAdapter {
    private final Responder responder;
    private final DnsMetrics metrics;
    private final int maxInFlight;
    private final long idleNanos;
    private final ArrayDeque<Slot> inFlight = new ArrayDeque<>();
    private Channel channel;
    private long lastActive;
    private ScheduledFuture<?> idleCheck;

    TcpSession(Responder responder, DnsMetrics metrics, DnsServerConfig config) {
        this.responder = responder;
        this.metrics = metrics;
        this.maxInFlight = config.maxTcpInFlight();
        this.idleNanos = config.tcpIdleTimeout().toNanos();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        lastActive = System.nanoTime();
        idleCheck = channel.eventLoop().schedule(this::checkIdle, idleNanos, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    private void checkIdle() {
        if (!channel.isOpen()) {
            return;
        }
        long now = System.nanoTime();
        long idle = now - lastActive;
        if (inFlight.isEmpty() && idle >= idleNanos) {
            channel.close();
            return;
        }
        long delay = inFlight.isEmpty() ? idleNanos - idle : idleNanos;
        idleCheck = channel.eventLoop().schedule(this::checkIdle, delay, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        byte[] q;
        try {
            q = new byte[frame.readableBytes()];
            frame.readBytes(q);
        } finally {
            frame.release();
        }
        if (!channel.isOpen()) {
            return;
        }
        if (q.length < QueryView.HEADER) {
            metrics.dropped("short");
            channel.close();
            return;
        }
        lastActive = System.nanoTime();
        Slot slot = new Slot(lastActive);
        inFlight.add(slot);
        if (inFlight.size() >= maxInFlight) {
            channel.config().setAutoRead(false);
        }
        byte[] cached = responder.cached(q, q.length, Transport.TCP);
        if (cached != null) {
            slot.reply(cached);
            slot.end();
        } else {
            responder.handle(q, q.length, Transport.TCP, slot);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateAutoRead();
        ctx.fireChannelWritabilityChanged();
    }

    private void updateAutoRead() {
        boolean read = channel.isWritable() && inFlight.size() < maxInFlight;
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    /** Writes the responses of the finished queries at the head, in order. */
    private void drain() {
        boolean wrote = false;
        while (!inFlight.isEmpty() && inFlight.peek().ended) {
            Slot s = inFlight.poll();
            for (byte[] wire : s.replies) {
                ByteBuf out = channel.alloc().buffer(wire.length + 2);
                out.writeShort(wire.length).writeBytes(wire);
                channel.write(out, channel.voidPromise());
                wrote = true;
            }
            metrics.duration(Transport.TCP, System.nanoTime() - s.start);
        }
        if (wrote) {
            channel.flush();
            lastActive = System.nanoTime();
        }
        updateAutoRead();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof java.io.IOException)) {
            metrics.error(); // a client's reset is an IOException; anything else is a bug
        }
        DnsServer.LOG.debug("TCP connection {}", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    /** The responses of one query; filled on any thread, written on the connection's loop. */
    private final class Slot implements Responder.Sink {
        final long start;
        final List<byte[]> replies = new ArrayList<>(1);
        boolean ended;

        Slot(long start) {
            this.start = start;
        }

        @Override
        public void reply(byte[] wire) {
            if (channel.eventLoop().inEventLoop()) {
                replies.add(wire);
            } else {
                channel.eventLoop().execute(() -> replies.add(wire));
            }
        }

        @Override
        public void end() {
            if (channel.eventLoop().inEventLoop()) {
                ended = true;
                drain();
            } else {
                channel.eventLoop().execute(() -> {
                    ended = true;
                    drain();
                });
            }
        }
    }
}
