package dev.ferry.agent.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A container's environment, built as the kubelet builds it ({@code makeEnvironmentVariables}), plus what the
 * container runtime adds:
 * <ol>
 *   <li>The container's {@code env} in order. A {@code value} has its {@code $(VAR)} references expanded against the
 *       variables defined so far, then the Service variables, then HOSTNAME and POD_IP ({@link Expansion}); a
 *       {@code valueFrom} is resolved from the downward API ({@code fieldRef}, {@code resourceFieldRef}). A later
 *       entry with the same name replaces the value.</li>
 *   <li>The Service link variables ({@link ServiceEnv}) whose names the container does not define.</li>
 *   <li>{@code HOSTNAME} (the pod's host name) and {@code POD_IP} (the pod's first IP), unless the container defines
 *       them (a container runtime sets HOSTNAME; POD_IP is Ferry's: the built-in images bind it).</li>
 * </ol>
 * The returned map is ordered lowest precedence first: HOSTNAME/POD_IP, Service variables, then the container's
 * variables in declaration order. {@code configMapKeyRef}, {@code secretKeyRef}, {@code fileKeyRef} and
 * {@code envFrom} are not supported: they fail with {@link ConfigError} (reason CreateContainerConfigError).
 *
 * <p>Pure: no I/O; everything comes from the arguments.
 */
public final class ContainerEnv {
    private ContainerEnv() {
    }

    /**
     * What the downward API reads besides the pod object.
     *
     * @param podIps          the pod's IPs (the first is status.podIP); may be empty before assignment
     * @param hostIps         the node's IPs (the first is status.hostIP)
     * @param nodeAllocatable the node's allocatable resources ("cpu", "memory", "ephemeral-storage"), used for
     *                        {@code limits.*} that the container leaves unset, as the kubelet does
     */
    public record PodContext(Pod pod, List<String> podIps, List<String> hostIps, Map<String, Quantity> nodeAllocatable) {
        public PodContext {
            Objects.requireNonNull(pod, "pod");
            podIps = List.copyOf(podIps);
            hostIps = List.copyOf(hostIps);
            nodeAllocatable = Map.copyOf(nodeAllocatable);
        }

        String podIp() {
            return podIps.isEmpty() ? "" : podIps.getFirst();
        }
    }

    /** The container's configuration cannot be turned into an environment; the pod manager reports it. */
    public static final class ConfigError extends Exception {
        public ConfigError(String message) {
            super(message);
        }

        /** The container's waiting reason. */
        public String reason() {
            return "CreateContainerConfigError";
        }
    }

    /** The complete environment of {@code container} (a container or init container of {@code context.pod()}). */
    public static Map<String, String> build(PodContext context, Container container, Map<String, String> serviceEnv)
            throws ConfigError {
        if (container.getEnvFrom() != null && !container.getEnvFrom().isEmpty()) {
            throw new ConfigError("container \"" + container.getName()
                    + "\": envFrom (config maps and secrets) is not supported by Ferry");
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("HOSTNAME", hostname(context.pod()));
        defaults.put("POD_IP", context.podIp());

        Map<String, String> declared = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            String value = var.getValue() == null ? "" : var.getValue();
            if (!value.isEmpty()) {
                value = Expansion.expand(value, declared, serviceEnv, defaults);
            } else if (var.getValueFrom() != null) {
                value = resolve(context, container, var.getName(), var.getValueFrom());
            }
            declared.put(var.getName(), value);
        }

        Map<String, String> env = new LinkedHashMap<>();
        defaults.forEach((k, v) -> {
            if (!declared.containsKey(k)) {
                env.put(k, v);
            }
        });
        serviceEnv.forEach((k, v) -> {
            if (!declared.containsKey(k)) {
                env.put(k, v);
            }
        });
        env.putAll(declared);
        return env;
    }

    /** {@code $(VAR)} expansion of a container's command or args against its final environment. */
    public static List<String> expand(List<String> commandOrArgs, Map<String, String> env) {
        if (commandOrArgs == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(commandOrArgs.size());
        for (String arg : commandOrArgs) {
            out.add(Expansion.expand(arg, env));
        }
        return out;
    }

    /**
     * The pod's host name as the kubelet computes it: spec.hostnameOverride, else spec.hostname, else the pod name
     * cut to 63 characters (without a trailing '-' or '.').
     */
    public static String hostname(Pod pod) {
        var spec = pod.getSpec();
        if (spec != null && spec.getHostnameOverride() != null && !spec.getHostnameOverride().isEmpty()) {
            return spec.getHostnameOverride();
        }
        if (spec != null && spec.getHostname() != null && !spec.getHostname().isEmpty()) {
            return spec.getHostname();
        }
        String name = pod.getMetadata().getName();
        if (name.length() <= 63) {
            return name;
        }
        String cut = name.substring(0, 63);
        while (!cut.isEmpty() && (cut.endsWith("-") || cut.endsWith("."))) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }

    private static String resolve(PodContext context, Container container, String name, EnvVarSource source)
            throws ConfigError {
        if (source.getFieldRef() != null) {
            return fieldRef(context, name, source.getFieldRef());
        }
        if (source.getResourceFieldRef() != null) {
            return resourceFieldRef(context, container, name, source.getResourceFieldRef());
        }
        String kind = source.getConfigMapKeyRef() != null ? "configMapKeyRef"
                : source.getSecretKeyRef() != null ? "secretKeyRef"
                : source.getFileKeyRef() != null ? "fileKeyRef" : "this valueFrom source";
        throw new ConfigError("env \"" + name + "\": " + kind + " is not supported by Ferry");
    }

    static String fieldRef(PodContext context, String name, ObjectFieldSelector selector) throws ConfigError {
        if (selector.getApiVersion() != null && !selector.getApiVersion().isEmpty()
                && !selector.getApiVersion().equals("v1")) {
            throw new ConfigError("env \"" + name + "\": unsupported fieldRef apiVersion \""
                    + selector.getApiVersion() + "\"");
        }
        Pod pod = context.pod();
        String path = selector.getFieldPath() == null ? "" : selector.getFieldPath();
        var meta = pod.getMetadata();
        var spec = pod.getSpec();
        switch (path) {
            case "metadata.name":
                return nullToEmpty(meta.getName());
            case "metadata.namespace":
                return nullToEmpty(meta.getNamespace());
            case "metadata.uid":
                return nullToEmpty(meta.getUid());
            case "metadata.labels":
                return formatMap(meta.getLabels());
            case "metadata.annotations":
                return formatMap(meta.getAnnotations());
            case "spec.nodeName":
                return spec == null ? "" : nullToEmpty(spec.getNodeName());
            case "spec.serviceAccountName":
                return spec == null ? "" : nullToEmpty(spec.getServiceAccountName());
            case "status.podIP":
                return context.podIp();
            case "status.podIPs":
                return String.join(",", context.podIps());
            case "status.hostIP":
                return context.hostIps().isEmpty() ? "" : context.hostIps().getFirst();
            case "status.hostIPs":
                return String.join(",", context.hostIps());
            default:
                break;
        }
        String key = subscript(path, "metadata.labels");
        if (key != null) {
            return meta.getLabels() == null ? "" : nullToEmpty(meta.getLabels().get(key));
        }
        key = subscript(path, "metadata.annotations");
        if (key != null) {
            return meta.getAnnotations() == null ? "" : nullToEmpty(meta.getAnnotations().get(key));
        }
        throw new ConfigError("env \"" + name + "\": unsupported fieldPath: " + path);
    }

    /** The key of {@code prefix['key']}, or null when {@code path} has another form. */
    private static String subscript(String path, String prefix) {
        if (path.startsWith(prefix + "['") && path.endsWith("']") && path.length() > prefix.length() + 4) {
            return path.substring(prefix.length() + 2, path.length() - 2);
        }
        return null;
    }

    /** As upstream {@code fieldpath.FormatMap}: sorted {@code key="value"} lines. */
    private static String formatMap(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (var entry : new TreeMap<>(map).entrySet()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(entry.getKey()).append('=').append(quote(entry.getValue()));
        }
        return out.toString();
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : nullToEmpty(value).toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static String resourceFieldRef(PodContext context, Container self, String name, ResourceFieldSelector selector)
            throws ConfigError {
        Container container = self;
        String containerName = selector.getContainerName();
        if (containerName != null && !containerName.isEmpty() && !containerName.equals(self.getName())) {
            var spec = context.pod().getSpec();
            container = Stream.concat(
                            spec.getContainers() == null ? Stream.empty() : spec.getContainers().stream(),
                            spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream())
                    .filter(c -> containerName.equals(c.getName())).findFirst()
                    .orElseThrow(() -> new ConfigError("env \"" + name + "\": resourceFieldRef: container \""
                            + containerName + "\" not found in the pod"));
        }
        String resource = selector.getResource() == null ? "" : selector.getResource();
        int dot = resource.indexOf('.');
        String kind = dot < 0 ? "" : resource.substring(0, dot);
        String resourceName = dot < 0 ? "" : resource.substring(dot + 1);
        if (!(kind.equals("limits") || kind.equals("requests"))
                || !(resourceName.equals("cpu") || resourceName.equals("memory")
                || resourceName.equals("ephemeral-storage") || resourceName.startsWith("hugepages-"))) {
            throw new ConfigError("env \"" + name + "\": unsupported container resource: " + resource);
        }
        ResourceRequirements resources = container.getResources();
        Map<String, Quantity> values = resources == null ? null
                : kind.equals("limits") ? resources.getLimits() : resources.getRequests();
        Quantity quantity = values == null ? null : values.get(resourceName);
        if (quantity == null && kind.equals("limits")) {
            quantity = context.nodeAllocatable().get(resourceName);
        }
        BigDecimal amount;
        BigDecimal divisor;
        try {
            amount = quantity == null ? BigDecimal.ZERO : quantity.getNumericalAmount();
            divisor = selector.getDivisor() == null || selector.getDivisor().getAmount() == null
                    || selector.getDivisor().getNumericalAmount().signum() == 0
                    ? BigDecimal.ONE : selector.getDivisor().getNumericalAmount();
        } catch (RuntimeException e) {
            throw new ConfigError("env \"" + name + "\": resourceFieldRef " + resource + ": " + e.getMessage());
        }
        if (resourceName.equals("cpu")) {
            // upstream divides milli-values: both sides are first rounded up to whole millicores
            amount = amount.movePointRight(3).setScale(0, RoundingMode.CEILING);
            divisor = divisor.movePointRight(3).setScale(0, RoundingMode.CEILING);
        } else {
            amount = amount.setScale(0, RoundingMode.CEILING);
            divisor = divisor.setScale(0, RoundingMode.CEILING);
        }
        if (divisor.signum() == 0) {
            divisor = BigDecimal.ONE;
        }
        return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
