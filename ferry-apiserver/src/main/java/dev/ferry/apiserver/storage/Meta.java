package dev.ferry.apiserver.storage;

import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Read and write helpers for {@code metadata} of objects held as trees. */
public final class Meta {
    private Meta() {
    }

    public static ObjectNode metadata(ObjectNode obj) {
        JsonNode m = obj.get("metadata");
        if (m instanceof ObjectNode o) {
            return o;
        }
        return obj.putObject("metadata");
    }

    /** The field as text: "" when absent, null or not a scalar (objects read from clients may hold anything). */
    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null ? "" : v.asString("");
    }

    public static String name(JsonNode obj) {
        return text(obj.get("metadata"), "name");
    }

    public static String namespace(JsonNode obj) {
        return text(obj.get("metadata"), "namespace");
    }

    public static String uid(JsonNode obj) {
        return text(obj.get("metadata"), "uid");
    }

    public static String resourceVersion(JsonNode obj) {
        return text(obj.get("metadata"), "resourceVersion");
    }

    public static Map<String, String> labels(JsonNode obj) {
        return stringMap(obj.path("metadata").get("labels"));
    }

    public static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(e.getKey(), e.getValue().asString(""));
            }
        }
        return out;
    }

    public static boolean hasFinalizers(JsonNode obj) {
        JsonNode f = obj.path("metadata").get("finalizers");
        return f != null && f.isArray() && !f.isEmpty();
    }

    public static boolean isDeleting(JsonNode obj) {
        JsonNode d = obj.path("metadata").get("deletionTimestamp");
        return d != null && !d.isNull();
    }
}
