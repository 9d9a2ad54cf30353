package dev.ferry.proxy.route;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * State of one service port that outlives route replacements: the round-robin position and the ClientIP session
 * affinity table. Shared by every frontend of the service port (ClusterIP, NodePort, external and LB addresses), as
 * kube-proxy's affinity is per service port. Thread-safe.
 */
public final class ServicePortState {
    private record Affinity(Backend backend, long expiresAtNanos) {}

    private final AtomicInteger next = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Affinity> affinity = new ConcurrentHashMap<>();

    /** The next round-robin position, a non-negative number that increases by one per call. */
    int nextPosition() {
        return next.getAndIncrement() & Integer.MAX_VALUE;
    }

    /** The backend {@code client} is pinned to at {@code nowNanos}, or null. */
    Backend affinity(InetAddress client, long nowNanos) {
        Affinity a = affinity.get(client);
        return a == null || a.expiresAtNanos - nowNanos <= 0 ? null : a.backend;
    }

    void pin(InetAddress client, Backend backend, long expiresAtNanos) {
        affinity.put(client, new Affinity(backend, expiresAtNanos));
    }

    /** Forgets expired pins; the sync loop calls it so idle clients do not accumulate. */
    public void expire(long nowNanos) {
        affinity.values().removeIf(a -> a.expiresAtNanos - nowNanos <= 0);
    }

    /** Whether any client is pinned (expired pins count until {@link #expire} drops them). */
    public boolean hasPins() {
        return !affinity.isEmpty();
    }

    int pinned() {
        return affinity.size();
    }
}
