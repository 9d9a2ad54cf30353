package dev.ferry.dns.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Sends queries for names outside the cluster zone to upstream resolvers, on its own event loop (callers never block).
 * Each query goes over UDP to the first upstream; on a timeout to the next; a truncated (TC) answer is asked again over
 * TCP of the same upstream. The response gets the client's ID and question; SERVFAIL when every upstream failed, or at
 * once when {@link ForwarderConfig#maxPending()} queries are already waiting. Answers are cached in a
 * {@link ForwardCache}. Upstream queries leave from one UDP socket with a random 16-bit ID each; a response is taken
 * only from the upstream asked, with the ID and question asked.
 */
public final class Forwarder implements AutoCloseable {
    private static final int UPSTREAM_PAYLOAD = 1232;

    private final ForwarderConfig config;
    private final DnsMetrics metrics;
    private final ForwardCache cache;
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final Channel v4;
    private final Channel v6;
    /** Confined to {@link #loop}. */
    private final HashMap<Integer, Pending> pending = new HashMap<>();

    private Forwarder(ForwarderConfig config, InstantSource clock, DnsMetrics metrics) throws IOException {
        Epoll.ensureAvailability();
        this.config = config;
        this.metrics = metrics;
        this.cache = new ForwardCache(config.cacheEntries(), config.maxTtl(), config.maxNegativeTtl(), clock);
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ferry-dns-forward", true),
                EpollIoHandler.newFactory());
        this.loop = group.next();
        try {
            this.v4 = socket(SocketProtocolFamily.INET, new InetSocketAddress("0.0.0.0", 0));
            this.v6 = config.upstreams().stream().anyMatch(u -> u.getAddress() instanceof java.net.Inet6Address)
                    ? socket(SocketProtocolFamily.INET6, new InetSocketAddress("::", 0)) : null;
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Starts a forwarder to {@code config.upstreams()}; {@code clock} times the cache. */
    public static Forwarder start(ForwarderConfig config, InstantSource clock, DnsMetrics metrics) throws IOException {
        return new Forwarder(config, clock, metrics);
    }

    /**
     * {@code upstreams} less those that are this server's own {@code listen} addresses (the same address and port, or
     * a wildcard listen address on the port of a local upstream), so the server never forwards to itself.
     */
    public static List<InetSocketAddress> withoutSelf(List<InetSocketAddress> upstreams,
            Collection<InetSocketAddress> listen) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetSocketAddress u : upstreams) {
            boolean self = false;
            for (InetSocketAddress l : listen) {
                if (l.getPort() == u.getPort() && (l.getAddress().equals(u.getAddress())
                        || l.getAddress().isAnyLocalAddress() && isLocal(u.getAddress()))) {
                    self = true;
                }
            }
            if (!self) {
                out.add(u);
            }
        }
        return out;
    }

    private static boolean isLocal(InetAddress a) {
        try {
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    public ForwarderConfig config() {
        return config;
    }

    private Channel socket(SocketProtocolFamily family, InetSocketAddress bind) throws IOException {
        EpollDatagramChannel ch = new EpollDatagramChannel(family);
        ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(65535));
        ch.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                received(p.sender(), ByteBufUtil.getBytes(p.content()));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                DnsServer.LOG.debug("forwarder socket", cause);
            }
        });
        loop.register(ch).syncUninterruptibly();
        var bound = ch.bind(bind).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            ch.close();
            throw new IOException("forwarder cannot bind " + bind + ": " + bound.cause(), bound.cause());
        }
        return ch;
    }

    /**
     * The response to {@code query} (one question) from the cache or an upstream, with the query's ID and question;
     * SERVFAIL when no upstream answered. Never completes exceptionally; completes on the forwarder's thread or at once.
     */
    public CompletableFuture<Message> forward(Message query) {
        ForwardCache.Key key = ForwardCache.Key.of(query);
        Message hit = cache.get(key);
        if (hit != null) {
            metrics.forwardCacheHits.inc();
            return CompletableFuture.completedFuture(forClient(query, hit));
        }
        CompletableFuture<Message> result = new CompletableFuture<>();
        if (config.upstreams().isEmpty()) {
            metrics.forwardFailures.inc();
            result.complete(servfail(query));
            return result;
        }
        try {
            loop.execute(() -> begin(new Pending(query, key, result)));
        } catch (RuntimeException e) { // the loop is shut down
            result.complete(servfail(query));
        }
        return result;
    }

    private final class Pending {
        final Message query;
        final ForwardCache.Key key;
        final CompletableFuture<Message> result;
        int id;
        int upstream = -1;
        boolean tcp;
        Channel tcpChannel;
        ScheduledFuture<?> timeout;

        Pending(Message query, ForwardCache.Key key, CompletableFuture<Message> result) {
            this.query = query;
            this.key = key;
            this.result = result;
        }

        InetSocketAddress target() {
            return config.upstreams().get(upstream);
        }

        byte[] wire() {
            Message m = new Message(id);
            if (query.getHeader().getFlag(Flags.RD)) {
                m.getHeader().setFlag(Flags.RD);
            }
            if (query.getHeader().getFlag(Flags.CD)) {
                m.getHeader().setFlag(Flags.CD);
            }
            m.addRecord(query.getQuestion(), Section.QUESTION);
            OPTRecord opt = query.getOPT();
            m.addRecord(new OPTRecord(UPSTREAM_PAYLOAD, 0, 0, opt == null ? 0 : opt.getFlags() & 0x8000),
                    Section.ADDITIONAL);
            return m.toWire();
        }
    }

    private void begin(Pending p) {
        if (pending.size() >= config.maxPending()) {
            metrics.forwardFailures.inc();
            p.result.complete(servfail(p.query));
            return;
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(0x10000);
        } while (pending.containsKey(id));
        p.id = id;
        pending.put(id, p);
        metrics.forwardRequests.inc();
        next(p);
    }

    /** Sends {@code p} over UDP to the next upstream, or fails it when none is left. */
    private void next(Pending p) {
        closeTcp(p);
        if (p.timeout != null) {
            p.timeout.cancel(false);
        }
        p.upstream++;
        if (p.upstream >= config.upstreams().size()) {
            pending.remove(p.id, p);
            metrics.forwardFailures.inc();
            p.result.complete(servfail(p.query));
            return;
        }
        InetSocketAddress target = p.target();
        Channel ch = target.getAddress() instanceof java.net.Inet6Address ? v6 : v4;
        int upstream = p.upstream;
        ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(p.wire()), target)).addListener(f -> {
            if (!f.isSuccess() && pending.get(p.id) == p && p.upstream == upstream && !p.tcp) {
                next(p);
            }
        });
        p.timeout = loop.schedule(() -> {
            if (pending.get(p.id) == p && p.upstream == upstream) {
                next(p);
            }
        }, config.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void received(InetSocketAddress sender, byte[] wire) {
        if (wire.length < 12) {
            return;
        }
        Pending p = pending.get(QueryView.u16(wire, 0));
        if (p == null || p.tcp || !p.target().equals(sender)) {
            return;
        }
        Message response;
        try {
            response = new Message(wire);
        } catch (IOException | RuntimeException e) {
            return; // not an answer: the timeout moves on
        }
        if (!answers(p, response)) {
            return;
        }
        if (response.getHeader().getFlag(Flags.TC)) {
            overTcp(p);
            return;
        }
        done(p, response);
    }

    private static boolean answers(Pending p, Message response) {
        Record q = p.query.getQuestion();
        Record a = response.getQuestion();
        return response.getHeader().getFlag(Flags.QR) && a != null && a.getName().equals(q.getName())
                && a.getType() == q.getType() && a.getDClass() == q.getDClass();
    }

    private void overTcp(Pending p) {
        p.tcp = true;
        int upstream = p.upstream;
        Bootstrap b = new Bootstrap().group(loop).channel(EpollSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.timeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(65535 + 2, 0, 2, 0, 2));
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                                if (pending.get(p.id) != p || p.upstream != upstream) {
                                    ctx.close();
                                    return;
                                }
                                try {
                                    Message response = new Message(ByteBufUtil.getBytes(frame));
                                    if (response.getHeader().getID() == p.id && answers(p, response)) {
                                        done(p, response);
                                        return;
                                    }
                                } catch (IOException | RuntimeException e) {
                                    // fall through to the next upstream
                                }
                                next(p);
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                if (pending.get(p.id) == p && p.upstream == upstream) {
                                    next(p);
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                });
        var connect = b.connect(p.target());
        p.tcpChannel = connect.channel();
        byte[] wire = p.wire();
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                if (pending.get(p.id) == p && p.upstream == upstream) {
                    next(p);
                }
                return;
            }
            ByteBuf out = connect.channel().alloc().buffer(wire.length + 2);
            out.writeShort(wire.length).writeBytes(wire);
            connect.channel().writeAndFlush(out);
        });
    }

    private void done(Pending p, Message response) {
        pending.remove(p.id, p);
        if (p.timeout != null) {
            p.timeout.cancel(false);
        }
        closeTcp(p);
        cache.put(p.key, response);
        p.result.complete(forClient(p.query, response));
    }

    private static void closeTcp(Pending p) {
        p.tcp = false;
        if (p.tcpChannel != null) {
            p.tcpChannel.close();
            p.tcpChannel = null;
        }
    }

    /** {@code upstream}'s answer as a response to {@code query}: its ID and question, without OPT. */
    static Message forClient(Message query, Message upstream) {
        Message m = new Message(query.getHeader().getID());
        Header h = m.getHeader();
        Header u = upstream.getHeader();
        h.setFlag(Flags.QR);
        for (int flag : new int[] {Flags.AA, Flags.RA, Flags.AD}) {
            if (u.getFlag(flag)) {
                h.setFlag(flag);
            }
        }
        h.setRcode(upstream.getRcode() & 0xF);
        m.addRecord(query.getQuestion(), Section.QUESTION);
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : upstream.getSection(section)) {
                if (r.getType() != Type.OPT) {
                    m.addRecord(r, section);
                }
            }
        }
        return m;
    }

    static Message servfail(Message query) {
        Message m = new Message(query.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setRcode(Rcode.SERVFAIL);
        m.addRecord(query.getQuestion(), Section.QUESTION);
        return m;
    }

    int cacheSize() {
        return cache.size();
    }

    @Override
    public void close() {
        loop.execute(() -> {
            for (Pending p : new ArrayList<>(pending.values())) {
                closeTcp(p);
                p.result.complete(servfail(p.query));
            }
            pending.clear();
            v4.close();
            if (v6 != null) {
                v6.close();
            }
        });
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
