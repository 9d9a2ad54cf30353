package dev.ferry.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The status rewrites of the node lifecycle controller, as upstream's tryUpdateNodeHealth and MarkPodsNotReady.
 * Pure: inputs are not modified.
 */
public final class NodeConditions {
    public static final String REASON_UNKNOWN = "NodeStatusUnknown";
    public static final String MESSAGE_UNKNOWN = "Kubelet stopped posting node status.";
    public static final String REASON_NEVER = "NodeStatusNeverUpdated";
    public static final String MESSAGE_NEVER = "Kubelet never posted node status.";
    /** Ready, then the conditions upstream also sets to Unknown (not NetworkUnavailable: the network owns it). */
    static final List<String> MARKED = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

    private NodeConditions() {
    }

    static NodeCondition find(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if (type.equals(c.getType())) {
                return c;
            }
        }
        return null;
    }

    /** The Ready condition's status; "Unknown" without one. */
    public static String readyStatus(Node node) {
        NodeCondition c = find(node, "Ready");
        return c == null ? "Unknown" : Objects.requireNonNullElse(c.getStatus(), "Unknown");
    }

    /**
     * The node's conditions with Ready, MemoryPressure, DiskPressure and PIDPressure set to Unknown (reason
     * NodeStatusUnknown, "Kubelet stopped posting node status.", transition time now, heartbeat kept); a missing one is
     * added as NodeStatusNeverUpdated with the node's creation time as heartbeat. Empty when nothing changes.
     */
    public static Optional<List<NodeCondition>> markedUnknown(Node node, Instant now) {
        List<NodeCondition> out = new ArrayList<>();
        if (node.getStatus() != null && node.getStatus().getConditions() != null) {
            for (NodeCondition c : node.getStatus().getConditions()) {
                out.add(new NodeConditionBuilder(c).build());
            }
        }
        String ts = timestamp(now);
        boolean changed = false;
        for (String type : MARKED) {
            NodeCondition c = out.stream().filter(x -> type.equals(x.getType())).findFirst().orElse(null);
            if (c == null) {
                out.add(new NodeConditionBuilder().withType(type).withStatus("Unknown").withReason(REASON_NEVER)
                        .withMessage(MESSAGE_NEVER).withLastHeartbeatTime(node.getMetadata().getCreationTimestamp())
                        .withLastTransitionTime(ts).build());
                changed = true;
            } else if (!"Unknown".equals(c.getStatus())) {
                c.setStatus("Unknown");
                c.setReason(REASON_UNKNOWN);
                c.setMessage(MESSAGE_UNKNOWN);
                c.setLastTransitionTime(ts);
                changed = true;
            }
        }
        return changed ? Optional.of(out) : Optional.empty();
    }

    /**
     * The pod's conditions with Ready set to False (reason and message kept, transition time now), as
     * MarkPodsNotReady does; empty when the pod has no Ready condition or it is already False.
     */
    public static Optional<List<PodCondition>> podNotReady(Pod pod, Instant now) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        List<PodCondition> out = new ArrayList<>();
        boolean changed = false;
        for (PodCondition c : pod.getStatus().getConditions()) {
            PodCondition copy = new PodConditionBuilder(c).build();
            if ("Ready".equals(c.getType()) && !"False".equals(c.getStatus())) {
                copy.setStatus("False");
                copy.setLastTransitionTime(timestamp(now));
                changed = true;
            }
            out.add(copy);
        }
        return changed ? Optional.of(out) : Optional.empty();
    }

    static String timestamp(Instant now) {
        return DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    }
}
