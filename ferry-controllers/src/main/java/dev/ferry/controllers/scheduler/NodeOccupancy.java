package dev.ferry.controllers.scheduler;

import java.util.HashMap;
import java.util.Map;

/**
 * Non-terminated pods per node, kept up to date from pod events so a scheduling decision costs O(nodes), not
 * O(pods). Keyed by pod key; {@link #set} with a null node removes the pod. Thread-safe.
 */
final class NodeOccupancy {
    private final Map<String, String> nodeOfPod = new HashMap<>();
    private final Map<String, Integer> podsOnNode = new HashMap<>();

    /** Records that pod {@code key} occupies {@code node} (null or "": none). Idempotent. */
    synchronized void set(String key, String node) {
        String was = node == null || node.isEmpty() ? nodeOfPod.remove(key) : nodeOfPod.put(key, node);
        if (was != null) {
            podsOnNode.computeIfPresent(was, (n, c) -> c <= 1 ? null : c - 1);
        }
        if (node != null && !node.isEmpty()) {
            podsOnNode.merge(node, 1, Integer::sum);
        }
    }

    synchronized boolean occupies(String key) {
        return nodeOfPod.containsKey(key);
    }

    /** A copy of the counts per node name. */
    synchronized Map<String, Integer> counts() {
        return new HashMap<>(podsOnNode);
    }
}
