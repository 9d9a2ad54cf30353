package dev.ferry.apiserver.patch;

import dev.ferry.api.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON value semantics as Go's decoded {@code interface{}} values have them: numbers are equal when numerically equal,
 * whatever Jackson node class holds them (IntNode, LongNode, BigIntegerNode, DecimalNode), and object key order does
 * not matter. Jackson's own {@code equals} distinguishes those, so every comparison in this package goes through here.
 */
final class Values {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Values() {
    }

    /** Deep equality with numeric normalisation; {@code null} (absent) equals only {@code null}. */
    static boolean equal(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                JsonNode other = b.get(e.getKey());
                if (other == null || !equal(e.getValue(), other)) {
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
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.getNodeType() != b.getNodeType()) {
            return false;
        }
        return a.equals(b);
    }

    /**
     * A total order, as structured-merge-diff's {@code value.Compare}: numbers &lt; strings &lt; booleans &lt; lists
     * &lt; maps &lt; null.
     */
    static int compare(JsonNode a, JsonNode b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        switch (ra) {
            case 0:
                return a.decimalValue().compareTo(b.decimalValue());
            case 1:
                return a.asString().compareTo(b.asString());
            case 2:
                return Boolean.compare(a.booleanValue(), b.booleanValue());
            case 3:
                for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                    int c = compare(a.get(i), b.get(i));
                    if (c != 0) {
                        return c;
                    }
                }
                return Integer.compare(a.size(), b.size());
            case 4:
                return canonical(a).compareTo(canonical(b));
            default:
                return 0;
        }
    }

    private static int rank(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return 5;
        }
        if (v.isNumber()) {
            return 0;
        }
        if (v.isString()) {
            return 1;
        }
        if (v.isBoolean()) {
            return 2;
        }
        if (v.isArray()) {
            return 3;
        }
        return 4;
    }

    /** Compact JSON with sorted object keys and normalised numbers: equal values have equal canonical forms. */
    static String canonical(JsonNode v) {
        return Json.MAPPER.writeValueAsString(normalise(v));
    }

    /** A copy with integral numbers as plain integers and object keys sorted, for hashing and for wire keys. */
    static JsonNode normalise(JsonNode v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v.isNumber()) {
            BigDecimal d = v.decimalValue().stripTrailingZeros();
            if (d.scale() <= 0) {
                return NODES.numberNode(d.toBigIntegerExact());
            }
            return NODES.numberNode(d);
        }
        if (v.isObject()) {
            ObjectNode out = NODES.objectNode();
            v.propertyNames().stream().sorted().forEach(k -> out.set(k, normalise(v.get(k))));
            return out;
        }
        if (v.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (JsonNode e : v) {
                out.add(normalise(e));
            }
            return out;
        }
        return v;
    }

    /** Go's {@code %v}/{@code value.ToString} rendering used in field paths: strings quoted, numbers plain. */
    static String toPathString(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isString()) {
            return Json.MAPPER.writeValueAsString(v.asString());
        }
        if (v.isNumber()) {
            return normalise(v).toString();
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode e : v) {
                parts.add(toPathString(e));
            }
            return "[" + String.join(",", parts) + "]";
        }
        if (v.isObject()) {
            StringBuilder s = new StringBuilder();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                s.append(e.getKey()).append('=').append(toPathString(e.getValue()));
            }
            return s.toString();
        }
        return v.asString();
    }

    static boolean isAbsent(JsonNode v) {
        return v == null || v.isMissingNode();
    }

    /** Null-or-absent, as Go sees an omitted field and an explicit JSON null alike after typed decoding. */
    static boolean isNullish(JsonNode v) {
        return v == null || v.isMissingNode() || v.isNull();
    }

    /** Removes every null-valued field from {@code v}, recursively and in place; returns {@code v}. */
    static JsonNode withoutNulls(JsonNode v) {
        if (v.isObject()) {
            ObjectNode o = (ObjectNode) v;
            for (String k : new java.util.ArrayList<>(o.propertyNames())) {
                if (o.get(k).isNull()) {
                    o.remove(k);
                } else {
                    withoutNulls(o.get(k));
                }
            }
        } else if (v.isArray()) {
            for (JsonNode e : v) {
                withoutNulls(e);
            }
        }
        return v;
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static Iterator<String> names(JsonNode obj) {
        return new ArrayList<>(obj.propertyNames()).iterator();
    }
}
