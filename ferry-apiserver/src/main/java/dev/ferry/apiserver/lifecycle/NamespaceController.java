package dev.ferry.apiserver.lifecycle;

import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.storage.CacheEvent;
import dev.ferry.apiserver.storage.DeleteOptions;
import dev.ferry.apiserver.storage.Meta;
import dev.ferry.apiserver.storage.Registry;
import dev.ferry.apiserver.storage.WatchFilter;
import dev.ferry.apiserver.storage.WriteOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Empties terminating namespaces: deletes every namespaced object in them, then clears {@code spec.finalizers} so the
 * namespace itself goes (upstream's namespace controller, run inside the API server).
 */
public final class NamespaceController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NamespaceController.class);

    private final Registry registry;
    private final ResourceType namespaces;
    private final List<ResourceType> namespaced;
    private final DelayQueue<Retry> queue = new DelayQueue<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final CacheFeed feed;
    private final Thread worker;

    public NamespaceController(Registry registry) {
        this.registry = registry;
        this.namespaces = registry.types().find("", "v1", "namespaces").orElseThrow();
        this.namespaced = registry.types().all().stream().filter(ResourceType::namespaced).toList();
        this.feed = new CacheFeed(registry, List.of(namespaces), this::onEvent);
        this.worker = Thread.ofPlatform().daemon().name("namespace-controller").start(this::work);
    }

    private void onEvent(ResourceType t, CacheEvent ev) {
        if (ev.type() != CacheEvent.Type.DELETED && Meta.isDeleting(ev.obj())) {
            enqueue(Meta.name(ev.obj()), 0);
        }
    }

    private void enqueue(String ns, long delayMillis) {
        if (queued.add(ns)) {
            queue.add(new Retry(ns, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis)));
        }
    }

    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Retry r = queue.take();
                queued.remove(r.namespace);
                if (!sync(r.namespace)) {
                    enqueue(r.namespace, 500);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("namespace sync failed: {}", e.toString());
            }
        }
    }

    /** One pass; true when the namespace is finished (or gone). */
    private boolean sync(String ns) {
        ObjectNode obj = registry.find(namespaces, "", ns).orElse(null);
        if (obj == null || !Meta.isDeleting(obj)) {
            return true;
        }
        boolean empty = true;
        for (ResourceType t : namespaced) {
            var items = registry.list(t, new WatchFilter(t.kind(), ns,
                    dev.ferry.api.selector.LabelSelector.EVERYTHING, dev.ferry.api.selector.FieldSelector.EVERYTHING),
                    new Registry.ListOptions("", 0, null)).items();
            for (ObjectNode item : items) {
                empty = false;
                if (!Meta.isDeleting(item)) {
                    try {
                        registry.delete(t, ns, Meta.name(item), new DeleteOptions(false, 0L, "Background", null,
                                null));
                    } catch (ApiException e) {
                        if (e.code() != 404) {
                            throw e;
                        }
                    }
                }
            }
        }
        if (!empty) {
            return false;
        }
        registry.patch(namespaces, "", ns, cur -> {
            ObjectNode spec = cur.has("spec") ? (ObjectNode) cur.get("spec") : cur.putObject("spec");
            spec.putArray("finalizers");
            return cur;
        }, "finalize", new WriteOptions(false, "namespace-controller"));
        return true;
    }

    @Override
    public void close() {
        feed.close();
        worker.interrupt();
    }

    private record Retry(String namespace, long atNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
