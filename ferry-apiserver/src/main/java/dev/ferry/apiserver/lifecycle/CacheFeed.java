package dev.ferry.apiserver.lifecycle;

import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.storage.CacheEvent;
import dev.ferry.apiserver.storage.Registry;
import dev.ferry.apiserver.storage.WatchFilter;
import dev.ferry.apiserver.storage.Watcher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds every event of some resource types to a handler, from one thread per type: first an ADDED event per
 * existing object, then live changes; if the watch is dropped, it starts over (handlers must be idempotent).
 */
final class CacheFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CacheFeed.class);

    interface Handler {
        void onEvent(ResourceType type, CacheEvent event);
    }

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    CacheFeed(Registry registry, List<ResourceType> types, Handler handler) {
        for (ResourceType t : types) {
            threads.add(Thread.ofPlatform().daemon().name("feed-" + t.plural()).start(() -> run(registry, t, handler)));
        }
    }

    private void run(Registry registry, ResourceType t, Handler handler) {
        while (!closed) {
            try (Watcher w = registry.watch(t, WatchFilter.all(t.kind()), "0", 100_000)) {
                while (!closed && !w.isClosed()) {
                    CacheEvent ev = w.poll(1, TimeUnit.SECONDS);
                    if (ev != null) {
                        try {
                            handler.onEvent(t, ev);
                        } catch (RuntimeException e) {
                            log.warn("handling {} {}: {}", ev.type(), ev.where(), e.toString());
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("feed for {} failed: {}", t.plural(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
    }
}
