package dev.ferry.apiserver.table;

import dev.ferry.api.Json;
import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/** Test objects written as YAML, and the fixed "now" they are rendered at. */
final class Objects {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private Objects() {
    }

    static ObjectNode yaml(String text) {
        return (ObjectNode) Json.YAML.readTree(text);
    }
}
