package dev.ferry.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a pod goes: among the nodes that pass {@link NodeFilter}, the one with the fewest non-terminated pods (ties
 * broken by name, so the choice is deterministic); when none passes, upstream's FitError text
 * ({@code 0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node
 * affinity/selector.}, reasons counted and sorted as strings). Pure.
 */
public final class Placement {
    /** Who scheduled, in events and as the {@code schedulerName} this scheduler serves. */
    public static final String SCHEDULER_NAME = "default-scheduler";
    static final String NO_NODES = "no nodes available to schedule pods";

    private Placement() {
    }

    /** The outcome of one scheduling attempt. */
    public sealed interface Decision {
    }

    /** Bind to {@code node}. */
    public record Bind(String node) implements Decision {
    }

    /** No node fits; {@code message} is the PodScheduled condition's and the FailedScheduling event's text. */
    public record Unschedulable(String message) implements Decision {
    }

    /**
     * Whether this scheduler should place {@code pod} now: not bound, not being deleted, not finished, not gated,
     * and asking for the default scheduler (or none).
     */
    public static boolean needsScheduling(Pod pod) {
        if (pod.getSpec() == null || pod.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        String nodeName = pod.getSpec().getNodeName();
        if (nodeName != null && !nodeName.isEmpty()) {
            return false;
        }
        String scheduler = pod.getSpec().getSchedulerName();
        if (scheduler != null && !scheduler.isEmpty() && !scheduler.equals(SCHEDULER_NAME)) {
            return false;
        }
        if (pod.getSpec().getSchedulingGates() != null && !pod.getSpec().getSchedulingGates().isEmpty()) {
            return false;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    /** Whether {@code pod} occupies its node: bound and not finished. */
    public static boolean occupiesNode(Pod pod) {
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return nodeName != null && !nodeName.isEmpty() && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    /**
     * @param podsPerNode non-terminated pods per node name, including pods this scheduler bound but the cache does
     *                    not show yet; absent nodes have none
     */
    public static Decision decide(Pod pod, List<Node> nodes, Map<String, Integer> podsPerNode) {
        List<Node> fit = new ArrayList<>();
        Map<String, Integer> reasons = new TreeMap<>();
        for (Node n : nodes) {
            Optional<String> reason = NodeFilter.unfitReason(pod, n);
            if (reason.isPresent()) {
                reasons.merge(reason.get(), 1, Integer::sum);
            } else {
                fit.add(n);
            }
        }
        if (!fit.isEmpty()) {
            Node best = fit.stream().min(Comparator
                    .comparingInt((Node n) -> podsPerNode.getOrDefault(n.getMetadata().getName(), 0))
                    .thenComparing(n -> n.getMetadata().getName())).orElseThrow();
            return new Bind(best.getMetadata().getName());
        }
        return new Unschedulable(fitError(nodes.size(), reasons));
    }

    /**
     * FitError.Error(): "0/N nodes are available: " + sorted "count reason" strings + "."; upstream's
     * ErrNoNodesAvailable text when there are no nodes at all.
     */
    static String fitError(int allNodes, Map<String, Integer> reasons) {
        if (allNodes == 0) {
            return NO_NODES;
        }
        List<String> parts = new ArrayList<>();
        reasons.forEach((reason, count) -> parts.add(count + " " + reason));
        parts.sort(null);
        String msg = "0/" + allNodes + " nodes are available";
        return parts.isEmpty() ? msg + ":" : msg + ": " + String.join(", ", parts) + ".";
    }
}
