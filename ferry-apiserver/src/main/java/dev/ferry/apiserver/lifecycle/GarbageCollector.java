package dev.ferry.apiserver.lifecycle;

import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.storage.CacheEvent;
import dev.ferry.apiserver.storage.DeleteOptions;
import dev.ferry.apiserver.storage.Meta;
import dev.ferry.apiserver.storage.Registry;
import dev.ferry.apiserver.storage.WatchFilter;
import dev.ferry.apiserver.storage.WriteOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Owner-reference garbage collection, as upstream's garbage collector (pkg/controller/garbagecollector):
 * <ul>
 *   <li>a dependent is checked whenever its owners may have gone: when an owner is deleted, and when the dependent is
 *       created (or, at start, first seen) or updated to name an owner it did not name before. Each owner is looked up
 *       in the store, never the watch cache (which may lag): a reference whose owner is missing, or whose name now
 *       holds another incarnation (another uid), is dangling. With no live owner left the dependent is deleted
 *       (background, or as its own orphan/foregroundDeletion finalizer says); with some left, only the dangling
 *       references (and those to owners waiting in foreground deletion) are removed. See {@link DependentVerdict}.</li>
 *   <li>an owner being deleted with the {@code orphan} finalizer first has its dependents' references to it removed;
 *       one with {@code foregroundDeletion} waits until its dependents are gone (or no longer name it).</li>
 * </ul>
 * No delay is needed before trusting a missing owner: uids are assigned by this server, so a reference names an owner
 * that existed before the dependent was written, and a store read after that write that does not find it is final.
 * Dependents are found by scanning the cache: O(objects) per owner change, fine at Ferry's scale.
 */
public final class GarbageCollector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
    private static final WriteOptions WRITE = new WriteOptions(false, "garbage-collector");

    private final Registry registry;
    private final List<ResourceType> types;
    private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final CacheFeed feed;
    private final Thread worker;

    private enum Step {
        /** obj was deleted: its dependents may be garbage; owners waiting for it may be done. */
        DELETED,
        /** obj is being deleted with the orphan or foregroundDeletion finalizer. */
        FINALIZE,
        /** obj names owners it did not name before: check them. */
        CHECK_OWNERS,
        /** obj (a copy holding only the references it dropped) no longer names these owners: they may be done. */
        REFERENCES_DROPPED
    }

    private record Work(Step step, ResourceType type, ObjectNode obj) {
    }

    public GarbageCollector(Registry registry) {
        this.registry = registry;
        this.types = registry.types().all();
        this.feed = new CacheFeed(registry, types, this::onEvent);
        this.worker = Thread.ofPlatform().daemon().name("garbage-collector").start(this::work);
    }

    private void onEvent(ResourceType t, CacheEvent ev) {
        if (ev.type() == CacheEvent.Type.DELETED) {
            queue.add(new Work(Step.DELETED, t, ev.obj()));
            return;
        }
        if (Meta.isDeleting(ev.obj()) && hasFinalizer(ev.obj(), "orphan", "foregroundDeletion")) {
            queue.add(new Work(Step.FINALIZE, t, ev.obj()));
        }
        Set<String> now = ownerUids(ev.obj());
        Set<String> before = ev.prev() == null ? Set.of() : ownerUids(ev.prev());
        if (!before.containsAll(now)) {
            queue.add(new Work(Step.CHECK_OWNERS, t, ev.obj()));
        }
        if (!now.containsAll(before)) {
            ObjectNode dropped = ev.prev().deepCopy();
            removeOwnerRefs(dropped, now);
            queue.add(new Work(Step.REFERENCES_DROPPED, t, dropped));
        }
    }

    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Work w = queue.take();
                switch (w.step) {
                    case DELETED -> {
                        collectDependents(w.obj);
                        wakeForegroundOwners(w.obj);
                    }
                    case FINALIZE -> finalizeOwner(w.type, w.obj);
                    case CHECK_OWNERS -> attemptToDelete(w.type, w.obj);
                    case REFERENCES_DROPPED -> wakeForegroundOwners(w.obj);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("garbage collection step failed: {}", e.toString());
            }
        }
    }

    private void collectDependents(ObjectNode owner) {
        for (Dependent d : dependentsOf(owner)) {
            attemptToDelete(d.type, d.obj);
        }
    }

    /**
     * Upstream's attemptToDeleteItem for a dependent last seen as {@code seen}: classifies its owners against the store
     * and deletes it or drops dangling references (see {@link DependentVerdict}). Objects being deleted are left
     * alone (a foreground deletion in progress is {@link #finalizeOwner}'s); a reference that cannot be classified (a
     * kind this server does not serve, or a namespaced owner of a cluster-scoped object) leaves the dependent alone.
     */
    private void attemptToDelete(ResourceType t, ObjectNode seen) {
        String ns = Meta.namespace(seen);
        String uid = Meta.uid(seen);
        ObjectNode latest = registry.find(t, ns, Meta.name(seen)).filter(o -> Meta.uid(o).equals(uid)).orElse(null);
        if (latest == null || Meta.isDeleting(latest)) {
            return;
        }
        Map<String, DependentVerdict.OwnerState> owners = new LinkedHashMap<>();
        for (JsonNode ref : latest.path("metadata").path("ownerReferences")) {
            Optional<DependentVerdict.OwnerState> state = classify(ref, t, ns);
            if (state.isEmpty()) {
                return;
            }
            owners.put(ref.path("uid").asString(""), state.get());
        }
        boolean hasDependents = false;
        boolean aDependentIsDeletingDependents = false;
        if (owners.containsValue(DependentVerdict.OwnerState.WAITING_FOR_DEPENDENTS)
                && !owners.containsValue(DependentVerdict.OwnerState.SOLID)) {
            List<Dependent> deps = dependentsOf(latest);
            hasDependents = !deps.isEmpty();
            aDependentIsDeletingDependents = deps.stream()
                    .anyMatch(d -> Meta.isDeleting(d.obj) && hasFinalizer(d.obj, "foregroundDeletion"));
        }
        DependentVerdict.Action action = DependentVerdict.decide(owners, finalizers(latest), hasDependents,
                aDependentIsDeletingDependents);
        Dependent d = new Dependent(t, latest);
        switch (action) {
            case DependentVerdict.Keep k -> { }
            case DependentVerdict.RemoveReferences r -> {
                log.info("{} {}/{}: removing references to owners that are gone: {}", t.kind(), ns, Meta.name(latest),
                        r.uids());
                patchIfSame(d, cur -> removeOwnerRefs(cur, Set.copyOf(r.uids())));
            }
            case DependentVerdict.Delete del -> {
                if (del.unblockFirst()) {
                    patchIfSame(d, GarbageCollector::unblockOwnerRefs);
                }
                log.info("{} {}/{}: no owner left, deleting ({})", t.kind(), ns, Meta.name(latest), del.policy());
                delete(d, del.policy());
            }
        }
    }

    /**
     * upstream classifyReferences/isDangling for one reference of a dependent in {@code ns}; empty when it cannot be
     * classified.
     */
    private Optional<DependentVerdict.OwnerState> classify(JsonNode ref, ResourceType dependentType, String ns) {
        Optional<ResourceType> ownerType = ownerType(ref);
        if (ownerType.isEmpty() || ownerType.get().namespaced() && !dependentType.namespaced()) {
            return Optional.empty();
        }
        ResourceType ot = ownerType.get();
        return Optional.of(registry.find(ot, ot.namespaced() ? ns : "", ref.path("name").asString(""))
                .filter(o -> Meta.uid(o).equals(ref.path("uid").asString("")))
                .map(o -> Meta.isDeleting(o) && hasFinalizer(o, "foregroundDeletion")
                        ? DependentVerdict.OwnerState.WAITING_FOR_DEPENDENTS : DependentVerdict.OwnerState.SOLID)
                .orElse(DependentVerdict.OwnerState.DANGLING));
    }

    private Optional<ResourceType> ownerType(JsonNode ref) {
        String apiVersion = ref.path("apiVersion").asString("");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return registry.types().byKind(group, ref.path("kind").asString(""));
    }

    /** Patches the dependent unless it was replaced by another incarnation meanwhile (upstream's uid precondition). */
    private void patchIfSame(Dependent d, java.util.function.Consumer<ObjectNode> change) {
        try {
            registry.patch(d.type, Meta.namespace(d.obj), Meta.name(d.obj), cur -> {
                if (Meta.uid(cur).equals(Meta.uid(d.obj))) {
                    change.accept(cur);
                }
                return cur;
            }, "", WRITE);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
        }
    }

    /** A dependent went away: owners waiting in foreground deletion may now be done. */
    private void wakeForegroundOwners(ObjectNode dependent) {
        for (JsonNode ref : dependent.path("metadata").path("ownerReferences")) {
            ownerType(ref).ifPresent(t -> registry
                    .find(t, t.namespaced() ? Meta.namespace(dependent) : "", ref.path("name").asString(""))
                    .filter(o -> Meta.isDeleting(o) && hasFinalizer(o, "foregroundDeletion"))
                    .ifPresent(o -> finalizeOwner(t, o)));
        }
    }

    private void finalizeOwner(ResourceType t, ObjectNode owner) {
        List<Dependent> deps = dependentsOf(owner);
        if (hasFinalizer(owner, "orphan")) {
            for (Dependent d : deps) {
                patchIfSame(d, cur -> removeOwnerRefs(cur, Set.of(Meta.uid(owner))));
            }
            removeFinalizer(t, owner, "orphan");
        } else if (hasFinalizer(owner, "foregroundDeletion")) {
            // upstream processDeletingDependentsItem: only dependents whose reference blocks owner deletion hold the
            // owner back; the others go with it afterwards (their reference is dangling then)
            List<Dependent> blocking = deps.stream().filter(d -> blocks(d.obj, Meta.uid(owner))).toList();
            if (blocking.isEmpty()) {
                removeFinalizer(t, owner, "foregroundDeletion");
            } else {
                blocking.stream().filter(d -> !(Meta.isDeleting(d.obj) && hasFinalizer(d.obj, "foregroundDeletion")))
                        .forEach(d -> attemptToDelete(d.type, d.obj));
            }
        }
    }

    private static boolean blocks(JsonNode dependent, String ownerUid) {
        for (JsonNode ref : dependent.path("metadata").path("ownerReferences")) {
            if (ref.path("uid").asString("").equals(ownerUid) && ref.path("blockOwnerDeletion").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    private record Dependent(ResourceType type, ObjectNode obj) {
    }

    private List<Dependent> dependentsOf(ObjectNode owner) {
        String uid = Meta.uid(owner);
        String ns = Meta.namespace(owner);
        List<Dependent> out = new ArrayList<>();
        for (ResourceType t : types) {
            WatchFilter all = new WatchFilter(t.kind(), t.namespaced() ? ns : "",
                    dev.ferry.api.selector.LabelSelector.EVERYTHING, dev.ferry.api.selector.FieldSelector.EVERYTHING);
            for (ObjectNode obj : registry.list(t, all, new Registry.ListOptions("0", 0, null)).items()) {
                for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
                    if (ref.path("uid").asString("").equals(uid)) {
                        out.add(new Dependent(t, obj));
                        break;
                    }
                }
            }
        }
        return out;
    }

    private void delete(Dependent d, String policy) {
        try {
            registry.delete(d.type, Meta.namespace(d.obj), Meta.name(d.obj),
                    new DeleteOptions(false, null, policy, Meta.uid(d.obj), null));
        } catch (ApiException e) {
            if (e.code() != 404 && e.code() != 409) {
                throw e;
            }
        }
    }

    private void removeFinalizer(ResourceType t, ObjectNode obj, String finalizer) {
        registry.patch(t, Meta.namespace(obj), Meta.name(obj), cur -> {
            JsonNode f = cur.path("metadata").get("finalizers");
            if (f instanceof ArrayNode arr) {
                for (int i = arr.size() - 1; i >= 0; i--) {
                    if (arr.get(i).asString("").equals(finalizer)) {
                        arr.remove(i);
                    }
                }
            }
            return cur;
        }, "", WRITE);
    }

    private static Set<String> ownerUids(JsonNode obj) {
        Set<String> uids = new HashSet<>();
        for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
            uids.add(ref.path("uid").asString(""));
        }
        return uids;
    }

    /** Removes the references whose uid is in {@code uids} ({@code ownerReferences} goes when none is left). */
    private static void removeOwnerRefs(ObjectNode obj, Set<String> uids) {
        JsonNode refs = obj.path("metadata").get("ownerReferences");
        if (refs instanceof ArrayNode arr) {
            for (int i = arr.size() - 1; i >= 0; i--) {
                if (uids.contains(arr.get(i).path("uid").asString(""))) {
                    arr.remove(i);
                }
            }
            if (arr.isEmpty()) {
                Meta.metadata(obj).remove("ownerReferences");
            }
        }
    }

    /** upstream unblockOwnerReferences: every blocking reference becomes non-blocking. */
    private static void unblockOwnerRefs(ObjectNode obj) {
        for (JsonNode ref : obj.path("metadata").path("ownerReferences")) {
            if (ref instanceof ObjectNode r && r.path("blockOwnerDeletion").asBoolean(false)) {
                r.put("blockOwnerDeletion", false);
            }
        }
    }

    private static List<String> finalizers(JsonNode obj) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : obj.path("metadata").path("finalizers")) {
            out.add(f.asString(""));
        }
        return out;
    }

    private static boolean hasFinalizer(JsonNode obj, String... names) {
        Set<String> wanted = new HashSet<>(List.of(names));
        for (JsonNode f : obj.path("metadata").path("finalizers")) {
            if (wanted.contains(f.asString(""))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        feed.close();
        worker.interrupt();
    }
}
