package dev.ferry.controllers.endpointslice;

import dev.ferry.controllers.endpointutil.WellKnown;
import dev.ferry.controllers.scheduler.NodeFilter;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Each zone's share of the cluster's allocatable CPU, from which the {@code topology-mode: Auto} heuristic sizes
 * each zone's endpoints (upstream's TopologyCache.SetNodes and getAllocations). Nodes labelled control-plane or
 * master and nodes that are not Ready do not count. When one counted node has no zone label or no allocatable CPU,
 * or fewer than two zones count, there are no shares and {@link #problem()} says why.
 *
 * @param byZone zone → share of the counted CPU (sums to 1); empty when there is a problem
 * @param problem why no hints can be given, or null
 */
record ZoneShares(SortedMap<String, Double> byZone, String problem) {
    /** Upstream's overloadThreshold: no endpoint should get more than 20 % over its fair share of traffic. */
    static final double OVERLOAD_THRESHOLD = 0.2;
    static final String INSUFFICIENT_NODE_INFO =
            "Insufficient Node information: allocatable CPU or zone not specified on one or more nodes";
    static final String ONE_ZONE = "Nodes only ready in one zone";
    static final String TOO_FEW_ENDPOINTS = "Insufficient number of endpoints";
    static final String OVER_THRESHOLD =
            "Unable to allocate minimum required endpoints to each zone without exceeding overload threshold";
    /** No node information (none known, or one lacks a zone or CPU). */
    static final ZoneShares NONE = new ZoneShares(Collections.emptySortedMap(), INSUFFICIENT_NODE_INFO);

    ZoneShares {
        byZone = Collections.unmodifiableSortedMap(new TreeMap<>(byZone));
    }

    /** The shares of {@code nodes}' allocatable CPU. */
    static ZoneShares of(Collection<Node> nodes) {
        Map<String, Long> milliCpuByZone = new TreeMap<>();
        long total = 0;
        for (Node node : nodes) {
            if (excluded(node) || !"True".equals(NodeFilter.readyStatus(node))) {
                continue;
            }
            String zone = node.getMetadata().getLabels() == null ? null
                    : node.getMetadata().getLabels().get(WellKnown.LABEL_TOPOLOGY_ZONE);
            long milliCpu = milliCpu(node);
            if (zone == null || zone.isEmpty() || milliCpu <= 0) {
                return NONE;
            }
            milliCpuByZone.merge(zone, milliCpu, Long::sum);
            total += milliCpu;
        }
        if (total == 0) {
            return NONE;
        }
        if (milliCpuByZone.size() < 2) {
            return new ZoneShares(new TreeMap<>(), ONE_ZONE);
        }
        SortedMap<String, Double> shares = new TreeMap<>();
        for (Map.Entry<String, Long> e : milliCpuByZone.entrySet()) {
            shares.put(e.getKey(), (double) e.getValue() / total);
        }
        return new ZoneShares(shares, null);
    }

    /** How many endpoints a zone should get: at least {@code minimum}, at most {@code maximum}, ideally desired. */
    record Allocation(int minimum, int maximum, double desired) {
    }

    /**
     * Each zone's allocation of {@code readyEndpoints}, in zone order; a problem instead when the zones cannot all
     * get their minimum (the share less 20 %, rounded up) from that many endpoints.
     */
    Allocations allocate(int readyEndpoints) {
        if (problem != null) {
            return new Allocations(Map.of(), problem);
        }
        if (byZone.size() > readyEndpoints) {
            return new Allocations(Map.of(), TOO_FEW_ENDPOINTS + " (" + readyEndpoints + " endpoints, "
                    + byZone.size() + " zones)");
        }
        // the minimum is computed as upstream does (desired × 1/1.2, rounded up), so that boundaries round alike
        Map<String, Integer> minimum = new LinkedHashMap<>();
        int minTotal = 0;
        for (Map.Entry<String, Double> e : byZone.entrySet()) {
            int min = (int) Math.ceil(e.getValue() * readyEndpoints * (1 / (1 + OVERLOAD_THRESHOLD)));
            minimum.put(e.getKey(), min);
            minTotal += min;
            if (minTotal > readyEndpoints) {
                return new Allocations(Map.of(), OVER_THRESHOLD + " (" + readyEndpoints + " endpoints, "
                        + byZone.size() + " zones)");
            }
        }
        Map<String, Allocation> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : minimum.entrySet()) {
            int min = e.getValue();
            double desired = byZone.get(e.getKey()) * readyEndpoints;
            out.put(e.getKey(), new Allocation(min, min + readyEndpoints - minTotal, Math.max(desired, min)));
        }
        return new Allocations(out, null);
    }

    /** Allocations by zone, or the problem that prevents them. */
    record Allocations(Map<String, Allocation> byZone, String problem) {
    }

    private static boolean excluded(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        return labels != null && (labels.containsKey("node-role.kubernetes.io/control-plane")
                || labels.containsKey("node-role.kubernetes.io/master"));
    }

    private static long milliCpu(Node node) {
        if (node.getStatus() == null || node.getStatus().getAllocatable() == null) {
            return 0;
        }
        Quantity cpu = node.getStatus().getAllocatable().get("cpu");
        if (cpu == null) {
            return 0;
        }
        try {
            return cpu.getNumericalAmount().multiply(BigDecimal.valueOf(1000)).longValue();
        } catch (ArithmeticException | IllegalArgumentException e) {
            return 0;
        }
    }
}
