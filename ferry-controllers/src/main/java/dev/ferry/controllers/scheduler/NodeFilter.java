package dev.ferry.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a pod may run on a node: the default scheduler's filter plugins in their order (NodeUnschedulable,
 * TaintToleration, NodeAffinity), the first failing one giving the reason with upstream's text. A node whose Ready
 * condition is not True counts as carrying the NoSchedule taint the node lifecycle controller would put on it
 * ({@code node.kubernetes.io/not-ready}, or {@code node.kubernetes.io/unreachable} when Unknown). Pure.
 */
public final class NodeFilter {
    public static final String REASON_UNSCHEDULABLE = "node(s) were unschedulable";
    public static final String REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
    public static final String TAINT_NOT_READY = "node.kubernetes.io/not-ready";
    public static final String TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
    public static final String TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

    private NodeFilter() {
    }

    /** Why {@code pod} cannot go to {@code node}; empty when it fits. */
    public static Optional<String> unfitReason(Pod pod, Node node) {
        List<Toleration> tolerations = pod.getSpec().getTolerations() == null ? List.of()
                : pod.getSpec().getTolerations();
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())
                && !tolerates(tolerations, new Taint("NoSchedule", TAINT_UNSCHEDULABLE, null, null))) {
            return Optional.of(REASON_UNSCHEDULABLE);
        }
        for (Taint t : effectiveTaints(node)) {
            boolean filtered = "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect());
            if (filtered && !tolerates(tolerations, t)) {
                return Optional.of("node(s) had untolerated taint {" + t.getKey() + ": "
                        + Objects.requireNonNullElse(t.getValue(), "") + "}");
            }
        }
        if (!matchesSelectorAndAffinity(pod, node)) {
            return Optional.of(REASON_AFFINITY);
        }
        return Optional.empty();
    }

    /** The node's taints plus the not-ready/unreachable taint its Ready condition implies. */
    static List<Taint> effectiveTaints(Node node) {
        List<Taint> taints = new ArrayList<>();
        if (node.getSpec() != null && node.getSpec().getTaints() != null) {
            taints.addAll(node.getSpec().getTaints());
        }
        String ready = readyStatus(node);
        String implied = ready.equals("True") ? null : ready.equals("Unknown") ? TAINT_UNREACHABLE : TAINT_NOT_READY;
        if (implied != null && taints.stream().noneMatch(t -> implied.equals(t.getKey()))) {
            taints.add(new Taint("NoSchedule", implied, null, null));
        }
        return taints;
    }

    /** The status of the node's Ready condition; "Unknown" when it has none. */
    public static String readyStatus(Node node) {
        if (node.getStatus() != null && node.getStatus().getConditions() != null) {
            for (NodeCondition c : node.getStatus().getConditions()) {
                if ("Ready".equals(c.getType())) {
                    return Objects.requireNonNullElse(c.getStatus(), "Unknown");
                }
            }
        }
        return "Unknown";
    }

    /** v1.Toleration.ToleratesTaint for any of {@code tolerations}. */
    static boolean tolerates(List<Toleration> tolerations, Taint taint) {
        for (Toleration t : tolerations) {
            if (!empty(t.getEffect()) && !t.getEffect().equals(taint.getEffect())) {
                continue;
            }
            if (!empty(t.getKey()) && !t.getKey().equals(taint.getKey())) {
                continue;
            }
            String op = Objects.requireNonNullElse(t.getOperator(), "");
            if (op.equals("Exists")) {
                return true;
            }
            if ((op.isEmpty() || op.equals("Equal"))
                    && Objects.requireNonNullElse(t.getValue(), "").equals(
                            Objects.requireNonNullElse(taint.getValue(), ""))) {
                return true;
            }
        }
        return false;
    }

    /** spec.nodeSelector (every label) and, when set, the required node affinity (any term). */
    static boolean matchesSelectorAndAffinity(Pod pod, Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of()
                : node.getMetadata().getLabels();
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        if (selector != null) {
            for (Map.Entry<String, String> e : selector.entrySet()) {
                if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
        }
        NodeAffinity affinity = pod.getSpec().getAffinity() == null ? null
                : pod.getSpec().getAffinity().getNodeAffinity();
        NodeSelector required = affinity == null ? null
                : affinity.getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required == null) {
            return true;
        }
        List<NodeSelectorTerm> terms = required.getNodeSelectorTerms() == null ? List.of()
                : required.getNodeSelectorTerms();
        for (NodeSelectorTerm term : terms) {
            if (termMatches(term, labels, node.getMetadata().getName())) {
                return true;
            }
        }
        return false;
    }

    /** A term ANDs its requirements; a term with none matches nothing. */
    static boolean termMatches(NodeSelectorTerm term, Map<String, String> labels, String nodeName) {
        List<NodeSelectorRequirement> exprs = term.getMatchExpressions() == null ? List.of()
                : term.getMatchExpressions();
        List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
        if (exprs.isEmpty() && fields.isEmpty()) {
            return false;
        }
        for (NodeSelectorRequirement r : exprs) {
            if (!requirementMatches(r, labels.containsKey(r.getKey()), labels.get(r.getKey()))) {
                return false;
            }
        }
        for (NodeSelectorRequirement r : fields) {
            if (!"metadata.name".equals(r.getKey()) || !requirementMatches(r, true, nodeName)) {
                return false;
            }
        }
        return true;
    }

    static boolean requirementMatches(NodeSelectorRequirement r, boolean has, String value) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (Objects.requireNonNullElse(r.getOperator(), "")) {
            case "In" -> has && values.contains(value);
            case "NotIn" -> !has || !values.contains(value);
            case "Exists" -> has;
            case "DoesNotExist" -> !has;
            case "Gt", "Lt" -> {
                if (!has || values.size() != 1) {
                    yield false;
                }
                try {
                    long have = Long.parseLong(value);
                    long want = Long.parseLong(values.get(0));
                    yield r.getOperator().equals("Gt") ? have > want : have < want;
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
            default -> false;
        };
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
