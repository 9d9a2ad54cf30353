package dev.ferry.controllers.replicaset;

import dev.ferry.controllers.workloadutil.Pods;
import dev.ferry.client.Times;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which a ReplicaSet deletes pods when it has too many, as upstream's ActivePodsWithRanks: pods that
 * are cheaper to lose come first.
 * <ol>
 * <li>unscheduled before scheduled;</li>
 * <li>Pending before Unknown before Running;</li>
 * <li>not ready before ready;</li>
 * <li>pods doubled up on a node (more pods of the set on the same node) before pods alone on theirs;</li>
 * <li>ready for less time before ready for longer (unknown ready time first);</li>
 * <li>more container restarts before fewer;</li>
 * <li>newer before older (unknown creation time first).</li>
 * </ol>
 * Upstream compares ready and creation times on a logarithmic scale (LogarithmicScaleDown); Ferry compares them
 * exactly. Ties are broken by name so the order is total and deterministic. Pure.
 */
final class ScaleDownOrder {
    private ScaleDownOrder() {
    }

    /** {@code pods} sorted for deletion (first = deleted first); ranks count pods of the list on each node. */
    static List<Pod> sort(List<Pod> pods) {
        Map<String, Integer> perNode = new HashMap<>();
        for (Pod p : pods) {
            String node = nodeName(p);
            if (!node.isEmpty()) {
                perNode.merge(node, 1, Integer::sum);
            }
        }
        Comparator<Pod> order = Comparator.<Pod>comparingInt(p -> nodeName(p).isEmpty() ? 0 : 1)
                .thenComparingInt(ScaleDownOrder::phaseOrdinal)
                .thenComparingInt(p -> Pods.isReady(p) ? 1 : 0)
                .thenComparingInt(p -> -perNode.getOrDefault(nodeName(p), 0))
                .thenComparing((a, b) -> Pods.isReady(a) && Pods.isReady(b)
                        ? laterOrUnknownFirst(Pods.readySince(a), Pods.readySince(b)) : 0)
                .thenComparingInt(p -> -Pods.maxRestarts(p))
                .thenComparing((a, b) -> laterOrUnknownFirst(Times.parse(a.getMetadata().getCreationTimestamp()),
                        Times.parse(b.getMetadata().getCreationTimestamp())))
                .thenComparing(p -> p.getMetadata().getName());
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(order);
        return sorted;
    }

    private static String nodeName(Pod p) {
        return p.getSpec() == null || p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName();
    }

    private static int phaseOrdinal(Pod p) {
        String phase = p.getStatus() == null || p.getStatus().getPhase() == null ? "Pending" : p.getStatus().getPhase();
        return switch (phase) {
            case "Pending" -> 0;
            case "Unknown" -> 1;
            case "Running" -> 2;
            default -> 3;
        };
    }

    /** upstream afterOrZero: an unknown time sorts first, then the later time. */
    private static int laterOrUnknownFirst(Instant a, Instant b) {
        if (a == null || b == null) {
            return a == null && b == null ? 0 : a == null ? -1 : 1;
        }
        return b.compareTo(a);
    }
}
