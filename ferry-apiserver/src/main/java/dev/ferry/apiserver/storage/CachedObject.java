package dev.ferry.apiserver.storage;

import tools.jackson.databind.node.ObjectNode;

/** An object as the watch cache holds it; {@code obj} is shared and must never be mutated (copy it first). */
public record CachedObject(String key, ObjectNode obj, long revision) {
}
