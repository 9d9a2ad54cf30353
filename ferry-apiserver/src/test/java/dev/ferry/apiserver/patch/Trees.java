package dev.ferry.apiserver.patch;

import dev.ferry.api.Json;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Test helpers: JSON literals with single quotes for readability. */
final class Trees {
    private Trees() {
    }

    /** Parses JSON written with ' for " (no literal ' inside values). */
    static JsonNode json(String s) {
        return Json.MAPPER.readTree(s.replace('\'', '"'));
    }

    static ObjectNode obj(String s) {
        return (ObjectNode) json(s);
    }

    static byte[] bytes(String s) {
        return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    /** Compact, key-sorted, number-normalised JSON for order-insensitive assertions. */
    static String canonical(JsonNode v) {
        return Values.canonical(v);
    }
}
