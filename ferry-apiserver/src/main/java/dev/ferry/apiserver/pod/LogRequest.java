package dev.ferry.apiserver.pod;

import dev.ferry.api.validation.FieldError;
import dev.ferry.apiserver.ApiException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A {@code pods/log} request (core/v1 PodLogOptions) and the decisions upstream's LogLocation makes before the
 * kubelet is asked: which container, whether the options are valid, where the node's log endpoint is. Pure.
 *
 * @param container    as requested; "" when not given
 * @param sinceSeconds null when not given; likewise the other optional numbers and {@code sinceTime}
 */
public record LogRequest(String container, boolean follow, boolean previous, boolean timestamps, Long sinceSeconds,
        String sinceTime, Long tailLines, Long limitBytes) {

    /** Upstream's pod annotation naming the container {@code kubectl logs} and {@code exec} use by default. */
    public static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

    /** Parses the query parameters ({@code param} gives null when absent); 400 on a malformed number or flag. */
    public static LogRequest parse(Function<String, String> param) {
        return new LogRequest(Optional.ofNullable(param.apply("container")).orElse(""),
                flag(param, "follow"), flag(param, "previous"), flag(param, "timestamps"),
                number(param, "sinceSeconds"), param.apply("sinceTime"), number(param, "tailLines"),
                number(param, "limitBytes"));
    }

    /** ValidatePodLogOptions: the errors of a 422 {@code PodLogOptions "pod" is invalid}. */
    public List<FieldError> validate() {
        List<FieldError> errs = new ArrayList<>();
        if (tailLines != null && tailLines < 0) {
            errs.add(FieldError.invalid("tailLines", tailLines, "must be greater than or equal to 0"));
        }
        if (limitBytes != null && limitBytes < 1) {
            errs.add(FieldError.invalid("limitBytes", limitBytes, "must be greater than 0"));
        }
        if (sinceSeconds != null && sinceTime != null) {
            errs.add(FieldError.forbidden("sinceSeconds", "at most one of `sinceTime` or `sinceSeconds` may be "
                    + "specified"));
        } else if (sinceSeconds != null && sinceSeconds < 1) {
            errs.add(FieldError.invalid("sinceSeconds", sinceSeconds, "must be greater than 0"));
        }
        return errs;
    }

    /**
     * The container to read: the requested one (400 {@code container c is not valid for pod p} when the pod has no
     * such container, init or regular); else the only container; else the default-container annotation; else 400
     * listing the choices.
     */
    public String chooseContainer(JsonNode pod) {
        String podName = pod.path("metadata").path("name").asString("");
        List<String> all = containerNames(pod);
        if (!container.isEmpty()) {
            if (!all.contains(container)) {
                throw ApiException.badRequest("container " + container + " is not valid for pod " + podName);
            }
            return container;
        }
        JsonNode containers = pod.path("spec").path("containers");
        if (containers.size() == 1) {
            return containers.get(0).path("name").asString("");
        }
        String annotated = pod.path("metadata").path("annotations").path(DEFAULT_CONTAINER_ANNOTATION).asString("");
        if (!annotated.isEmpty() && all.contains(annotated)) {
            return annotated;
        }
        if (containers.isEmpty()) {
            throw ApiException.badRequest("a container name must be specified for pod " + podName);
        }
        throw ApiException.badRequest("a container name must be specified for pod " + podName + ", choose one of: ["
                + String.join(" ", all) + "]");
    }

    /** Init containers, then containers, then ephemeral containers, as podutil.VisitContainers. */
    static List<String> containerNames(JsonNode pod) {
        List<String> names = new ArrayList<>();
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (JsonNode c : pod.path("spec").path(list)) {
                names.add(c.path("name").asString(""));
            }
        }
        return names;
    }

    /**
     * Why there is nothing to read yet, in the kubelet's words, judged from the pod as stored: a pod not bound to a
     * node, or a container whose status shows it waiting with no earlier run ({@code container "c" in pod "p" is
     * waiting to start: ContainerCreating}). Empty when the node should be asked. {@code previous} reads are always
     * left to the node.
     */
    public Optional<String> notStarted(JsonNode pod, String containerName) {
        if (previous) {
            return Optional.empty();
        }
        String podName = pod.path("metadata").path("name").asString("");
        String prefix = "container \"" + containerName + "\" in pod \"" + podName + "\" is waiting to start: ";
        JsonNode status = findStatus(pod.path("status"), containerName);
        if (pod.path("spec").path("nodeName").asString("").isEmpty()) {
            return Optional.of(prefix + waitingReason(status).orElse("ContainerCreating"));
        }
        if (status == null) {
            return Optional.of(prefix + "ContainerCreating");
        }
        JsonNode state = status.path("state");
        boolean ran = state.has("running") || state.has("terminated") || status.path("lastState").has("terminated");
        if (ran) {
            return Optional.empty();
        }
        return Optional.of(prefix + waitingReason(status).orElse("ContainerCreating"));
    }

    private static Optional<String> waitingReason(JsonNode status) {
        if (status == null) {
            return Optional.empty();
        }
        String reason = status.path("state").path("waiting").path("reason").asString("");
        return switch (reason) {
            case "" -> Optional.empty();
            case "ErrImagePull" -> Optional.of("image can't be pulled");
            case "ImagePullBackOff" -> Optional.of("trying and failing to pull image");
            default -> Optional.of(reason);
        };
    }

    private static JsonNode findStatus(JsonNode podStatus, String containerName) {
        for (String list : List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")) {
            for (JsonNode s : podStatus.path(list)) {
                if (s.path("name").asString("").equals(containerName)) {
                    return s;
                }
            }
        }
        return null;
    }

    /**
     * The node agent's log URL: {@code http://<InternalIP>:<kubelet port>/containerLogs/ns/pod/container?...}
     * with the options upstream forwards. 500 when the node has no InternalIP or no kubelet port.
     */
    public URI location(JsonNode node, String namespace, String pod, String containerName) {
        String nodeName = node.path("metadata").path("name").asString("");
        String ip = "";
        for (JsonNode a : node.path("status").path("addresses")) {
            if (a.path("type").asString("").equals("InternalIP")) {
                ip = a.path("address").asString("");
                break;
            }
        }
        if (ip.isEmpty()) {
            throw ApiException.internal("node " + nodeName + " has no InternalIP address");
        }
        long port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port").asLong(0);
        if (port <= 0 || port > 65535) {
            throw ApiException.internal("node " + nodeName + " reports no kubelet endpoint port");
        }
        List<String> query = new ArrayList<>();
        if (follow) {
            query.add("follow=true");
        }
        if (previous) {
            query.add("previous=true");
        }
        if (timestamps) {
            query.add("timestamps=true");
        }
        if (sinceSeconds != null) {
            query.add("sinceSeconds=" + sinceSeconds);
        }
        if (sinceTime != null) {
            query.add("sinceTime=" + URLEncoder.encode(sinceTime, StandardCharsets.UTF_8));
        }
        if (tailLines != null) {
            query.add("tailLines=" + tailLines);
        }
        if (limitBytes != null) {
            query.add("limitBytes=" + limitBytes);
        }
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        return URI.create("http://" + host + ":" + port + "/containerLogs/" + segment(namespace) + "/" + segment(pod)
                + "/" + segment(containerName) + (query.isEmpty() ? "" : "?" + String.join("&", query)));
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean flag(Function<String, String> param, String name) {
        String v = param.apply(name);
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "", "true", "1", "True", "TRUE", "t", "T" -> true;
            case "false", "0", "False", "FALSE", "f", "F" -> false;
            default -> throw ApiException.badRequest("invalid " + name + ": " + v);
        };
    }

    private static Long number(Function<String, String> param, String name) {
        String v = param.apply(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid " + name + ": " + v);
        }
    }
}
