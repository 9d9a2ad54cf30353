package dev.ferry.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Matches, by IP, a pod becoming Ready (its pod watch event) with its address becoming ready in an EndpointSlice
 * (the slice watch event), and records the time between the two. Fed from two watches; all methods synchronised.
 * Times are the harness's {@code System.nanoTime()} at reading the event, passed in, so the logic is pure.
 *
 * <p>Invariants: {@code podReadyAt} holds IPs of pods seen Ready whose address no slice has yet shown ready;
 * {@code sliceFirstAt} holds addresses a slice showed ready before the pod event was read (the two watches are
 * separate connections); such a pair counts as 0 ms and in {@link #sliceFirst}, if the pod event follows within
 * {@link #PAIR_WINDOW}. An address moving between slices of the same Service is not a new ready address when it
 * is already ready in another slice.
 */
final class ReadyToSlice {
    static final String TRIGGER = "endpoints.kubernetes.io/last-change-trigger-time";
    static final Duration PAIR_WINDOW = Duration.ofSeconds(2);

    private final Map<String, Boolean> podReady = new HashMap<>();
    private final Map<String, String> podIp = new HashMap<>();
    private final Map<String, Set<String>> sliceReady = new HashMap<>();
    private final Map<String, Integer> readyCount = new HashMap<>();
    private final Map<String, Long> podReadyAt = new HashMap<>();
    private final Map<String, Long> sliceFirstAt = new HashMap<>();
    private Samples latencies = new Samples();
    private Samples triggerLatencies = new Samples();
    private int sliceFirst;
    private int readyEndpoints;

    /** A pod watch line's event; {@code type} ADDED, MODIFIED or DELETED. */
    synchronized void onPod(String type, JsonNode pod, long nanos) {
        String name = PodJson.key(pod);
        boolean was = podReady.getOrDefault(name, false);
        if (type.equals("DELETED")) {
            podReady.remove(name);
            String ip = podIp.remove(name);
            if (ip != null) {
                podReadyAt.remove(ip);
            }
            return;
        }
        boolean now = PodJson.ready(pod);
        podReady.put(name, now);
        String ip = PodJson.ip(pod);
        if (ip != null) {
            podIp.put(name, ip);
        }
        if (now && !was) {
            Long sliceAt = sliceFirstAt.remove(ip);
            if (sliceAt != null && nanos - sliceAt <= PAIR_WINDOW.toNanos()) {
                latencies.add(0);
                sliceFirst++;
            } else {
                podReadyAt.put(ip, nanos);
            }
        } else if (!now && was && ip != null) {
            podReadyAt.remove(ip);
        }
    }

    /** An EndpointSlice watch line's event; {@code wall} is the wall clock at reading it (for the annotation). */
    synchronized void onSlice(String type, JsonNode slice, long nanos, Instant wall) {
        String name = PodJson.key(slice);
        Set<String> before = sliceReady.getOrDefault(name, Set.of());
        Set<String> after = type.equals("DELETED") ? Set.of() : readyAddresses(slice);
        for (String ip : before) {
            if (!after.contains(ip)) {
                count(ip, -1);
            }
        }
        boolean anyNew = false;
        for (String ip : after) {
            if (!before.contains(ip) && count(ip, +1) == 1) {
                anyNew = true;
                Long podAt = podReadyAt.remove(ip);
                if (podAt != null) {
                    latencies.add(Math.max(0, nanos - podAt));
                } else if (!isPodReady(ip)) {
                    sliceFirstAt.put(ip, nanos);
                }
            }
        }
        if (after.isEmpty()) {
            sliceReady.remove(name);
        } else {
            sliceReady.put(name, after);
        }
        String trigger = slice.path("metadata").path("annotations").path(TRIGGER).asString("");
        if (anyNew && !trigger.isEmpty()) {
            try {
                triggerLatencies.add(Math.max(0, Duration.between(Instant.parse(trigger), wall).toNanos()));
            } catch (java.time.format.DateTimeParseException e) {
                // not a timestamp: not counted
            }
        }
    }

    /** Starts a new set of samples; returns the pod → slice latencies recorded since the last call. */
    synchronized Samples takeLatencies() {
        Samples s = latencies;
        latencies = new Samples();
        return s;
    }

    /** Like {@link #takeLatencies} for wall clock at the slice event minus the slice's trigger-time annotation. */
    synchronized Samples takeTriggerLatencies() {
        Samples s = triggerLatencies;
        triggerLatencies = new Samples();
        return s;
    }

    /** Distinct addresses ready in some slice. */
    synchronized int readyEndpoints() {
        return readyEndpoints;
    }

    /** Pods seen Ready whose address no slice has shown ready yet. */
    synchronized int pending() {
        return podReadyAt.size();
    }

    synchronized int sliceFirst() {
        return sliceFirst;
    }

    /** "namespace/name" of the pods now Ready, in no order. */
    synchronized java.util.List<String> readyPods() {
        return podReady.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    }

    private boolean isPodReady(String ip) {
        for (var e : podIp.entrySet()) {
            if (e.getValue().equals(ip) && podReady.getOrDefault(e.getKey(), false)) {
                return true;
            }
        }
        return false;
    }

    private int count(String ip, int delta) {
        int n = readyCount.getOrDefault(ip, 0) + delta;
        if (n <= 0) {
            readyCount.remove(ip);
            n = 0;
        } else {
            readyCount.put(ip, n);
        }
        readyEndpoints = readyCount.size();
        return n;
    }

    /** Addresses of the slice's endpoints whose ready condition is true or unset (the API's "unknown, as ready"). */
    static Set<String> readyAddresses(JsonNode slice) {
        Set<String> ips = new HashSet<>();
        for (JsonNode e : slice.path("endpoints")) {
            JsonNode ready = e.path("conditions").path("ready");
            if (ready.isBoolean() && !ready.asBoolean()) {
                continue;
            }
            for (JsonNode a : e.path("addresses")) {
                ips.add(a.asString());
            }
        }
        return ips;
    }
}
