package dev.ferry.apiserver.storage;

import dev.ferry.api.validation.FieldError;
import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.resource.ResourceTypes;
import dev.ferry.apiserver.resource.WriteHook;
import dev.ferry.store.KeyValue;
import dev.ferry.store.KeyValueStore;
import dev.ferry.store.RangeResult;
import dev.ferry.store.StoreException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generic object storage of the API server: metadata rules, strategies, write hooks, optimistic concurrency and
 * deletion semantics on top of the store, with lists and watches served by the watch cache. Blocking: call it from a
 * virtual thread.
 */
public final class Registry {
    private static final String GENERATE_CHARS = "bcdfghjklmnpqrstvwxz2456789";
    /**
     * The subresource of a server-side write whose change function is authoritative for spec and status alike (pod
     * binding sets spec.nodeName and a status condition): no strategy runs, only the metadata rules.
     */
    public static final String BINDING = "binding";

    private final KeyValueStore store;
    private final WatchCache cache;
    private final ResourceTypes types;
    private final Map<ResourceType, WriteHook> hooks;
    private final MetadataValidator metadataValidator;
    private final FieldManager fieldManager;
    private final Pruner pruner;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** Checks {@code metadata} for every kind (name syntax, labels, annotations). */
    public interface MetadataValidator {
        List<FieldError> validate(ResourceType type, ObjectNode obj, ObjectNode old);
    }

    /** Drops the fields a kind does not declare, as decoding into upstream's typed structs does. */
    public interface Pruner {
        void prune(ResourceType type, ObjectNode obj);
    }

    public Registry(KeyValueStore store, WatchCache cache, ResourceTypes types, Map<ResourceType, WriteHook> hooks,
            MetadataValidator metadataValidator, FieldManager fieldManager, Pruner pruner, Clock clock) {
        this.store = store;
        this.cache = cache;
        this.types = types;
        this.hooks = Map.copyOf(hooks);
        this.metadataValidator = metadataValidator;
        this.fieldManager = fieldManager;
        this.pruner = pruner;
        this.clock = clock;
    }

    public ResourceTypes types() {
        return types;
    }

    public WatchCache cache() {
        return cache;
    }

    // ---- reads ----

    /** The object as stored now (a linearizable read). */
    public ObjectNode get(ResourceType t, String ns, String name) {
        return find(t, ns, name).orElseThrow(() -> notFound(t, name));
    }

    public Optional<ObjectNode> find(ResourceType t, String ns, String name) {
        return store.get(Keys.key(t, ns, name)).map(kv -> withTypeMeta(t, Codec.decode(kv)));
    }

    /** A list page. {@code continueToken} and {@code limit} as the list API; rv semantics per {@link ListOptions}. */
    public record ListResult(List<ObjectNode> items, long revision, String continueToken, Long remaining) {
    }

    public record ListOptions(String resourceVersion, int limit, String continueToken) {
    }

    public ListResult list(ResourceType t, WatchFilter filter, ListOptions opts) {
        String start = "";
        long atRevision = 0;
        if (opts.continueToken() != null && !opts.continueToken().isEmpty()) {
            ContinueToken token = ContinueToken.decode(opts.continueToken());
            String rv = opts.resourceVersion();
            if (rv != null && !rv.isEmpty() && !rv.equals("0")) {
                throw ApiException.badRequest("specifying resource version is not allowed when using continue");
            }
            start = token.startKey();
            atRevision = token.revision();
        }
        if (atRevision > 0 && atRevision < cache.revision()) {
            return listFromStore(t, filter, start, atRevision, opts.limit());
        }
        waitForCache(opts.resourceVersion(), atRevision);
        TypeCache.Snapshot snap = cache.of(t).list(filter, start, opts.limit());
        if (atRevision > 0 && snap.revision() != atRevision) {
            // The cache moved on between the check above and the snapshot: a continued list stays at its revision.
            return listFromStore(t, filter, start, atRevision, opts.limit());
        }
        List<ObjectNode> items = new ArrayList<>(snap.items().size());
        for (CachedObject c : snap.items()) {
            items.add(c.obj());
        }
        String next = snap.nextKey().isEmpty() ? "" : new ContinueToken(snap.revision(), snap.nextKey()).encode();
        return new ListResult(items, snap.revision(), next, null);
    }

    private void waitForCache(String resourceVersion, long atRevision) {
        long want;
        if (atRevision > 0) {
            want = atRevision;
        } else if (resourceVersion == null || resourceVersion.isEmpty()) {
            want = store.currentRevision();
        } else if (resourceVersion.equals("0")) {
            return;
        } else {
            want = parseResourceVersion(resourceVersion);
        }
        try {
            if (!cache.waitFor(want, Duration.ofSeconds(3))) {
                throw ApiException.timeout("Timeout: Too large resource version: " + want + ", current: "
                        + cache.revision(), 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.timeout("request interrupted", 1);
        }
    }

    private ListResult listFromStore(ResourceType t, WatchFilter filter, String start, long rev, int limit) {
        String prefix = Keys.prefix(t, filter.namespace());
        List<ObjectNode> items = new ArrayList<>();
        String from = start;
        while (true) {
            RangeResult page;
            try {
                page = store.range(prefix, from, Math.max(limit, 100), rev);
            } catch (StoreException.Compacted e) {
                throw ApiException.expired("The provided continue parameter is too old to display a consistent list "
                        + "result. You can start a new list without the continue parameter, or use the continue token "
                        + "in this response to retrieve the remainder of the results. Continuing with the provided "
                        + "token results in an inconsistent list - objects that were created, modified, or deleted "
                        + "between the time the first chunk was returned and now may show up in the list.");
            }
            for (KeyValue kv : page.kvs()) {
                if (limit > 0 && items.size() == limit) {
                    return new ListResult(items, rev, new ContinueToken(rev, kv.key()).encode(), null);
                }
                ObjectNode obj = Codec.decode(kv);
                if (filter.matches(obj)) {
                    items.add(obj);
                }
            }
            if (!page.more() || page.kvs().isEmpty()) {
                return new ListResult(items, rev, "", null);
            }
            from = page.kvs().get(page.kvs().size() - 1).key() + "\0";
        }
    }

    /** Starts a watch (see {@link TypeCache#watch}); {@code resourceVersion} "" or "0" sends current objects first. */
    public Watcher watch(ResourceType t, WatchFilter filter, String resourceVersion, int capacity) {
        long from = resourceVersion == null || resourceVersion.isEmpty() ? 0 : parseResourceVersion(resourceVersion);
        if (from > 0) {
            waitForCache(resourceVersion, 0);
        }
        return cache.of(t).watch(from, filter, capacity);
    }

    // ---- writes ----

    public ObjectNode create(ResourceType t, String ns, ObjectNode obj, WriteOptions opts) {
        ObjectShape.check(t, obj);
        ObjectNode meta = Meta.metadata(obj);
        checkTypeMeta(t, obj);
        withTypeMeta(t, obj);
        checkNamespace(t, ns, obj);
        pruner.prune(t, obj);
        if (Meta.name(obj).isEmpty() && !Meta.text(meta, "generateName").isEmpty()) {
            meta.put("name", Meta.text(meta, "generateName") + randomSuffix());
        }
        if (Meta.name(obj).isEmpty()) {
            throw ApiException.invalid(t.group(), t.kind(), "", List.of(
                    FieldError.required("metadata.name", "name or generateName is required")));
        }
        if (t.namespaced()) {
            requireNamespace(ns);
        }
        Instant now = clock.instant();
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", timestamp(now));
        meta.remove("resourceVersion");
        meta.remove("deletionTimestamp");
        meta.remove("deletionGracePeriodSeconds");
        if (t.strategy().tracksGeneration()) {
            meta.put("generation", 1);
        } else {
            meta.remove("generation");
        }
        t.strategy().prepareForCreate(obj);
        validate(t, obj, null, t.strategy().validate(obj));
        if (!opts.fieldManager().isEmpty()) {
            fieldManager.recordUpdate(obj, null, opts.fieldManager(), t.groupVersion(), null, now);
        }
        WriteHook.Reservation r = hook(t).beforeCreate(obj);
        if (opts.dryRun()) {
            r.release();
            return obj;
        }
        try {
            long rev = store.create(Keys.key(t, ns, Meta.name(obj)), Codec.encode(obj));
            r.commit();
            meta.put("resourceVersion", Long.toString(rev));
            return obj;
        } catch (StoreException.KeyExists e) {
            r.release();
            throw ApiException.alreadyExists(t.group(), t.qualifiedName(), Meta.name(obj));
        } catch (RuntimeException e) {
            r.release();
            throw e;
        }
    }

    /**
     * Replaces an object (PUT). The new object's resourceVersion, when set, must match the stored one. With
     * {@code subresource} "status" the kind's {@link dev.ferry.apiserver.resource.Strategy#prepareForStatusUpdate}
     * decides what is kept from the stored object (spec at least; the rest of the metadata is written); otherwise
     * status is kept (for types with a status subresource).
     */
    public ObjectNode update(ResourceType t, String ns, String name, ObjectNode obj, String subresource,
            WriteOptions opts) {
        ObjectShape.check(t, obj);
        checkTypeMeta(t, obj);
        checkNamespace(t, ns, obj);
        if (!Meta.name(obj).equals(name)) {
            throw ApiException.badRequest("the name of the object (" + Meta.name(obj)
                    + ") does not match the name on the URL (" + name + ")");
        }
        String rv = Meta.resourceVersion(obj);
        // Each attempt gets a fresh copy: an attempt stamps its read revision into the object it writes.
        return guaranteedUpdate(t, ns, name, rv.isEmpty() ? 0 : parseResourceVersion(rv), old -> {
            ObjectNode copy = obj.deepCopy();
            if (subresource != null && !subresource.isEmpty()) {
                // a subresource write never takes managedFields from the request (upstream decodeLiveOrNew)
                JsonNode managed = old.path("metadata").get("managedFields");
                if (managed == null) {
                    Meta.metadata(copy).remove("managedFields");
                } else {
                    Meta.metadata(copy).set("managedFields", managed.deepCopy());
                }
            }
            return copy;
        }, subresource, opts);
    }

    /** Read-modify-write with retries on conflict: {@code change} maps the current object to the wanted one. */
    public ObjectNode patch(ResourceType t, String ns, String name, UnaryOperator<ObjectNode> change,
            String subresource, WriteOptions opts) {
        return guaranteedUpdate(t, ns, name, 0, change, subresource, opts);
    }

    private ObjectNode guaranteedUpdate(ResourceType t, String ns, String name, long expectedRev,
            UnaryOperator<ObjectNode> change, String subresource, WriteOptions opts) {
        String key = Keys.key(t, ns, name);
        // Like upstream's GuaranteedUpdate, an unconditional write retries on conflict for as long as it takes: a
        // conflict means another write committed, so the system as a whole always makes progress.
        while (true) {
            KeyValue kv = store.get(key).orElseThrow(() -> notFound(t, name));
            if (expectedRev != 0 && kv.modRevision() != expectedRev) {
                throw ApiException.modified(t.group(), t.qualifiedName(), name);
            }
            ObjectNode old = withTypeMeta(t, Codec.decode(kv));
            ObjectNode obj = change.apply(old.deepCopy());
            ObjectShape.check(t, obj);
            checkTypeMeta(t, obj);
            pruner.prune(t, obj);
            withTypeMeta(t, obj);
            String bodyRv = Meta.resourceVersion(obj);
            if (!bodyRv.isEmpty() && parseResourceVersion(bodyRv) != kv.modRevision()) {
                throw ApiException.modified(t.group(), t.qualifiedName(), name);
            }
            if (!Meta.name(obj).equals(name)) {
                throw ApiException.badRequest("the name of the object (" + Meta.name(obj)
                        + ") does not match the name on the URL (" + name + ")");
            }
            Instant now = clock.instant();
            Meta.metadata(obj).put("resourceVersion", Long.toString(kv.modRevision()));
            prepareUpdate(t, obj, old, subresource);
            if ("status".equals(subresource)) {
                validate(t, obj, old, t.strategy().validateStatusUpdate(obj, old));
            } else if (BINDING.equals(subresource)) {
                validate(t, obj, old, List.of());
            } else {
                validate(t, obj, old, t.strategy().validateUpdate(obj, old));
            }
            if (obj.equals(old)) {
                return old;
            }
            if (!opts.fieldManager().isEmpty()) {
                fieldManager.recordUpdate(obj, old, opts.fieldManager(), t.groupVersion(),
                        "status".equals(subresource) ? subresource : null, now);
            }
            boolean finalize = Meta.isDeleting(obj) && !blocksDeletion(t, obj) && !awaitsGracefulDeletion(t, obj);
            WriteHook.Reservation r = finalize ? hook(t).beforeDelete(old) : hook(t).beforeUpdate(obj, old);
            if (opts.dryRun()) {
                r.release();
                return obj;
            }
            try {
                long rev = finalize ? store.delete(key, kv.modRevision())
                        : store.update(key, Codec.encode(obj), kv.modRevision());
                r.commit();
                Meta.metadata(obj).put("resourceVersion", Long.toString(rev));
                return obj;
            } catch (StoreException.Conflict e) {
                r.release();
                if (expectedRev != 0) {
                    throw ApiException.modified(t.group(), t.qualifiedName(), name);
                }
            } catch (StoreException.NotFound e) {
                r.release();
                throw notFound(t, name);
            } catch (RuntimeException e) {
                r.release();
                throw e;
            }
        }
    }

    private void prepareUpdate(ResourceType t, ObjectNode obj, ObjectNode old, String subresource) {
        ObjectNode meta = Meta.metadata(obj);
        ObjectNode oldMeta = Meta.metadata(old);
        for (String f : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                "generation", "namespace")) {
            JsonNode v = oldMeta.get(f);
            if (v == null) {
                meta.remove(f);
            } else {
                meta.set(f, v);
            }
        }
        if ("finalize".equals(subresource)) {
            ObjectNode kept = old.deepCopy();
            JsonNode finalizers = obj.path("spec").get("finalizers");
            ObjectNode spec = kept.has("spec") ? (ObjectNode) kept.get("spec") : kept.putObject("spec");
            if (finalizers == null) {
                spec.remove("finalizers");
            } else {
                spec.set("finalizers", finalizers);
            }
            obj.removeAll();
            obj.setAll(kept);
            return;
        }
        if (BINDING.equals(subresource)) {
            return;
        }
        if ("status".equals(subresource)) {
            // As upstream: the status strategy resets what a status write may not change (spec, and per kind some
            // metadata); the rest of the metadata is written as sent, within the generic rules above.
            t.strategy().prepareForStatusUpdate(obj, old);
            return;
        }
        if (t.hasSubresource("status")) {
            JsonNode oldStatus = old.get("status");
            if (oldStatus == null) {
                obj.remove("status");
            } else {
                obj.set("status", oldStatus);
            }
        }
        t.strategy().prepareForUpdate(obj, old);
        if (t.strategy().bumpsGeneration(obj, old)) {
            meta.put("generation", oldMeta.path("generation").asLong(0) + 1);
        }
    }

    /** Deletes (or, with finalizers or a grace period, marks for deletion) an object; returns its last state. */
    public ObjectNode delete(ResourceType t, String ns, String name, DeleteOptions opts) {
        String key = Keys.key(t, ns, name);
        while (true) {
            KeyValue kv = store.get(key).orElseThrow(() -> notFound(t, name));
            ObjectNode obj = withTypeMeta(t, Codec.decode(kv));
            checkPreconditions(t, name, obj, opts);
            ObjectNode marked = markForDeletion(t, obj, opts);
            try {
                if (marked != null) {
                    if (opts.dryRun() || marked.equals(obj)) {
                        return marked;
                    }
                    long rev = store.update(key, Codec.encode(marked), kv.modRevision());
                    Meta.metadata(marked).put("resourceVersion", Long.toString(rev));
                    return marked;
                }
                WriteHook.Reservation r = hook(t).beforeDelete(obj);
                if (opts.dryRun()) {
                    r.release();
                    return obj;
                }
                try {
                    store.delete(key, kv.modRevision());
                    r.commit();
                } catch (RuntimeException e) {
                    r.release();
                    throw e;
                }
                return obj;
            } catch (StoreException.Conflict e) {
                // changed under us: read again (preconditions are checked against the new state)
            } catch (StoreException.NotFound e) {
                throw notFound(t, name);
            }
        }
    }

    /** The object marked as being deleted, or null when it can go at once. */
    private ObjectNode markForDeletion(ResourceType t, ObjectNode obj, DeleteOptions opts) {
        ObjectNode marked = obj.deepCopy();
        ObjectNode meta = Meta.metadata(marked);
        String policy = opts.propagationPolicy();
        if ("Orphan".equals(policy)) {
            addFinalizer(meta, "orphan");
        } else if ("Foreground".equals(policy)) {
            addFinalizer(meta, "foregroundDeletion");
        }
        long grace = gracePeriod(t, obj, opts);
        if (!blocksDeletion(t, marked) && grace == 0) {
            return null;
        }
        if (isNamespace(t)) {
            ObjectNode status = marked.has("status") && marked.get("status").isObject()
                    ? (ObjectNode) marked.get("status") : marked.putObject("status");
            status.put("phase", "Terminating");
        }
        if (!Meta.isDeleting(marked)) {
            meta.put("deletionTimestamp", timestamp(clock.instant().plusSeconds(grace)));
            meta.put("deletionGracePeriodSeconds", grace);
        } else if (grace < meta.path("deletionGracePeriodSeconds").asLong(0)) {
            meta.put("deletionGracePeriodSeconds", grace);
        }
        return marked;
    }

    /** Graceful deletion applies to pods bound to a node: the node agent stops them and finishes the deletion. */
    private static long gracePeriod(ResourceType t, ObjectNode obj, DeleteOptions opts) {
        if (!t.kind().equals("Pod") || !t.group().isEmpty() || obj.path("spec").path("nodeName").asString("").isEmpty()
                || obj.path("status").path("phase").asString("").matches("Succeeded|Failed")) {
            return 0;
        }
        long dflt = obj.path("spec").path("terminationGracePeriodSeconds").asLong(30);
        long grace = opts.gracePeriodSeconds() == null ? dflt : opts.gracePeriodSeconds();
        return Math.max(0, grace);
    }

    /** Finalizers that keep a deleted object around: metadata.finalizers, and spec.finalizers of namespaces. */
    static boolean blocksDeletion(ResourceType t, JsonNode obj) {
        if (Meta.hasFinalizers(obj)) {
            return true;
        }
        JsonNode specFinalizers = obj.path("spec").get("finalizers");
        return isNamespace(t) && specFinalizers != null && specFinalizers.isArray() && !specFinalizers.isEmpty();
    }

    private static boolean isNamespace(ResourceType t) {
        return t.group().isEmpty() && t.kind().equals("Namespace");
    }

    private static boolean awaitsGracefulDeletion(ResourceType t, ObjectNode obj) {
        return t.kind().equals("Pod") && Meta.metadata(obj).path("deletionGracePeriodSeconds").asLong(0) > 0;
    }

    private static void addFinalizer(ObjectNode meta, String finalizer) {
        JsonNode f = meta.get("finalizers");
        ArrayNode arr = f instanceof ArrayNode a ? a : meta.putArray("finalizers");
        for (JsonNode e : arr) {
            if (e.asString().equals(finalizer)) {
                return;
            }
        }
        arr.add(finalizer);
    }

    private static void checkPreconditions(ResourceType t, String name, ObjectNode obj, DeleteOptions opts) {
        if (opts.preconditionUid() != null && !opts.preconditionUid().equals(Meta.uid(obj))) {
            throw ApiException.conflict(t.group(), t.qualifiedName(), name, "Precondition failed: UID in precondition: "
                    + opts.preconditionUid() + ", UID in object meta: " + Meta.uid(obj));
        }
        if (opts.preconditionResourceVersion() != null
                && !opts.preconditionResourceVersion().equals(Meta.resourceVersion(obj))) {
            throw ApiException.conflict(t.group(), t.qualifiedName(), name,
                    "Precondition failed: ResourceVersion in precondition: " + opts.preconditionResourceVersion()
                            + ", ResourceVersion in object meta: " + Meta.resourceVersion(obj));
        }
    }

    // ---- helpers ----

    private void validate(ResourceType t, ObjectNode obj, ObjectNode old, List<FieldError> kindErrors) {
        List<FieldError> errors = new ArrayList<>(metadataValidator.validate(t, obj, old));
        errors.addAll(kindErrors);
        if (errors.isEmpty()) {
            errors.addAll(pathSegmentErrors(Meta.name(obj)));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(t.group(), t.kind(), Meta.name(obj), errors);
        }
    }

    /**
     * Upstream's generic check on every name (path.ValidatePathSegmentName), run after the kind's own checks: a name
     * is one segment of the URL and of the store key.
     */
    private static List<FieldError> pathSegmentErrors(String name) {
        if (name.equals(".") || name.equals("..")) {
            return List.of(FieldError.invalid("metadata.name", name, "may not be '" + name + "'"));
        }
        List<FieldError> errors = new ArrayList<>();
        for (String illegal : List.of("/", "%")) {
            if (name.contains(illegal)) {
                errors.add(FieldError.invalid("metadata.name", name, "may not contain '" + illegal + "'"));
            }
        }
        return errors;
    }

    private WriteHook hook(ResourceType t) {
        return hooks.getOrDefault(t, NoHook.INSTANCE);
    }

    private void requireNamespace(String ns) {
        ResourceType nsType = types.find("", "v1", "namespaces").orElseThrow();
        Optional<KeyValue> kv = store.get(Keys.key(nsType, "", ns));
        if (kv.isEmpty()) {
            throw ApiException.notFound("", "namespaces", ns);
        }
        if (Meta.isDeleting(Codec.decode(kv.get()))) {
            throw ApiException.forbidden("unable to create new content in namespace " + ns
                    + " because it is being terminated");
        }
    }

    private static void checkTypeMeta(ResourceType t, ObjectNode obj) {
        String apiVersion = Meta.text(obj, "apiVersion");
        String kind = Meta.text(obj, "kind");
        if (!kind.isEmpty() && !kind.equals(t.kind())) {
            throw ApiException.badRequest("the object provided is unrecognized (kind " + kind + " does not match "
                    + t.kind() + ")");
        }
        if (!apiVersion.isEmpty() && !apiVersion.equals(t.groupVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + t.groupVersion() + ")");
        }
    }

    private static void checkNamespace(ResourceType t, String ns, ObjectNode obj) {
        ObjectNode meta = Meta.metadata(obj);
        if (!t.namespaced()) {
            meta.remove("namespace");
            return;
        }
        String bodyNs = Meta.namespace(obj);
        if (!bodyNs.isEmpty() && !bodyNs.equals(ns)) {
            throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on "
                    + "the request");
        }
        meta.put("namespace", ns);
    }

    /** Whether {@code obj} carries {@code t}'s apiVersion and kind. */
    public static boolean hasTypeMeta(ResourceType t, ObjectNode obj) {
        return t.groupVersion().equals(Meta.text(obj, "apiVersion")) && t.kind().equals(Meta.text(obj, "kind"));
    }

    /** Sets apiVersion and kind first in the object, as the API returns them. */
    public static ObjectNode withTypeMeta(ResourceType t, ObjectNode obj) {
        if (hasTypeMeta(t, obj)) {
            return obj;
        }
        ObjectNode rest = obj.deepCopy();
        rest.remove("apiVersion");
        rest.remove("kind");
        obj.removeAll();
        obj.put("kind", t.kind());
        obj.put("apiVersion", t.groupVersion());
        obj.setAll(rest);
        return obj;
    }

    private String randomSuffix() {
        StringBuilder s = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            s.append(GENERATE_CHARS.charAt(random.nextInt(GENERATE_CHARS.length())));
        }
        return s.toString();
    }

    private static ApiException notFound(ResourceType t, String name) {
        return ApiException.notFound(t.group(), t.qualifiedName(), name);
    }

    static long parseResourceVersion(String rv) {
        try {
            long v = Long.parseLong(rv);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resource version: " + rv);
        }
    }

    /** RFC 3339 with seconds precision, as {@code metav1.Time}. */
    public static String timestamp(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    private enum NoHook implements WriteHook {
        INSTANCE;

        @Override
        public Reservation beforeCreate(ObjectNode obj) {
            return Reservation.NONE;
        }

        @Override
        public Reservation beforeUpdate(ObjectNode obj, ObjectNode old) {
            return Reservation.NONE;
        }

        @Override
        public Reservation beforeDelete(ObjectNode old) {
            return Reservation.NONE;
        }
    }
}
