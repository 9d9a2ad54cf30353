package dev.ferry.apiserver.storage;

import dev.ferry.api.Json;
import dev.ferry.store.KeyValue;
import tools.jackson.databind.node.ObjectNode;

/** Objects in the store: JSON without {@code metadata.resourceVersion}, which is the key's mod revision instead. */
public final class Codec {
    private Codec() {
    }

    public static byte[] encode(ObjectNode obj) {
        ObjectNode meta = Meta.metadata(obj);
        var rv = meta.remove("resourceVersion");
        try {
            return Json.MAPPER.writeValueAsBytes(obj);
        } finally {
            if (rv != null) {
                meta.set("resourceVersion", rv);
            }
        }
    }

    public static ObjectNode decode(KeyValue kv) {
        return decode(kv.value(), kv.modRevision());
    }

    public static ObjectNode decode(byte[] bytes, long revision) {
        ObjectNode obj = (ObjectNode) Json.MAPPER.readTree(bytes);
        Meta.metadata(obj).put("resourceVersion", Long.toString(revision));
        return obj;
    }
}
