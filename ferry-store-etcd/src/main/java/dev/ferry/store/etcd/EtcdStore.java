package dev.ferry.store.etcd;

import static dev.ferry.store.etcd.Gateway.int64;

import dev.ferry.store.KeyValue;
import dev.ferry.store.KeyValueStore;
import dev.ferry.store.RangeResult;
import dev.ferry.store.StoreException;
import dev.ferry.store.Watch;
import dev.ferry.store.WatchListener;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link KeyValueStore} on etcd v3, spoken through etcd's JSON gRPC gateway over HTTP/1.1 (no gRPC stack, so it
 * shares the classpath with anything).
 *
 * <p><b>Mapping.</b> Store revisions are etcd revisions. {@code create} is a txn "create_revision(key) == 0 then put";
 * {@code update}/{@code delete} are txns "version(key) &gt; 0 and mod_revision(key) == expected then write, else read
 * the key", so a failed compare tells NotFound (no key read back) from Conflict (carrying the key read back) in one
 * round trip. Writes return the txn's header revision. {@code range} is a range over [root+prefix, prefix end) in
 * etcd's key order (ascending bytes, the same as UTF-8 code point order). etcd's ErrCompacted and ErrFutureRev become
 * {@link StoreException.Compacted} and {@link StoreException.FutureRevision}; failures to reach etcd, timeouts and
 * unexpected answers become {@link StoreException.Unavailable}.
 *
 * <p><b>Key root.</b> All keys live under a root prefix, so several Ferry clusters can share one etcd. The revision
 * is etcd's and thus shared: other roots' writes bump it too, and {@link #compact} compacts the whole etcd.
 * {@link #currentRevision()} of a fresh etcd is 1, not 0 (etcd starts there).
 *
 * <p><b>Compacted revision.</b> etcd has no call that reports its compacted revision. {@link #compactedRevision()}
 * keeps the highest one this instance learned (its own compactions, compacted revisions etcd reported to a watch) as
 * a lower bound and confirms it with one historical range read at that revision; only when someone else compacted
 * further does it binary-search the revision with more reads (log2 of the distance). It is exact at the time of the
 * reads and may of course be outdated by the time the caller uses it.
 *
 * <p><b>Watches.</b> One streaming HTTP request per watch (see {@link EtcdWatch}); {@link #watch} first checks the
 * start revision against etcd with range reads, so a compacted or future start fails synchronously.
 *
 * <p>Thread-safe; all calls block on the network (use virtual threads).
 */
public final class EtcdStore implements KeyValueStore {

    /** Default per-request timeout for unary calls. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Gateway gateway;
    private final KeySpace keys;
    private final KvCodec codec;
    private final String rootProbeKey;
    private final AtomicLong knownCompacted = new AtomicLong();
    private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();

    /**
     * @param endpoint client URL of one etcd member, e.g. {@code http://127.0.0.1:2379}
     * @param keyRoot  prefix of every etcd key this store uses ({@code ""} = the whole key space); end it with a
     *                 separator such as {@code "/"} when roots are shared
     */
    public EtcdStore(URI endpoint, String keyRoot) {
        this(endpoint, keyRoot, DEFAULT_REQUEST_TIMEOUT);
    }

    public EtcdStore(URI endpoint, String keyRoot, Duration requestTimeout) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(keyRoot, "keyRoot");
        this.gateway = new Gateway(endpoint, requestTimeout);
        this.keys = new KeySpace(keyRoot);
        this.codec = new KvCodec(keys);
        this.rootProbeKey = keys.key("");
    }

    @Override
    public long currentRevision() {
        return revisionProbe(0);
    }

    @Override
    public Optional<KeyValue> get(String key) {
        ObjectNode req = gateway.object();
        req.put("key", keys.key(key));
        JsonNode kvs = call("v3/kv/range", req, 0).path("kvs");
        return kvs.isArray() && !kvs.isEmpty() ? Optional.of(codec.keyValue(kvs.get(0))) : Optional.empty();
    }

    @Override
    public RangeResult range(String prefix, String startKey, int limit, long revision) {
        if (limit < 0 || revision < 0) {
            throw new IllegalArgumentException("negative limit " + limit + " or revision " + revision);
        }
        ObjectNode req = gateway.object();
        req.put("key", keys.rangeStart(prefix, startKey));
        req.put("range_end", keys.rangeEnd(prefix));
        if (limit > 0) {
            req.put("limit", Long.toString(limit));
        }
        if (revision > 0) {
            req.put("revision", Long.toString(revision));
        }
        JsonNode answer = call("v3/kv/range", req, revision);
        List<KeyValue> kvs = codec.keyValues(answer.path("kvs"));
        long readAt = revision > 0 ? revision : headerRevision(answer);
        return new RangeResult(kvs, readAt, answer.path("more").asBoolean(false));
    }

    @Override
    public long create(String key, byte[] value) {
        ObjectNode txn = gateway.object();
        compare(txn, key, "CREATE", "EQUAL", "create_revision", 0);
        put(txn.putArray("success"), key, value);
        JsonNode answer = call("v3/kv/txn", txn, 0);
        if (!answer.path("succeeded").asBoolean(false)) {
            throw new StoreException.KeyExists(key);
        }
        return headerRevision(answer);
    }

    @Override
    public long update(String key, byte[] value, long expectedModRevision) {
        ObjectNode txn = gateway.object();
        compare(txn, key, "VERSION", "GREATER", "version", 0);
        compare(txn, key, "MOD", "EQUAL", "mod_revision", expectedModRevision);
        put(txn.putArray("success"), key, value);
        return conditionalWrite(key, txn);
    }

    @Override
    public long delete(String key, long expectedModRevision) {
        ObjectNode txn = gateway.object();
        compare(txn, key, "VERSION", "GREATER", "version", 0);
        if (expectedModRevision != 0) {
            compare(txn, key, "MOD", "EQUAL", "mod_revision", expectedModRevision);
        }
        txn.putArray("success").addObject().putObject("request_delete_range").put("key", keys.key(key));
        return conditionalWrite(key, txn);
    }

    @Override
    public Watch watch(String prefix, long afterRevision, WatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (afterRevision < 0) {
            throw new IllegalArgumentException("negative revision " + afterRevision);
        }
        long current = currentRevision();
        if (afterRevision > current) {
            throw new StoreException.FutureRevision(afterRevision, current);
        }
        long start = afterRevision + 1;
        if (start <= current) {
            // etcd cancels a watch whose start is below the compacted revision only asynchronously; a historical
            // read at the start revision fails the same way, now
            revisionProbe(start);
        }
        ObjectNode create = gateway.object();
        ObjectNode req = create.putObject("create_request");
        req.put("key", keys.key(prefix));
        req.put("range_end", keys.rangeEnd(prefix));
        req.put("start_revision", Long.toString(start));
        req.put("prev_kv", true);
        EtcdWatch watch = new EtcdWatch(codec, start, listener, this::learnCompacted, watches::remove);
        watches.add(watch);
        watch.start(gateway, create);
        return watch;
    }

    @Override
    public void compact(long revision) {
        if (revision <= knownCompacted.get()) {
            return;
        }
        ObjectNode req = gateway.object();
        req.put("revision", Long.toString(revision));
        try {
            gateway.call("v3/kv/compaction", req);
        } catch (GatewayError e) {
            if (e.isCompacted()) {
                return; // at or below etcd's compacted revision: a no-op by contract
            }
            throw translate(e, revision);
        }
        learnCompacted(revision);
    }

    @Override
    public long compactedRevision() {
        long lower = knownCompacted.get();
        if (lower > 0 && readableAt(lower)) {
            return lower; // the common case: nobody compacted beyond what we know
        }
        if (lower == 0 && readableAt(1)) {
            return 0;
        }
        // etcd's compacted revision C is the least revision readable: find it in (lower, current]
        long lo = Math.max(lower, 1); // not readable
        long hi = currentRevision(); // always readable
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (readableAt(mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        learnCompacted(hi);
        return hi;
    }

    @Override
    public void close() {
        for (EtcdWatch watch : List.copyOf(watches)) {
            watch.close();
        }
        gateway.close();
    }

    // ---------------------------------------------------------------- internals

    /** Runs an update/delete txn whose failure branch reads the key back; maps failure to NotFound or Conflict. */
    private long conditionalWrite(String key, ObjectNode txn) {
        txn.putArray("failure").addObject().putObject("request_range").put("key", keys.key(key));
        JsonNode answer = call("v3/kv/txn", txn, 0);
        if (answer.path("succeeded").asBoolean(false)) {
            return headerRevision(answer);
        }
        JsonNode kvs = answer.path("responses").path(0).path("response_range").path("kvs");
        if (!kvs.isArray() || kvs.isEmpty()) {
            throw new StoreException.NotFound(key);
        }
        throw new StoreException.Conflict(codec.keyValue(kvs.get(0)));
    }

    private void compare(ObjectNode txn, String key, String target, String result, String field, long value) {
        ArrayNode compares = txn.has("compare") ? (ArrayNode) txn.get("compare") : txn.putArray("compare");
        compares.addObject()
                .put("target", target)
                .put("result", result)
                .put("key", keys.key(key))
                .put(field, Long.toString(value));
    }

    private void put(ArrayNode ops, String key, byte[] value) {
        ops.addObject().putObject("request_put").put("key", keys.key(key)).put("value", KeySpace.base64(value));
    }

    /**
     * A cheap count-only read of one key at {@code revision} (0 = now): returns etcd's current revision, or throws
     * Compacted / FutureRevision for that revision.
     */
    private long revisionProbe(long revision) {
        ObjectNode req = gateway.object();
        req.put("key", rootProbeKey);
        req.put("count_only", true);
        if (revision > 0) {
            req.put("revision", Long.toString(revision));
        }
        return headerRevision(call("v3/kv/range", req, revision));
    }

    private boolean readableAt(long revision) {
        ObjectNode req = gateway.object();
        req.put("key", rootProbeKey);
        req.put("count_only", true);
        req.put("revision", Long.toString(revision));
        try {
            gateway.call("v3/kv/range", req);
            return true;
        } catch (GatewayError e) {
            if (e.isCompacted()) {
                return false;
            }
            throw translate(e, revision);
        }
    }

    /** A gateway call whose errors are translated; {@code revision} is the one asked for (for error details). */
    private JsonNode call(String path, ObjectNode body, long revision) {
        try {
            return gateway.call(path, body);
        } catch (GatewayError e) {
            throw translate(e, revision);
        }
    }

    private RuntimeException translate(GatewayError e, long revision) {
        if (e.isCompacted()) {
            return new StoreException.Compacted(revision, compactedRevision());
        }
        if (e.isFutureRevision()) {
            return new StoreException.FutureRevision(revision, currentRevision());
        }
        if (e.isRequestError()) {
            return new IllegalArgumentException("etcd rejected the request: " + e.getMessage() + " (code " + e.code() + ")");
        }
        return new StoreException.Unavailable("etcd failed: " + e.getMessage() + " (code " + e.code() + ")", e);
    }

    private void learnCompacted(long revision) {
        knownCompacted.accumulateAndGet(revision, Math::max);
    }

    private static long headerRevision(JsonNode answer) {
        long revision = int64(answer.path("header").path("revision"));
        if (revision <= 0) {
            throw new StoreException.Unavailable("etcd answer without header revision: " + answer, null);
        }
        return revision;
    }
}
