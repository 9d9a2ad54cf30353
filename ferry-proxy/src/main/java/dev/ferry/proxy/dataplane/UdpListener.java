package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Pick;
import dev.ferry.proxy.route.Route;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A UDP frontend: one socket (SO_REUSEPORT) on the service address and a table of {@link UdpFlow}s keyed by client
 * address:port, bounded by {@link DataPlaneConfig#maxUdpFlows()}. A datagram from a new client picks a backend (a
 * refused pick drops it); replies leave from the frontend socket, so the client sees the service address as their
 * source. Flows idle for {@link DataPlaneConfig#udpFlowIdleTimeout()} are closed by a sweep on the loop.
 *
 * <p>Datagrams move between sockets through buffers of the event loop, one system call each way, with no Netty
 * channel, pipeline or per-datagram buffer: a client's through the loop's {@link DatagramBatch}, a reply through its
 * {@link Plane#scratch() scratch buffer}. Sockets are level-triggered: a readiness event reads at most
 * {@link Plane#UDP_DATAGRAMS_PER_EVENT} datagrams, and epoll reports the rest at once in the next round. The table
 * and everything else here except {@link #route} are confined to the frontend's event loop.
 */
final class UdpListener implements Listener {
    private final Plane plane;
    private final Frontend frontend;
    private final IoEventLoop loop;
    private final long idleNanos;
    private volatile Route route;
    private UdpSocket socket;
    private IoRegistration registration;
    private ScheduledFuture<?> sweeper;
    private boolean closed;
    private final HashMap<InetSocketAddress, UdpFlow> flows = new HashMap<>();

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
        Promise<Void> bound = loop.newPromise();
        loop.execute(() -> {
            try {
                socket = UdpSocket.open(frontend.address());
                registration = Sockets.bindAndRegister(loop, socket, 0, frontend, this::received, this::closeSocket);
                long period = Math.max(1, idleNanos / 4);
                sweeper = loop.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
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
        loop.execute(() -> endFlows(flow -> !route.serves(flow.backend)));
    }

    @Override
    public Future<?> close() {
        return loop.submit(() -> {
            if (sweeper != null) {
                sweeper.cancel(false);
            }
            endFlows(flow -> true);
            closeSocket();
        });
    }

    private void closeSocket() {
        closed = true;
        if (socket != null && socket.isOpen()) {
            socket.closeQuietly();
            registration.cancel();
        }
    }

    IoEventLoop loop() {
        return loop;
    }

    /** Sends a backend's reply to {@code client} from the frontend socket; false when it was dropped (counted). */
    boolean reply(InetSocketAddress client, ByteBuffer buffer, int length) {
        try {
            if (!closed && socket.sendTo(buffer, length, client)) {
                return true;
            }
        } catch (IOException e) {
            Plane.LOG.debug("UDP frontend {} could not reply to {}: {}", frontend, client, String.valueOf(e));
        }
        dropped();
        return false;
    }

    void dropped() {
        plane.datagramsDropped.increment();
    }

    void flowFailed(UdpFlow flow) {
        flows.remove(flow.client, flow);
        flow.end();
    }

    /** Datagrams of clients are waiting: reads up to a {@link DatagramBatch} of them, then sends it on. */
    private void received() {
        DatagramBatch batch = DatagramBatch.get();
        while (!batch.full() && !closed) {
            DatagramSocketAddress sender;
            try {
                sender = socket.receiveFrom(batch.buffer(), batch.end());
            } catch (IOException e) {
                plane.acceptWarnings.warn("UDP frontend " + frontend + " failed to receive", e);
                break;
            }
            if (sender == null) {
                break;
            }
            UdpFlow flow = flows.get(sender);
            if (flow == null) {
                flow = open(sender);
                if (flow == null) {
                    dropped();
                    continue;
                }
            }
            batch.add(flow, sender.receivedAmount());
        }
        batch.forward();
    }

    private UdpFlow open(InetSocketAddress sender) {
        if (flows.size() >= plane.config.maxUdpFlows()) {
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
        UdpSocket up;
        try {
            up = UdpSocket.open(backend.address().getAddress());
        } catch (RuntimeException e) { // e.g. out of file descriptors
            plane.acceptWarnings.warn("UDP frontend " + frontend + " cannot open a socket for a new flow", e);
            return null;
        }
        UdpFlow flow = new UdpFlow(this, sender, backend, plane.traffic.of(r.servicePort(), backend), up);
        try {
            if (pick.source() != null) {
                up.bind(new InetSocketAddress(pick.source(), 0));
            }
            // a UDP connect does not wait for the peer
            up.connect(backend.address());
            IoRegistration upRegistration = loop.register(flow).getNow();
            flow.registered(upRegistration);
            upRegistration.submit(EpollIoOps.EPOLLIN);
        } catch (IOException | RuntimeException e) {
            Plane.LOG.debug("UDP flow {} -> {} could not start: {}", sender, backend, String.valueOf(e));
            flow.close();
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
        endFlows(flow -> flow.idle.idle(now, idleNanos));
    }

    private void endFlows(Predicate<UdpFlow> which) {
        for (Iterator<UdpFlow> it = flows.values().iterator(); it.hasNext(); ) {
            UdpFlow flow = it.next();
            if (which.test(flow)) {
                it.remove();
                flow.end();
            }
        }
    }
}
