package dev.ferry.apiserver.workload;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Small read helpers over Jackson trees, with Go's view of absent values (absent = zero value). */
final class Nodes {
    private Nodes() {
    }

    /** The string at {@code field}, or "" when absent, null or not a string. */
    static String text(JsonNode parent, String field) {
        JsonNode n = parent == null ? null : parent.get(field);
        return n != null && n.isString() ? n.asString() : "";
    }

    /** The object at {@code field}, or null when absent or not an object. */
    static ObjectNode object(JsonNode parent, String field) {
        JsonNode n = parent == null ? null : parent.get(field);
        return n instanceof ObjectNode o ? o : null;
    }

    /** The object at {@code field}, created empty when absent (or not an object). */
    static ObjectNode objectOrCreate(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n instanceof ObjectNode o) {
            return o;
        }
        return parent.putObject(field);
    }

    /** The array at {@code field}, or null. */
    static ArrayNode array(JsonNode parent, String field) {
        JsonNode n = parent == null ? null : parent.get(field);
        return n instanceof ArrayNode a ? a : null;
    }

    static int size(JsonNode parent, String field) {
        JsonNode n = parent == null ? null : parent.get(field);
        return n != null && (n.isArray() || n.isObject()) ? n.size() : 0;
    }

    static boolean present(JsonNode parent, String field) {
        JsonNode n = parent == null ? null : parent.get(field);
        return n != null && !n.isNull();
    }

    /** The integral number at {@code field}, or {@code dflt} when absent, null or not an integral number. */
    static long number(JsonNode parent, String field, long dflt) {
        JsonNode n = parent == null ? null : parent.get(field);
        return n != null && n.isIntegralNumber() ? n.asLong() : dflt;
    }

    /**
     * Equality as apimachinery's {@code Semantic.DeepEqual} sees decoded objects: numbers by value whatever their
     * node type, object keys unordered, and an absent field equal to null or an empty list.
     */
    static boolean semanticEquals(JsonNode a, JsonNode b) {
        if (isEmptyish(a) && isEmptyish(b)) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> keys = new java.util.HashSet<>(a.propertyNames());
            keys.addAll(b.propertyNames());
            for (String k : keys) {
                if (!semanticEquals(a.get(k), b.get(k))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!semanticEquals(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean isEmptyish(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() || (n.isArray() && n.isEmpty());
    }

    /** Entries of a string map such as labels; non-string values read as "". */
    static Iterable<Map.Entry<String, String>> stringMap(JsonNode map) {
        if (map == null || !map.isObject()) {
            return java.util.List.of();
        }
        return () -> new Iterator<>() {
            private final Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator();

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Map.Entry<String, String> next() {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                return Map.entry(e.getKey(), v != null && v.isString() ? v.asString() : "");
            }
        };
    }
}
