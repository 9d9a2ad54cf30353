package dev.ferry.apiserver.table;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/** Lenient typed reads from an object tree: a missing or mistyped field reads as Go's zero value. */
final class Fields {
    private Fields() {
    }

    static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            if (n == null || !n.isObject()) {
                return MissingNode.getInstance();
            }
            n = n.path(p);
        }
        return n == null ? MissingNode.getInstance() : n;
    }

    /** The string at {@code path}, or "" when absent, null or not a string. */
    static String str(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n.isString() ? n.stringValue() : "";
    }

    /** The integer at {@code path}, or {@code dflt} when absent, null or not a number. */
    static long num(JsonNode node, long dflt, String... path) {
        JsonNode n = at(node, path);
        return n.isNumber() ? n.longValue() : dflt;
    }

    static long num(JsonNode node, String... path) {
        return num(node, 0, path);
    }

    static boolean bool(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n.isBoolean() && n.booleanValue();
    }

    /** Whether the field is present and not null (Go: a non-nil pointer). */
    static boolean present(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return !n.isMissingNode() && !n.isNull();
    }

    /** The array elements at {@code path}; empty when absent or not an array. */
    static List<JsonNode> list(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        if (!n.isArray()) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>(n.size());
        n.values().forEach(out::add);
        return out;
    }

    /** The string values of a string array at {@code path} (non-strings skipped). */
    static List<String> strings(JsonNode node, String... path) {
        return list(node, path).stream().filter(JsonNode::isString).map(JsonNode::stringValue).toList();
    }

    /** An RFC 3339 timestamp at {@code path}; empty when absent, null or unparseable (Go's zero time). */
    static Optional<Instant> time(JsonNode node, String... path) {
        String s = str(node, path);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }
}
