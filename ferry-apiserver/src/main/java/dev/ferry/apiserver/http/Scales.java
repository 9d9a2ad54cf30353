package dev.ferry.apiserver.http;

import dev.ferry.api.Json;
import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.storage.Meta;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@code autoscaling/v1 Scale} view of deployments and replica sets. */
final class Scales {
    static final ResourceType SCALE_TYPE = new ResourceType("autoscaling", "v1", "scale", "scale", "Scale", true,
            List.of(), List.of(), List.of(), new dev.ferry.apiserver.resource.Strategy() {
            });

    private Scales() {
    }

    static ObjectNode toScale(ObjectNode obj) {
        ObjectNode scale = Json.object();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        ObjectNode src = Meta.metadata(obj);
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (src.has(f)) {
                meta.set(f, src.get(f));
            }
        }
        scale.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(0));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", obj.path("status").path("replicas").asInt(0));
        status.put("selector", selectorString(obj.path("spec").path("selector")));
        return scale;
    }

    /** Sets {@code spec.replicas} from a Scale; with {@code checkVersion}, its resourceVersion must be current. */
    static ObjectNode applyScale(ObjectNode current, ObjectNode scale, boolean checkVersion) {
        String rv = Meta.resourceVersion(scale);
        if (checkVersion && !rv.isEmpty() && !rv.equals(Meta.resourceVersion(current))) {
            String kind = current.path("kind").asString("");
            throw ApiException.modified("apps", kind.toLowerCase(java.util.Locale.ROOT) + "s.apps", Meta.name(current));
        }
        JsonNode replicas = scale.path("spec").get("replicas");
        if (replicas == null || !replicas.canConvertToInt() || replicas.asInt() < 0) {
            throw ApiException.invalid("autoscaling", "Scale", Meta.name(current), List.of(
                    dev.ferry.api.validation.FieldError.invalid("spec.replicas", replicas == null ? null : replicas,
                            "must be greater than or equal to 0")));
        }
        ObjectNode spec = current.has("spec") && current.get("spec").isObject() ? (ObjectNode) current.get("spec")
                : current.putObject("spec");
        spec.put("replicas", replicas.asInt());
        return current;
    }

    /** A {@code metav1.LabelSelector} as its string form ({@code a=b,c in (d)}). */
    static String selectorString(JsonNode selector) {
        List<String> parts = new ArrayList<>();
        Meta.stringMap(selector.get("matchLabels")).forEach((k, v) -> parts.add(k + "=" + v));
        for (JsonNode e : selector.path("matchExpressions")) {
            String key = e.path("key").asString("");
            List<String> values = new ArrayList<>();
            e.path("values").forEach(v -> values.add(v.asString("")));
            values.sort(null);
            switch (e.path("operator").asString("")) {
                case "In" -> parts.add(key + " in (" + String.join(",", values) + ")");
                case "NotIn" -> parts.add(key + " notin (" + String.join(",", values) + ")");
                case "Exists" -> parts.add(key);
                case "DoesNotExist" -> parts.add("!" + key);
                default -> { }
            }
        }
        return String.join(",", parts);
    }
}
