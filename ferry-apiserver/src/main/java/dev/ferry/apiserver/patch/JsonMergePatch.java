package dev.ferry.apiserver.patch;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 7386 JSON merge patch ({@code application/merge-patch+json}), as evanphx/json-patch v4 applies it for the API
 * server: objects merge key by key, {@code null} deletes, anything else (lists included) replaces. Nulls inside an
 * added value are dropped, the way the Go implementation prunes them.
 */
public final class JsonMergePatch {
    private JsonMergePatch() {
    }

    /**
     * Applies {@code patch} to a copy of {@code target}.
     *
     * @return the patched document; a non-object patch replaces the document (the caller then rejects a non-object)
     */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return pruneNulls(patch.deepCopy());
        }
        if (target == null || !target.isObject()) {
            return pruneNulls(patch.deepCopy());
        }
        ObjectNode out = ((ObjectNode) target).deepCopy();
        mergeInto(out, (ObjectNode) patch);
        return out;
    }

    private static void mergeInto(ObjectNode doc, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (value.isNull()) {
                doc.remove(key);
                continue;
            }
            JsonNode current = doc.get(key);
            if (current == null || current.isNull() || !current.isObject() || !value.isObject()) {
                doc.set(key, pruneNulls(value.deepCopy()));
            } else {
                mergeInto((ObjectNode) current, (ObjectNode) value);
            }
        }
    }

    /** Removes null members of objects, recursively (null list elements stay, as in the Go code). */
    private static JsonNode pruneNulls(JsonNode v) {
        if (v.isObject()) {
            ObjectNode o = (ObjectNode) v;
            for (String k : o.propertyNames().toArray(new String[0])) {
                if (o.get(k).isNull()) {
                    o.remove(k);
                } else {
                    pruneNulls(o.get(k));
                }
            }
        } else if (v.isArray()) {
            for (JsonNode e : (ArrayNode) v) {
                pruneNulls(e);
            }
        }
        return v;
    }
}
