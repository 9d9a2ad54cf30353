package dev.ferry.apiserver.storage;

import dev.ferry.apiserver.ApiException;
import dev.ferry.api.selector.FieldSelector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** The fields each kind supports in field selectors, as upstream's per-resource GetAttrs. */
public final class Fields {
    private static final Map<String, List<String>> BY_KIND = Map.of(
            "Pod", List.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                    "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
            "Event", List.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                    "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                    "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
            "Service", List.of("spec.clusterIP", "spec.type"),
            "Namespace", List.of("status.phase"),
            "Node", List.of("spec.unschedulable"),
            "ReplicaSet", List.of("status.replicas"),
            "EndpointSlice", List.of("addressType"));

    private Fields() {
    }

    /** Rejects selectors on fields the kind does not support, with upstream's message. */
    public static void check(String kind, FieldSelector selector) {
        Set<String> allowed = Set.copyOf(BY_KIND.getOrDefault(kind, List.of()));
        for (String f : selector.fields()) {
            if (!f.equals("metadata.name") && !f.equals("metadata.namespace") && !allowed.contains(f)) {
                throw ApiException.badRequest("field label not supported: " + f);
            }
        }
    }

    public static Map<String, String> of(String kind, JsonNode obj) {
        Map<String, String> out = new HashMap<>();
        out.put("metadata.name", Meta.name(obj));
        out.put("metadata.namespace", Meta.namespace(obj));
        for (String f : BY_KIND.getOrDefault(kind, List.of())) {
            out.put(f, value(kind, obj, f));
        }
        return out;
    }

    private static String value(String kind, JsonNode obj, String path) {
        if (kind.equals("Event") && path.equals("source")) {
            return Meta.text(obj.get("source"), "component");
        }
        JsonNode cur = obj;
        for (String part : path.split("\\.")) {
            cur = cur == null ? null : cur.get(part);
        }
        if (cur == null || cur.isNull()) {
            return path.equals("spec.unschedulable") || path.equals("spec.hostNetwork") ? "false" : "";
        }
        return cur.asString("");
    }
}
