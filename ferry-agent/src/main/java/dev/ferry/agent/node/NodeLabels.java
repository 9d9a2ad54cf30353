package dev.ferry.agent.node;

import dev.ferry.api.validation.ValueValidation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kubelet's {@code --node-labels}: {@code key=value} pairs separated by commas, validated as the kubelet does
 * (ValidateKubeletFlags): keys are qualified names, values label values, and a key in the {@code kubernetes.io} or
 * {@code k8s.io} namespaces must be one the kubelet may set on its own node (NodeRestriction's rule), e.g.
 * {@code topology.kubernetes.io/zone} or anything under {@code node.kubernetes.io/}, but not
 * {@code node-role.kubernetes.io/...}.
 */
public final class NodeLabels {
    /** Upstream's kubeletapis.KubeletLabels, in its order. */
    static final List<String> KUBELET_LABELS = List.of("beta.kubernetes.io/arch", "beta.kubernetes.io/instance-type",
            "beta.kubernetes.io/os", "failure-domain.beta.kubernetes.io/region",
            "failure-domain.beta.kubernetes.io/zone", "kubernetes.io/arch", "kubernetes.io/hostname",
            "kubernetes.io/os", "node.kubernetes.io/instance-type", "topology.kubernetes.io/region",
            "topology.kubernetes.io/zone");
    /** Upstream's kubeletapis.KubeletLabelNamespaces. */
    static final List<String> KUBELET_NAMESPACES = List.of("kubelet.kubernetes.io", "node.kubernetes.io");
    private static final Set<String> KUBELET_LABEL_SET = Set.copyOf(KUBELET_LABELS);

    private NodeLabels() {
    }

    /**
     * The labels of {@code flag} ("" = none), in the order given (a repeated key keeps its last value).
     *
     * @throws IllegalArgumentException naming what is wrong, in the kubelet's words
     */
    public static Map<String, String> parse(String flag) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : flag.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--node-labels: malformed pair '" + pair.strip()
                        + "', expect key=value");
            }
            labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        List<String> unknown = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String key = e.getKey();
            if (kubernetesNamespace(key) && !kubeletLabel(key)) {
                unknown.add(key);
            }
            List<String> keyErrors = ValueValidation.isQualifiedName(key);
            if (!keyErrors.isEmpty()) {
                invalid.add("'" + key + "' - " + String.join(", ", keyErrors));
            }
            List<String> valueErrors = ValueValidation.isValidLabelValue(e.getValue());
            if (!valueErrors.isEmpty()) {
                invalid.add("'" + e.getValue() + "' - " + String.join(", ", valueErrors));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown 'kubernetes.io' or 'k8s.io' labels specified with "
                    + "--node-labels: " + unknown.stream().sorted().toList().toString().replace(",", "")
                    + "; --node-labels in the 'kubernetes.io' namespace must begin with an allowed prefix ("
                    + String.join(", ", KUBELET_NAMESPACES) + ") or be in the specifically allowed set ("
                    + String.join(", ", KUBELET_LABELS) + ")");
        }
        if (!invalid.isEmpty()) {
            throw new IllegalArgumentException("invalid node labels: " + String.join("; ", invalid));
        }
        return labels;
    }

    private static String namespace(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    private static boolean kubernetesNamespace(String key) {
        String ns = namespace(key);
        return ns.equals("kubernetes.io") || ns.endsWith(".kubernetes.io") || ns.equals("k8s.io")
                || ns.endsWith(".k8s.io");
    }

    private static boolean kubeletLabel(String key) {
        if (KUBELET_LABEL_SET.contains(key)) {
            return true;
        }
        String ns = namespace(key);
        for (String allowed : KUBELET_NAMESPACES) {
            if (ns.equals(allowed) || ns.endsWith("." + allowed)) {
                return true;
            }
        }
        return false;
    }
}
