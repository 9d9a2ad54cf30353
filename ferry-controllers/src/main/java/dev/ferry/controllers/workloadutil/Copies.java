package dev.ferry.controllers.workloadutil;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Deep copies of cached objects (never mutate what an informer returned) and canonical JSON trees of them. */
public final class Copies {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Copies() {
    }

    /** A deep copy of a fabric8 model object. */
    public static <T> T copy(T obj) {
        return SERIALIZATION.clone(obj);
    }

    /**
     * The object as a JSON tree with keys sorted and nulls, empty objects and empty arrays dropped, so that two
     * semantically equal objects give equal trees and the same text whatever the field order.
     */
    public static JsonNode canonical(Object obj) {
        return canonical(obj, false);
    }

    /**
     * As {@link #canonical(Object)}; with {@code omitZero} also without numeric zeros and false, as Go's
     * {@code omitempty} writes them: compare statuses this way, so that a stored 0 and an absent field agree.
     */
    public static JsonNode canonical(Object obj, boolean omitZero) {
        JsonNode tree = SERIALIZATION.convertValue(obj, JsonNode.class);
        JsonNode c = canonicalize(tree, omitZero);
        return c == null ? JsonNodeFactory.instance.objectNode() : c;
    }

    private static JsonNode canonicalize(JsonNode node, boolean omitZero) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (omitZero && ((node.isNumber() && node.asDouble() == 0) || (node.isBoolean() && !node.asBoolean()))) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            java.util.TreeMap<String, JsonNode> sorted = new java.util.TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                JsonNode v = canonicalize(e.getValue(), omitZero);
                if (v != null) {
                    sorted.put(e.getKey(), v);
                }
            }
            sorted.forEach(out::set);
            return out.isEmpty() ? null : out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (Iterator<JsonNode> it = node.iterator(); it.hasNext();) {
                JsonNode v = canonicalize(it.next(), omitZero);
                out.add(v == null ? JsonNodeFactory.instance.objectNode() : v);
            }
            return out.isEmpty() ? null : out;
        }
        return node;
    }
}
