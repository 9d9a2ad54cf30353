package dev.ferry.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One look at one node: the next observation, the node conditions to write (when the node went silent) and whether
 * its pods must be marked not ready. Pure.
 *
 * @param seen           the observation to keep until the writes succeed
 * @param after          the observation to keep once they did ({@code lastReady} updated)
 * @param nodeConditions the node's new conditions, when they change
 * @param markPods       whether the node just left Ready (by this step or by the agent's own report)
 */
public record HealthStep(NodeHealth seen, NodeHealth after, Optional<List<NodeCondition>> nodeConditions,
        boolean markPods) {

    public static HealthStep of(NodeHealth prev, Node node, Lease lease, Instant now, Duration grace) {
        NodeHealth h = NodeHealth.observe(prev, node, lease, now);
        String ready = NodeConditions.readyStatus(node);
        Optional<List<NodeCondition>> conditions = Optional.empty();
        if (h.stale(now, grace)) {
            conditions = NodeConditions.markedUnknown(node, now);
            ready = "Unknown";
        }
        return new HealthStep(h, h.withLastReady(ready), conditions, h.leftReady(ready));
    }
}
