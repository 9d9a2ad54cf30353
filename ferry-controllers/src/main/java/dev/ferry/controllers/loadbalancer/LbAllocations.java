package dev.ferry.controllers.loadbalancer;

import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which Service (by "namespace/name") holds which address of a {@link LbAddressPool}: at most one address per
 * Service and one Service per address; an address is taken in the pool exactly when some Service holds it. Not
 * thread-safe: one owner serialises access.
 */
public final class LbAllocations {
    private final LbAddressPool pool;
    private final Map<String, String> byKey = new HashMap<>();
    private final Map<String, String> byIp = new HashMap<>();

    public LbAllocations(LbAddressPool pool) {
        this.pool = pool;
    }

    /**
     * The allocations that existing Services already show, for a controller (re)starting: each Service of ours
     * ({@link LbPlan#ours}) keeps the first ingress IP of its status that lies in the pool. When two Services show one
     * address, the older keeps it (creationTimestamp, then namespace/name); the other holds nothing, so its next
     * sync assigns it a new address.
     */
    public static LbAllocations restore(LbAddressPool pool, List<Service> services) {
        LbAllocations a = new LbAllocations(pool);
        List<Service> ours = new ArrayList<>();
        for (Service s : services) {
            if (LbPlan.ours(s)) {
                ours.add(s);
            }
        }
        ours.sort(Comparator.comparing((Service s) -> creation(s)).thenComparing(LbPlan::key));
        for (Service s : ours) {
            for (String ip : LbPlan.ingressIps(s)) {
                if (pool.isFree(ip)) {
                    a.assign(LbPlan.key(s), ip);
                    break;
                }
            }
        }
        return a;
    }

    /** RFC 3339 timestamps of one format compare as text; a missing one sorts last. */
    private static String creation(Service s) {
        String t = s.getMetadata().getCreationTimestamp();
        return t == null || t.isEmpty() ? "~" : t;
    }

    public LbAddressPool pool() {
        return pool;
    }

    /** The address {@code key} holds. */
    public Optional<String> held(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** The key holding {@code ip}. */
    public Optional<String> owner(String ip) {
        return Optional.ofNullable(byIp.get(ip));
    }

    /**
     * Gives {@code ip} to {@code key}, releasing what {@code key} held before.
     *
     * @throws IllegalStateException when {@code ip} is held by another key or is not an assignable address
     */
    public void assign(String key, String ip) {
        if (ip.equals(byKey.get(key))) {
            return;
        }
        String other = byIp.get(ip);
        if (other != null) {
            throw new IllegalStateException(ip + " is held by " + other);
        }
        if (pool.claim(ip) != LbAddressPool.Claim.CLAIMED) {
            throw new IllegalStateException(ip + " is not a free address of " + pool.cidr());
        }
        release(key);
        byKey.put(key, ip);
        byIp.put(ip, key);
    }

    /** Frees the address {@code key} holds, and returns it. */
    public Optional<String> release(String key) {
        String ip = byKey.remove(key);
        if (ip != null) {
            byIp.remove(ip);
            pool.release(ip);
        }
        return Optional.ofNullable(ip);
    }

    /** Every allocation, key → address, sorted by key. */
    public Map<String, String> snapshot() {
        return new TreeMap<>(byKey);
    }
}
