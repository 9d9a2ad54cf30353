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
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Owner-reference garbage collection, as upstream's garbage collector: when an owner is gone, dependents none of whose
 * owners remain are deleted (background); an owner being deleted with the {@code orphan} finalizer first has its
 * dependents' references to it removed; one with {@code foregroundDeletion} waits until its dependents are gone.
 * Dependents are found by scanning the cache: O(objects) per owner change, fine at Ferry's scale.
 */
public final class GarbageCollector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);

    private final Registry registry;
    private final List<ResourceType> types;
    private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final CacheFeed feed;
    private final Thread worker;

    private record Work(ResourceType type, ObjectNode obj, boolean deleted) {
    }

    public GarbageCollector(Registry registry) {
        this.registry = registry;
        this.types = registry.types().all();
        this.feed = new CacheFeed(registry, types, this::onEvent);
        this.worker = Thread.ofVirtual().name("garbage-collector").start(this::work);
    }

    private void onEvent(ResourceType t, CacheEvent ev) {
        if (ev.type() == CacheEvent.Type.DELETED) {
            queue.add(new Work(t, ev.obj(), true));
        } else if (Meta.isDeleting(ev.obj()) && hasFinalizer(ev.obj(), "orphan", "foregroundDeletion")) {
            queue.add(new Work(t, ev.obj(), false));
        }
    }

    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Work w = queue.take();
                if (w.deleted) {
                    collectDependents(w.obj);
                    wakeForegroundOwners(w.obj);
                } else {
                    finalizeOwner(w.type, w.obj);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("garbage collection step failed: {}", e.toString());
            }
        }
    }

    private void collectDependents(ObjectNode owner) {
        String uid = Meta.uid(owner);
        for (Dependent d : dependentsOf(owner)) {
            boolean otherOwnerAlive = false;
            for (JsonNode ref : d.obj.path("metadata").path("ownerReferences")) {
                if (!ref.path("uid").asString("").equals(uid) && exists(ref, Meta.namespace(d.obj))) {
                    otherOwnerAlive = true;
                }
            }
            if (!otherOwnerAlive) {
                delete(d, "Background");
            }
        }
    }

    /** A dependent went away: owners waiting in foreground deletion may now be done. */
    private void wakeForegroundOwners(ObjectNode dependent) {
        for (JsonNode ref : dependent.path("metadata").path("ownerReferences")) {
            String apiVersion = ref.path("apiVersion").asString("");
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            registry.types().byKind(group, ref.path("kind").asString("")).ifPresent(t -> registry
                    .find(t, t.namespaced() ? Meta.namespace(dependent) : "", ref.path("name").asString(""))
                    .filter(o -> Meta.isDeleting(o) && hasFinalizer(o, "foregroundDeletion"))
                    .ifPresent(o -> finalizeOwner(t, o)));
        }
    }

    private void finalizeOwner(ResourceType t, ObjectNode owner) {
        List<Dependent> deps = dependentsOf(owner);
        if (hasFinalizer(owner, "orphan")) {
            for (Dependent d : deps) {
                registry.patch(d.type, Meta.namespace(d.obj), Meta.name(d.obj), cur -> {
                    removeOwnerRef(cur, Meta.uid(owner));
                    return cur;
                }, "", new WriteOptions(false, "garbage-collector"));
            }
            removeFinalizer(t, owner, "orphan");
        } else if (hasFinalizer(owner, "foregroundDeletion")) {
            if (deps.isEmpty()) {
                removeFinalizer(t, owner, "foregroundDeletion");
            } else {
                deps.stream().filter(d -> !Meta.isDeleting(d.obj)).forEach(d -> delete(d, "Foreground"));
            }
        }
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

    private boolean exists(JsonNode ref, String namespace) {
        String apiVersion = ref.path("apiVersion").asString("");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return registry.types().byKind(group, ref.path("kind").asString("")).flatMap(t ->
                registry.find(t, t.namespaced() ? namespace : "", ref.path("name").asString("")))
                .map(o -> Meta.uid(o).equals(ref.path("uid").asString("")))
                .orElse(false);
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
        }, "", new WriteOptions(false, "garbage-collector"));
    }

    private static void removeOwnerRef(ObjectNode obj, String uid) {
        JsonNode refs = obj.path("metadata").get("ownerReferences");
        if (refs instanceof ArrayNode arr) {
            for (int i = arr.size() - 1; i >= 0; i--) {
                if (arr.get(i).path("uid").asString("").equals(uid)) {
                    arr.remove(i);
                }
            }
            if (arr.isEmpty()) {
                Meta.metadata(obj).remove("ownerReferences");
            }
        }
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
