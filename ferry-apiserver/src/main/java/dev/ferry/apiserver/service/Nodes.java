package dev.ferry.apiserver.service;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Null-tolerant reads of JSON trees with Go zero-value semantics: an absent field, a JSON null and the zero value read
 * the same ("" for strings, 0 for numbers, empty for lists).
 */
final class Nodes {
    private Nodes() {
    }

    static boolean isSet(JsonNode parent, String field) {
        if (parent == null || !parent.isObject()) {
            return false;
        }
        JsonNode v = parent.get(field);
        return v != null && !v.isNull();
    }

    static JsonNode get(JsonNode parent, String field) {
        return isSet(parent, field) ? parent.get(field) : null;
    }

    static String text(JsonNode parent, String field) {
        JsonNode v = get(parent, field);
        if (v == null) {
            return "";
        }
        return v.isString() ? v.asString() : v.isValueNode() ? v.asString() : v.toString();
    }

    /** Integral value, 0 when absent, null or not an integer. */
    static long integer(JsonNode parent, String field) {
        JsonNode v = get(parent, field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            return 0;
        }
        return v.asLong();
    }

    static ObjectNode object(JsonNode parent, String field) {
        JsonNode v = get(parent, field);
        return v != null && v.isObject() ? (ObjectNode) v : null;
    }

    static ArrayNode array(JsonNode parent, String field) {
        JsonNode v = get(parent, field);
        return v != null && v.isArray() ? (ArrayNode) v : null;
    }

    static int size(JsonNode parent, String field) {
        ArrayNode a = array(parent, field);
        return a == null ? 0 : a.size();
    }

    static List<String> strings(JsonNode parent, String field) {
        ArrayNode a = array(parent, field);
        List<String> out = new ArrayList<>();
        if (a != null) {
            for (JsonNode n : a) {
                out.add(n.isNull() ? "" : n.asString());
            }
        }
        return out;
    }

    /** Object elements of an array field (non-objects are skipped). */
    static List<ObjectNode> objects(JsonNode parent, String field) {
        ArrayNode a = array(parent, field);
        List<ObjectNode> out = new ArrayList<>();
        if (a != null) {
            for (JsonNode n : a) {
                if (n.isObject()) {
                    out.add((ObjectNode) n);
                }
            }
        }
        return out;
    }

    static ArrayNode stringArray(List<String> values) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        values.forEach(a::add);
        return a;
    }

    /** Sets {@code field} to {@code values}, removing it when the list is empty (Go's omitempty). */
    static void putStrings(ObjectNode parent, String field, List<String> values) {
        if (values.isEmpty()) {
            parent.remove(field);
        } else {
            parent.set(field, stringArray(values));
        }
    }

    /** The value of a nullable field as upstream renders a pointer: the node, or null. */
    static Object pointer(JsonNode parent, String field) {
        JsonNode v = get(parent, field);
        if (v == null) {
            return null;
        }
        return v.isString() ? v.asString() : v;
    }

    /** The value for a field error: the field's node (a JSON null when absent). */
    static JsonNode valueOrNull(JsonNode parent, String field) {
        JsonNode v = get(parent, field);
        return v == null ? JsonNodeFactory.instance.nullNode() : v;
    }
}
