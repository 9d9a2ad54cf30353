package dev.ferry.store.etcd;

import static dev.ferry.store.etcd.Gateway.int64;

import dev.ferry.store.KeyValue;
import dev.ferry.store.WatchEvent;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Decodes the gateway's {@code mvccpb.KeyValue} and {@code mvccpb.Event} JSON into store records. Zero values are
 * absent in the gateway's JSON (proto3), so an absent value is empty and an absent revision 0.
 */
final class KvCodec {

    private final KeySpace keys;

    KvCodec(KeySpace keys) {
        this.keys = keys;
    }

    KeyValue keyValue(JsonNode kv) {
        return new KeyValue(keys.storeKey(kv.path("key").asString()), value(kv),
                int64(kv.path("create_revision")), int64(kv.path("mod_revision")));
    }

    List<KeyValue> keyValues(JsonNode kvs) {
        List<KeyValue> out = new ArrayList<>(kvs.size());
        for (JsonNode kv : kvs.values()) {
            out.add(keyValue(kv));
        }
        return out;
    }

    /**
     * One watch event. etcd's DELETE carries only the key and the deletion revision; the store contract wants the
     * last value and create revision too, taken from {@code prev_kv} (the watch asks for it).
     */
    WatchEvent event(JsonNode event) {
        JsonNode prevNode = event.path("prev_kv");
        KeyValue prev = prevNode.isObject() ? keyValue(prevNode) : null;
        JsonNode kvNode = event.path("kv");
        if ("DELETE".equals(event.path("type").asString("PUT"))) {
            String key = keys.storeKey(kvNode.path("key").asString());
            long deletedAt = int64(kvNode.path("mod_revision"));
            KeyValue kv = prev == null
                    ? new KeyValue(key, new byte[0], 0, deletedAt)
                    : new KeyValue(key, prev.value(), prev.createRevision(), deletedAt);
            return new WatchEvent(WatchEvent.Type.DELETE, kv, prev);
        }
        return new WatchEvent(WatchEvent.Type.PUT, keyValue(kvNode), prev);
    }

    List<WatchEvent> events(JsonNode events) {
        List<WatchEvent> out = new ArrayList<>(events.size());
        for (JsonNode event : events.values()) {
            out.add(event(event));
        }
        return out;
    }

    private static byte[] value(JsonNode kv) {
        JsonNode value = kv.path("value");
        return value.isMissingNode() || value.isNull() ? new byte[0] : Base64.getDecoder().decode(value.asString());
    }
}
