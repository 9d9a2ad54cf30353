package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Pick;
import dev.ferry.proxy.route.Route;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A UDP frontend: one socket (SO_REUSEPORT) on the service address and a table of {@link UdpFlow}s keyed by client
 * address:port, bounded by {@link DataPlaneConfig#maxUdpFlows()}. A datagram from a new client picks a backend (a
 * refused pick drops it); replies leave from the frontend socket, so the client sees the service address as their
 * source. Flows idle for {@link DataPlaneConfig#udpFlowIdleTimeout()} are closed by a sweep on the loop. The table and
 * everything else here except {@link #route} are confined to the frontend's event loop.
 */
final class UdpListener extends ChannelInboundHandlerAdapter implements Listener {
    /** The largest UDP payload; a smaller receive buffer would truncate datagrams. */
    static final int MAX_DATAGRAM = 65535;

    private final Plane plane;
    private final Frontend frontend;
    private final EventLoop loop;
    private final long idleNanos;
    private volatile Route route;
    private EpollDatagramChannel channel;
    private ScheduledFuture<?> sweeper;
    private boolean closed;
    private final HashMap<InetSocketAddress, UdpFlow> flows = new HashMap<>();
    private final ArrayList<UdpFlow> unflushed = new ArrayList<>();
    private boolean repliesQueued;
    private final Runnable flushReplies = () -> {
        repliesQueued = false;
        channel.flush();
    };

    UdpListener(Plane plane, Frontend frontend, Route route) {
        this.plane = plane;
        this.frontend = frontend;
        this.route = route;
        this.loop = plane.loops.next();
        this.idleNanos = plane.config.udpFlowIdleTimeout().toNanos();
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
        EpollDatagramChannel ch = new EpollDatagramChannel(Sockets.family(frontend.address()));
        ch.config().setReuseAddress(true);
        ch.config().setReusePort(true);
        if (Plane.UDP_DATAGRAMS_PER_READ > 1) {
            // recvmmsg: several datagrams per system call, each in its own MAX_DATAGRAM slot of one buffer
            ch.config().setMaxDatagramPayloadSize(MAX_DATAGRAM);
            ch.config().setRecvByteBufAllocator(
                    new FixedRecvByteBufAllocator(MAX_DATAGRAM * Plane.UDP_DATAGRAMS_PER_READ));
        } else {
            ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        }
        ch.pipeline().addLast(this);
        channel = ch;
        return Sockets.registerAndBind(loop, ch, frontend, () -> {
            long period = Math.max(1, idleNanos / 4);
            sweeper = loop.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
        });
    }

    @Override
    public void swap(Route next) {
        route = next;
        loop.execute(() -> closeFlows(flow -> !route.serves(flow.backend)));
    }

    @Override
    public Future<?> close() {
        Promise<Void> done = loop.newPromise();
        loop.execute(() -> {
            closed = true;
            if (sweeper != null) {
                sweeper.cancel(false);
            }
            closeFlows(flow -> true);
            channel.close().addListener(f -> done.setSuccess(null));
        });
        return done;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        InetSocketAddress sender = packet.sender();
        UdpFlow flow = flows.get(sender);
        if (flow == null) {
            flow = open(sender);
            if (flow == null) {
                plane.datagramsDropped.increment();
                packet.release();
                return;
            }
        }
        flow.forward(packet.content());
        if (!flow.unflushed) {
            flow.unflushed = true;
            unflushed.add(flow);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        for (int i = 0; i < unflushed.size(); i++) {
            UdpFlow flow = unflushed.get(i);
            flow.unflushed = false;
            flow.upstream.flush();
        }
        unflushed.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        plane.acceptWarnings.warn("UDP frontend " + frontend + " failed", cause);
    }

    /**
     * Queues a backend's reply to {@code client} on the frontend socket; takes ownership of {@code content}. Replies
     * leave in a task after the event loop's batch of events, so those of every flow read in one batch go out in one
     * sendmmsg.
     */
    void reply(InetSocketAddress client, ByteBuf content) {
        channel.write(new DatagramPacket(content, client), channel.voidPromise());
        if (!repliesQueued) {
            repliesQueued = true;
            loop.execute(flushReplies);
        }
    }

    void flowClosed(UdpFlow flow) {
        flows.remove(flow.client, flow);
    }

    private UdpFlow open(InetSocketAddress sender) {
        if (closed || flows.size() >= plane.config.maxUdpFlows()) {
            return null;
        }
        Route r = route;
        Pick pick;
        try {
            pick = r.pick(sender);
        } catch (RuntimeException e) {
            Plane.LOG.debug("route of {} failed to pick for {}", frontend, sender, e);
            return null;
        }
        if (pick.refused()) {
            return null;
        }
        Backend backend = pick.candidates().getFirst();
        EpollDatagramChannel up = new EpollDatagramChannel(Sockets.family(backend.address().getAddress()));
        up.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        UdpFlow flow = new UdpFlow(this, sender, backend, plane.traffic.of(r.servicePort(), backend), up);
        up.pipeline().addLast(flow);
        // both complete at once: this is the flow's event loop, and a UDP connect does not wait for the peer
        ChannelFuture registered = loop.register(up);
        ChannelFuture connected = !registered.isSuccess() ? registered
                : pick.source() == null ? up.connect(backend.address())
                : up.connect(backend.address(), new InetSocketAddress(pick.source(), 0));
        if (!connected.isSuccess()) {
            Plane.LOG.debug("UDP flow {} -> {} could not start: {}", sender, backend, String.valueOf(connected.cause()));
            up.close();
            return null;
        }
        flow.opened();
        flows.put(sender, flow);
        try {
            r.connected(sender, backend);
        } catch (RuntimeException e) {
            Plane.LOG.debug("route of {} failed to record {} -> {}", frontend, sender, backend, e);
        }
        return flow;
    }

    private void sweep() {
        long now = System.nanoTime();
        closeFlows(flow -> flow.idle.idle(now, idleNanos));
    }

    private void closeFlows(Predicate<UdpFlow> which) {
        for (Iterator<UdpFlow> it = flows.values().iterator(); it.hasNext(); ) {
            UdpFlow flow = it.next();
            if (which.test(flow)) {
                it.remove();
                flow.upstream.close();
            }
        }
    }
}
