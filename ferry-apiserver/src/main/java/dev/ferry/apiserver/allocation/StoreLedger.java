package dev.ferry.apiserver.allocation;

import dev.ferry.api.Json;
import dev.ferry.store.KeyValue;
import dev.ferry.store.KeyValueStore;
import dev.ferry.store.RangeResult;
import dev.ferry.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An {@link AllocationLedger} kept in the shared store: one key per claim, {@code PREFIX + kind + "/" + value}, whose
 * value is {@code {"owner":"namespace/name"}}. {@link KeyValueStore#create} makes a claim atomic across API servers.
 * The prefix is no resource type's, so the watch cache ignores these keys.
 */
public final class StoreLedger implements AllocationLedger {
    public static final String PREFIX = "/registry/ferry.dev/allocations/";
    private static final int PAGE = 1000;

    private final KeyValueStore store;

    public StoreLedger(KeyValueStore store) {
        this.store = store;
    }

    static String key(String kind, String value) {
        return PREFIX + kind + "/" + value;
    }

    @Override
    public boolean claim(String kind, String value, String owner) {
        ObjectNode body = Json.object();
        body.put("owner", owner);
        try {
            store.create(key(kind, value), body.toString().getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (StoreException.KeyExists e) {
            return false;
        }
    }

    @Override
    public void release(String kind, String value) {
        try {
            store.delete(key(kind, value), 0);
        } catch (StoreException.NotFound e) {
            // nobody held it
        }
    }

    @Override
    public boolean releaseIfUnchanged(Claim claim) {
        try {
            store.delete(key(claim.kind(), claim.value()), claim.revision());
            return true;
        } catch (StoreException.NotFound | StoreException.Conflict e) {
            return false;
        }
    }

    @Override
    public List<Claim> claims() {
        List<Claim> out = new ArrayList<>();
        String start = null;
        long revision = 0;
        while (true) {
            RangeResult page = store.range(PREFIX, start, PAGE, revision);
            revision = page.revision();
            for (KeyValue kv : page.kvs()) {
                Claim c = parse(kv);
                if (c != null) {
                    out.add(c);
                }
            }
            if (!page.more() || page.kvs().isEmpty()) {
                return out;
            }
            start = page.kvs().get(page.kvs().size() - 1).key() + "\0";
        }
    }

    /** The claim stored in {@code kv}, or null for a key that is not {@code PREFIX kind/value}. */
    private static Claim parse(KeyValue kv) {
        String rest = kv.key().substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            return null;
        }
        String owner = "";
        try {
            JsonNode body = Json.MAPPER.readTree(kv.value());
            owner = body.path("owner").asString();
        } catch (JacksonException e) {
            // a claim with an unreadable body still holds its value
        }
        return new Claim(rest.substring(0, slash), rest.substring(slash + 1), owner, kv.modRevision());
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public String toString() {
        return "StoreLedger[" + PREFIX + "]";
    }
}
