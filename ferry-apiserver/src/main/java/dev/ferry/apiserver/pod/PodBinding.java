package dev.ferry.apiserver.pod;

import dev.ferry.api.Json;
import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.storage.Registry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A core/v1 Binding applied to its pod, as upstream's BindingREST (pkg/registry/core/pod/storage): the pod gets
 * {@code spec.nodeName}, the binding's annotations and condition {@code PodScheduled=True}. A pod that is being
 * deleted, already bound, or still gated cannot be bound (409 Conflict on {@code pods/binding}). Pure.
 *
 * @param name        the pod's name (the Binding's metadata.name)
 * @param node        {@code target.name}
 * @param uid         precondition on the pod's uid; "" for none
 * @param resourceVersion precondition on the pod's resourceVersion; "" for none
 * @param annotations copied onto the pod
 */
public record PodBinding(String name, String node, String uid, String resourceVersion,
        Map<String, String> annotations) {

    /** Reads and validates a Binding body ({@code ValidatePodBinding}); 400 on a malformed one. */
    public static PodBinding parse(ObjectNode binding) {
        String kind = binding.path("kind").asString("");
        if (!kind.isEmpty() && !kind.equals("Binding")) {
            throw ApiException.badRequest("not a Binding object: kind " + kind);
        }
        String apiVersion = binding.path("apiVersion").asString("");
        if (!apiVersion.isEmpty() && !apiVersion.equals("v1")) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (v1)");
        }
        JsonNode meta = binding.path("metadata");
        JsonNode target = binding.path("target");
        List<String> errors = new ArrayList<>();
        String targetKind = target.path("kind").asString("");
        if (!targetKind.isEmpty() && !targetKind.equals("Node")) {
            errors.add("target.kind: Unsupported value: \"" + targetKind + "\": supported values: \"Node\", "
                    + "\"<empty>\"");
        }
        String node = target.path("name").asString("");
        if (node.isEmpty()) {
            errors.add("target.name: Required value");
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]");
        }
        Map<String, String> annotations = new java.util.LinkedHashMap<>();
        meta.path("annotations").properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asString("")));
        return new PodBinding(meta.path("name").asString(""), node, meta.path("uid").asString(""),
                meta.path("resourceVersion").asString(""), Map.copyOf(annotations));
    }

    /**
     * The bound pod: {@code pod} (a copy the caller owns, mutated and returned) with nodeName, annotations and the
     * PodScheduled condition set. Throws 409 when the pod cannot be bound, naming why.
     */
    public ObjectNode applyTo(ObjectNode pod, Instant now) {
        ObjectNode meta = (ObjectNode) pod.get("metadata");
        if (!uid.isEmpty() && !uid.equals(meta.path("uid").asString(""))) {
            throw conflict("Precondition failed: UID in precondition: " + uid + ", UID in object meta: "
                    + meta.path("uid").asString(""));
        }
        if (meta.hasNonNull("deletionTimestamp")) {
            throw conflict("pod " + name + " is being deleted, cannot be assigned to a host");
        }
        ObjectNode spec = pod.has("spec") && pod.get("spec").isObject() ? (ObjectNode) pod.get("spec")
                : pod.putObject("spec");
        String current = spec.path("nodeName").asString("");
        if (!current.isEmpty()) {
            throw conflict("pod " + name + " is already assigned to node \"" + current + "\"");
        }
        if (spec.path("schedulingGates").isArray() && !spec.path("schedulingGates").isEmpty()) {
            throw conflict("pod " + name + " has non-empty .spec.schedulingGates");
        }
        if (!resourceVersion.isEmpty()) {
            meta.put("resourceVersion", resourceVersion);
        }
        spec.put("nodeName", node);
        if (!annotations.isEmpty()) {
            ObjectNode a = meta.has("annotations") && meta.get("annotations").isObject()
                    ? (ObjectNode) meta.get("annotations") : meta.putObject("annotations");
            annotations.forEach(a::put);
        }
        ObjectNode status = pod.has("status") && pod.get("status").isObject() ? (ObjectNode) pod.get("status")
                : pod.putObject("status");
        setCondition(status, "PodScheduled", "True", now);
        return pod;
    }

    /**
     * podutil.UpdatePodCondition with a bare condition: replaces the condition of {@code type} (reason and message
     * cleared), keeping lastTransitionTime when the status is unchanged; appends it when absent.
     */
    static void setCondition(ObjectNode status, String type, String value, Instant now) {
        ArrayNode conditions = status.has("conditions") && status.get("conditions").isArray()
                ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        ObjectNode c = Json.object();
        c.put("type", type);
        c.put("status", value);
        c.putNull("lastProbeTime");
        c.put("lastTransitionTime", Registry.timestamp(now));
        for (int i = 0; i < conditions.size(); i++) {
            JsonNode old = conditions.get(i);
            if (old.path("type").asString("").equals(type)) {
                if (old.path("status").asString("").equals(value) && old.hasNonNull("lastTransitionTime")) {
                    c.set("lastTransitionTime", old.get("lastTransitionTime"));
                }
                conditions.set(i, c);
                return;
            }
        }
        conditions.add(c);
    }

    private ApiException conflict(String detail) {
        return ApiException.conflict("", "pods/binding", name, detail);
    }

    /** The answer to a successful binding: {@code Status Success} with code 201, as upstream. */
    public static ObjectNode success() {
        ObjectNode s = Json.object();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Success");
        s.put("code", 201);
        return s;
    }
}
