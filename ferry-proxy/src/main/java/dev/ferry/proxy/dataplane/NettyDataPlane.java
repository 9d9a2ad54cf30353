package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Protocol;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.route.ServicePortName;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The userspace data plane on Netty native epoll: one {@link TcpListener} or {@link UdpListener} per frontend, on a
 * fixed group of event loops.
 *
 * <p>{@link #update} costs in proportion to the changes it is given (and the frontends waiting for a bind retry);
 * new frontends are bound in parallel and awaited, so the caller learns each bind failure at once. {@link #traffic()} and {@link #stats()}
 * read lock-free counters. Only one thread updates at a time (it is synchronized).
 */
public final class NettyDataPlane implements DataPlane {
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

    private final Plane plane;
    private final MultiThreadIoEventLoopGroup loops;
    /** The bound frontends; only {@link #update} and {@link #close} touch it. */
    private final Map<Frontend, Listener> listeners = new HashMap<>();
    /** Frontends wanted whose bind failed, with their route: tried again on every update. */
    private final Map<Frontend, Route> unbound = new LinkedHashMap<>();
    /** The bound frontends of each service port, to tell whether any still serves a backend. */
    private final Map<ServicePortName, Set<Listener>> byServicePort = new HashMap<>();
    private boolean closed;

    /** Starts the event loops; nothing is bound until {@link #update}. Fails when native epoll is unavailable. */
    public NettyDataPlane(DataPlaneConfig config) {
        Epoll.ensureAvailability();
        this.loops = new MultiThreadIoEventLoopGroup(config.eventLoops(),
                new DefaultThreadFactory("ferry-dataplane", true), EpollIoHandler.newFactory());
        this.plane = new Plane(config, loops);
    }

    public DataPlaneConfig config() {
        return plane.config;
    }

    @Override
    public synchronized Map<Frontend, Exception> update(Map<Frontend, Route> changes) {
        if (closed) {
            throw new IllegalStateException("data plane is closed");
        }
        // frontends that failed to bind are tried again, unless this change set says otherwise
        Map<Frontend, Route> work = new LinkedHashMap<>(unbound);
        work.putAll(changes);
        unbound.clear();
        Map<Frontend, Exception> failures = new LinkedHashMap<>();
        Set<ServicePortName> touched = new HashSet<>();
        List<Future<?>> closing = new ArrayList<>();
        Map<Listener, Future<Void>> binding = new LinkedHashMap<>();
        for (Map.Entry<Frontend, Route> e : work.entrySet()) {
            Listener current = listeners.get(e.getKey());
            Route route = e.getValue();
            if (route == null) {
                if (current != null) {
                    listeners.remove(e.getKey());
                    forget(current);
                    touched.add(current.route().servicePort());
                    closing.add(current.close());
                }
            } else if (current == null) {
                Listener fresh = e.getKey().protocol() == Protocol.TCP
                        ? new TcpListener(plane, e.getKey(), route)
                        : new UdpListener(plane, e.getKey(), route);
                binding.put(fresh, fresh.bind());
            } else if (current.route() != route) {
                ServicePortName before = current.route().servicePort();
                if (!before.equals(route.servicePort())) {
                    forget(current);
                    touched.add(before);
                }
                current.swap(route);
                remember(current);
                touched.add(route.servicePort());
            }
        }
        long deadline = System.nanoTime() + BIND_TIMEOUT.toNanos();
        for (Map.Entry<Listener, Future<Void>> e : binding.entrySet()) {
            Listener l = e.getKey();
            Future<Void> f = e.getValue();
            f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (f.isSuccess()) {
                listeners.put(l.frontend(), l);
                remember(l);
            } else {
                Throwable cause = f.isDone() ? f.cause() : new java.net.BindException(
                        "binding " + l.frontend() + " took longer than " + BIND_TIMEOUT);
                failures.put(l.frontend(), cause instanceof Exception ex ? ex : new RuntimeException(cause));
                unbound.put(l.frontend(), l.route());
                if (!f.isDone()) {
                    l.close();
                }
            }
        }
        for (Future<?> f : closing) {
            f.awaitUninterruptibly(BIND_TIMEOUT.toMillis());
        }
        for (ServicePortName port : touched) {
            Set<Listener> serving = byServicePort.getOrDefault(port, Set.of());
            plane.traffic.dropIdle(port, backend -> {
                for (Listener l : serving) {
                    if (l.route().serves(backend)) {
                        return true;
                    }
                }
                return false;
            });
        }
        return failures;
    }

    @Override
    public synchronized Set<Frontend> frontends() {
        Set<Frontend> all = new HashSet<>(listeners.keySet());
        all.addAll(unbound.keySet());
        return all;
    }

    private void remember(Listener l) {
        byServicePort.computeIfAbsent(l.route().servicePort(), p -> new HashSet<>()).add(l);
    }

    private void forget(Listener l) {
        Set<Listener> set = byServicePort.get(l.route().servicePort());
        if (set != null && set.remove(l) && set.isEmpty()) {
            byServicePort.remove(l.route().servicePort());
        }
    }

    @Override
    public List<BackendTraffic> traffic() {
        return plane.traffic.snapshot();
    }

    /** Counters of the whole data plane, for {@code /metrics}. */
    public DataPlaneStats stats() {
        return new DataPlaneStats(plane.openConnections.get(), plane.connectionsOverLimit.sum(),
                plane.connectionsRefused.sum(), plane.connectFailures.sum(), plane.datagramsDropped.sum(),
                plane.acceptErrors.sum());
    }

    /** Closes every listener and connection and stops the event loops. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Listener l : listeners.values()) {
            l.close();
        }
        listeners.clear();
        unbound.clear();
        byServicePort.clear();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
