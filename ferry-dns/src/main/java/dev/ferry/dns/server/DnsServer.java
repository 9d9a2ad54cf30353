package dev.ferry.dns.server;

import dev.ferry.dns.Authority;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DNS server over UDP and TCP on Netty native epoll, answering from an {@link Authority} (see {@link Responder} for
 * the protocol choices) with a {@link AnswerCache} in front.
 *
 * <p>Each listen address gets one SO_REUSEPORT UDP socket per event loop (the kernel spreads queries over them) and one
 * TCP listening socket whose connections are spread over the loops. Resource bounds under a flood:
 * <ul>
 * <li>UDP has no queue of its own: queries are answered on the loop that read them, so a flood only fills the
 * kernel's socket buffer (and drops there); forwarded queries wait in the {@link Forwarder}, at most
 * {@link ForwarderConfig#maxPending()} (SERVFAIL beyond);
 * <li>TCP: at most {@link DnsServerConfig#maxTcpConnections()} connections (more are accepted and closed at once),
 * each with at most {@link DnsServerConfig#maxTcpInFlight()} queries in flight (reading pauses above it, and while
 * the client does not read its responses); a connection without a complete query and with nothing in flight for
 * {@link DnsServerConfig#tcpIdleTimeout()} is closed, as is one whose length prefix is below 12;
 * <li>the answer cache holds at most {@link DnsServerConfig#answerCacheEntries()} responses.
 * </ul>
 * Replies to a wildcard listen address leave from the address the kernel picks: bind the service address itself.
 */
public final class DnsServer implements AutoCloseable {
    static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
    /**
     * The largest query read over UDP; longer datagrams are cut (and then answered FORMERR or dropped). Real queries
     * are a few hundred bytes; a small slot keeps each recvmmsg buffer at 32 KiB.
     */
    private static final int MAX_DATAGRAM = 4096;
    private static final int DATAGRAMS_PER_READ = 8;
    /**
     * Receive buffer asked for each UDP socket (the kernel caps it at net.core.rmem_max): queries arriving while the
     * event loop is paused (a young collection takes 1–2 ms) wait here instead of being dropped; the default 208 KiB
     * holds about as many as one client with 200 outstanding queries sends.
     */
    private static final int UDP_RECEIVE_BUFFER = 4 << 20;
    private static final int BIND_ATTEMPTS = 8;

    private final DnsServerConfig config;
    private final Responder responder;
    private final DnsMetrics metrics;
    private final MultiThreadIoEventLoopGroup loops;
    private final List<Channel> channels = new ArrayList<>();
    private final List<InetSocketAddress> udpAddresses = new ArrayList<>();
    private final List<InetSocketAddress> tcpAddresses = new ArrayList<>();
    private final AtomicInteger tcpConnections = new AtomicInteger();
    private final AnswerCache cache;

    private DnsServer(DnsServerConfig config, Authority authority, Forwarder forwarder, DnsMetrics metrics) {
        Epoll.ensureAvailability();
        this.config = config;
        this.metrics = metrics;
        this.cache = new AnswerCache(config.answerCacheEntries());
        this.responder = new Responder(authority, forwarder, metrics, cache, config.maxUdpPayload());
        this.loops = new MultiThreadIoEventLoopGroup(config.eventLoops(), new DefaultThreadFactory("ferry-dns", true),
                EpollIoHandler.newFactory());
    }

    /**
     * Binds every address of {@code config.listen()} over UDP and TCP and serves {@code authority}; names outside it
     * go to {@code forwarder}, or are REFUSED when it is null. The forwarder stays the caller's to close.
     *
     * @throws IOException when an address cannot be bound; the message names the address, the cause and the fix
     */
    public static DnsServer start(DnsServerConfig config, Authority authority, Forwarder forwarder,
            DnsMetrics metrics) throws IOException {
        DnsServer server = new DnsServer(config, authority, forwarder, metrics);
        try {
            for (InetSocketAddress address : config.listen()) {
                server.bindAll(address);
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public List<InetSocketAddress> udpAddresses() {
        return List.copyOf(udpAddresses);
    }

    public List<InetSocketAddress> tcpAddresses() {
        return List.copyOf(tcpAddresses);
    }

    public DnsServerConfig config() {
        return config;
    }

    int answerCacheSize() {
        return cache.size();
    }

    private void bindAll(InetSocketAddress address) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < (address.getPort() == 0 ? BIND_ATTEMPTS : 1); attempt++) {
            List<Channel> bound = new ArrayList<>();
            try {
                // TCP first, without SO_REUSEPORT: a second server on the same address (another cluster's) fails
                // here instead of silently sharing the UDP port through the kernel's reuseport group
                Channel tcp = bindTcp(address);
                bound.add(tcp);
                InetSocketAddress actual = (InetSocketAddress) tcp.localAddress();
                for (int i = 0; i < config.eventLoops(); i++) {
                    bound.add(bindUdp(actual));
                }
                channels.addAll(bound);
                udpAddresses.add(actual);
                tcpAddresses.add(actual);
                return;
            } catch (IOException e) {
                for (Channel ch : bound) {
                    ch.close().awaitUninterruptibly();
                }
                last = e;
            }
        }
        throw last;
    }

    private Channel bindUdp(InetSocketAddress address) throws IOException {
        EpollDatagramChannel ch = new EpollDatagramChannel(family(address));
        ch.config().setReuseAddress(true);
        ch.config().setReusePort(true);
        ch.config().setMaxDatagramPayloadSize(MAX_DATAGRAM);
        ch.config().setReceiveBufferSize(UDP_RECEIVE_BUFFER);
        ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_DATAGRAM * DATAGRAMS_PER_READ));
        ch.pipeline().addLast(new UdpHandler());
        EventLoop loop = loops.next();
        ChannelFuture f = loop.register(ch).awaitUninterruptibly();
        if (f.isSuccess()) {
            f = ch.bind(address).awaitUninterruptibly();
        }
        if (!f.isSuccess()) {
            ch.close();
            throw bindError("UDP", address, f.cause());
        }
        return ch;
    }

    private Channel bindTcp(InetSocketAddress address) throws IOException {
        ServerBootstrap b = new ServerBootstrap().group(loops).channelFactory(() -> new EpollServerSocketChannel(
                        family(address)))
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tcpConnections.incrementAndGet() > config.maxTcpConnections()) {
                            tcpConnections.decrementAndGet();
                            metrics.tcpRejected.inc();
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> tcpConnections.decrementAndGet());
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(65535 + 2, 0, 2, 0, 2));
                        ch.pipeline().addLast(new TcpSession(responder, metrics, config));
                    }
                });
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            f.channel().close();
            throw bindError("TCP", address, f.cause());
        }
        return f.channel();
    }

    private static SocketProtocolFamily family(InetSocketAddress a) {
        return a.getAddress() instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
    }

    /** The error for a failed bind: the address, the kernel's reason, and what to do about it. */
    static IOException bindError(String proto, InetSocketAddress address, Throwable cause) {
        String reason = String.valueOf(cause == null ? "unknown error" : cause.getMessage());
        int colon = reason.lastIndexOf("): ");
        if (colon >= 0) {
            reason = reason.substring(colon + 3);
        }
        String lower = reason.toLowerCase(java.util.Locale.ROOT);
        String fix;
        if (lower.contains("permission denied") || lower.contains("access")) {
            fix = address.getPort() < 1024
                    ? "ports below 1024 need root or CAP_NET_BIND_SERVICE: run as root, grant the capability "
                            + "(setcap cap_net_bind_service=+ep on the java binary), or choose a port of 1024 or "
                            + "more (ferry: --dns-address " + address.getAddress().getHostAddress() + ":1053)"
                    : "the process may not bind this address";
        } else if (lower.contains("in use")) {
            fix = "another process serves " + proto + " port " + address.getPort() + " on this address (see `ss -lnp"
                    + " 'sport = :" + address.getPort() + "'`): stop it or choose another address or port";
        } else if (lower.contains("assign") || lower.contains("not available")) {
            fix = "the address is not configured on this host: add it (e.g. `ip addr add " + address.getAddress()
                    .getHostAddress() + " dev lo`) or listen on another address";
        } else {
            fix = "check the address";
        }
        BindException e = new BindException("cannot bind DNS " + proto + " " + address.getAddress().getHostAddress()
                + ":" + address.getPort() + ": " + reason + "; " + fix);
        e.initCause(cause);
        return e;
    }

    /** Stops serving: closes every socket and stops the event loops. */
    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close();
        }
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** One UDP socket: queries answered on its loop, responses flushed after each read batch. */
    private final class UdpHandler extends ChannelInboundHandlerAdapter {
        private Channel channel;

        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            ctx.fireChannelRegistered();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            long start = System.nanoTime();
            byte[] q;
            InetSocketAddress sender = packet.sender();
            try {
                ByteBuf content = packet.content();
                q = new byte[content.readableBytes()];
                content.readBytes(q);
            } finally {
                packet.release();
            }
            try {
                byte[] r = responder.cached(q, q.length, Transport.UDP);
                if (r != null) {
                    channel.write(new DatagramPacket(Unpooled.wrappedBuffer(r), sender), channel.voidPromise());
                    metrics.duration(Transport.UDP, System.nanoTime() - start);
                    return;
                }
            } catch (RuntimeException e) {
                metrics.error();
                LOG.debug("answer cache failed", e);
            }
            responder.handle(q, q.length, Transport.UDP, new Responder.Sink() {
                @Override
                public void reply(byte[] wire) {
                    DatagramPacket out = new DatagramPacket(Unpooled.wrappedBuffer(wire), sender);
                    if (channel.eventLoop().inEventLoop()) {
                        channel.write(out, channel.voidPromise());
                    } else {
                        channel.writeAndFlush(out, channel.voidPromise());
                    }
                }

                @Override
                public void end() {
                    metrics.duration(Transport.UDP, System.nanoTime() - start);
                }
            });
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof IOException)) {
                metrics.error();
            }
            LOG.debug("UDP socket {}", ctx.channel().localAddress(), cause);
        }
    }
}
