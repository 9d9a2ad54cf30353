package dev.ferry.apiserver.storage;

import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.resource.ResourceTypes;
import dev.ferry.store.KeyValue;
import dev.ferry.store.KeyValueStore;
import dev.ferry.store.RangeResult;
import dev.ferry.store.StoreException;
import dev.ferry.store.Watch;
import dev.ferry.store.WatchEvent;
import dev.ferry.store.WatchListener;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory mirror of every served object, fed by one store watch on {@code /registry/}: serves lists and watches
 * without touching the store. A single applier thread applies store events in revision order, so {@link #revision()}
 * only grows. If the store watch breaks, the cache re-lists and every client watch is closed (clients re-list too).
 */
public final class WatchCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WatchCache.class);
    public static final String ROOT = "/registry/";
    private static final int PAGE = 1000;

    private final KeyValueStore store;
    private final ResourceTypes types;
    private final Map<String, TypeCache> byPrefix = new LinkedHashMap<>();
    private final Map<ResourceType, TypeCache> byType = new HashMap<>();
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final Object revisionMonitor = new Object();
    private final Thread applier;
    private volatile long revision;
    private volatile Watch storeWatch;
    private volatile boolean closed;

    public WatchCache(KeyValueStore store, ResourceTypes types, int historyPerType) {
        this.store = store;
        this.types = types;
        for (ResourceType t : types.all()) {
            TypeCache c = new TypeCache(t, this, historyPerType);
            byPrefix.put(t.keyPrefix(), c);
            byType.put(t, c);
        }
        this.applier = Thread.ofPlatform().name("watch-cache").daemon().unstarted(this::applyLoop);
    }

    /** Loads the current state and starts following the store. */
    public void start() {
        load();
        applier.start();
    }

    public ResourceTypes types() {
        return types;
    }

    public TypeCache of(ResourceType type) {
        return byType.get(type);
    }

    /** The store revision the cache reflects. */
    public long revision() {
        return revision;
    }

    /** Waits until the cache reflects {@code rev}; false on timeout. */
    public boolean waitFor(long rev, Duration timeout) throws InterruptedException {
        if (revision >= rev) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (revisionMonitor) {
            while (revision < rev) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                revisionMonitor.wait(Math.max(1, left / 1_000_000), 0);
            }
        }
        return true;
    }

    void advance(long rev) {
        if (rev > revision) {
            revision = rev;
        }
    }

    private void load() {
        long rev = store.currentRevision();
        Map<TypeCache, Map<String, CachedObject>> fresh = new HashMap<>();
        byType.values().forEach(c -> fresh.put(c, new HashMap<>()));
        String start = "";
        while (true) {
            RangeResult page = store.range(ROOT, start, PAGE, rev);
            for (KeyValue kv : page.kvs()) {
                TypeCache c = cacheFor(kv.key());
                if (c != null) {
                    fresh.get(c).put(kv.key(), new CachedObject(kv.key(), Codec.decode(kv), kv.modRevision()));
                }
            }
            if (!page.more() || page.kvs().isEmpty()) {
                break;
            }
            start = page.kvs().get(page.kvs().size() - 1).key() + "\0";
        }
        fresh.forEach((c, objs) -> c.reset(objs, rev));
        revision = Math.max(revision, rev);
        storeWatch = store.watch(ROOT, rev, new WatchListener() {
            @Override
            public void onEvents(List<WatchEvent> events) {
                inbox.add(events);
            }

            @Override
            public void onError(StoreException error) {
                inbox.add(error);
            }
        });
        log.debug("watch cache loaded at revision {}", rev);
    }

    private TypeCache cacheFor(String key) {
        int slash = key.indexOf('/', ROOT.length());
        if (slash < 0) {
            return null;
        }
        slash = key.indexOf('/', slash + 1);
        return slash < 0 ? null : byPrefix.get(key.substring(0, slash + 1));
    }

    @SuppressWarnings("unchecked")
    private void applyLoop() {
        while (!closed) {
            try {
                Object item = inbox.take();
                if (item instanceof StoreException e) {
                    log.warn("store watch failed ({}); re-listing", e.getMessage());
                    relist();
                    continue;
                }
                for (WatchEvent ev : (List<WatchEvent>) item) {
                    apply(ev);
                }
                synchronized (revisionMonitor) {
                    revisionMonitor.notifyAll();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                log.error("watch cache failed to apply an event; re-listing", e);
                try {
                    relist();
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** Drops the broken store watch and loads everything again, retrying with backoff while the store is down. */
    private void relist() throws InterruptedException {
        long backoffMillis = 100;
        while (!closed) {
            storeWatch.close();
            inbox.clear();
            try {
                load();
                return;
            } catch (RuntimeException e) {
                log.warn("re-list failed ({}); retrying in {} ms", e.getMessage(), backoffMillis);
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 30_000);
            }
        }
    }

    private void apply(WatchEvent ev) {
        long rev = ev.revision();
        TypeCache c = cacheFor(ev.kv().key());
        if (c == null) {
            advance(rev);
            return;
        }
        if (ev.type() == WatchEvent.Type.DELETE) {
            c.apply(CacheEvent.Type.DELETED, ev.kv().key(), null, rev);
        } else {
            CachedObject obj = new CachedObject(ev.kv().key(), Codec.decode(ev.kv()), rev);
            c.apply(CacheEvent.Type.MODIFIED, ev.kv().key(), obj, rev);
        }
    }

    @Override
    public void close() {
        closed = true;
        Watch w = storeWatch;
        if (w != null) {
            w.close();
        }
        applier.interrupt();
    }
}
