package dev.ferry.apiserver.storage;

import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.resource.ResourceType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The current objects of one resource type plus a window of recent events, kept in step with the store by
 * {@link WatchCache}. Invariant: under the lock, the objects are exactly the store's state at {@link WatchCache#revision()}
 * for this type, and every event with revision &gt; {@code coveredFrom} is in {@code history}.
 */
public final class TypeCache {
    private final ResourceType type;
    private final WatchCache owner;
    private final int historyCapacity;
    private final TreeMap<String, CachedObject> objects = new TreeMap<>();
    private final ArrayDeque<CacheEvent> history = new ArrayDeque<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private long coveredFrom;

    TypeCache(ResourceType type, WatchCache owner, int historyCapacity) {
        this.type = type;
        this.owner = owner;
        this.historyCapacity = historyCapacity;
    }

    public ResourceType type() {
        return type;
    }

    /** Items matching {@code filter} in key order, starting at {@code startKey} (inclusive, "" = first). */
    public record Snapshot(List<CachedObject> items, long revision, String nextKey) {
    }

    /**
     * A consistent page: at most {@code limit} matching objects (0 = all) from {@code startKey} on, with the revision
     * they are valid at and the key to continue from ("" when done).
     */
    public Snapshot list(WatchFilter filter, String startKey, int limit) {
        lock.readLock().lock();
        try {
            String prefix = Keys.prefix(type, filter.namespace());
            String nameFilter = filter.fields().requiredValue("metadata.name").orElse(null);
            NavigableMap<String, CachedObject> range = objects.tailMap(
                    startKey.isEmpty() || startKey.compareTo(prefix) < 0 ? prefix : startKey, true);
            List<CachedObject> out = new ArrayList<>();
            String next = "";
            for (Map.Entry<String, CachedObject> e : range.entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break;
                }
                CachedObject c = e.getValue();
                if (nameFilter != null && !nameFilter.equals(Meta.name(c.obj()))) {
                    continue;
                }
                if (!filter.matches(c.obj())) {
                    continue;
                }
                if (limit > 0 && out.size() == limit) {
                    next = e.getKey();
                    break;
                }
                out.add(c);
            }
            return new Snapshot(out, owner.revision(), next);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Starts a watch for events after {@code fromRevision}; with {@code fromRevision == 0} the watcher first gets an
     * ADDED event for every current matching object.
     *
     * @throws ApiException 410 Expired when events after {@code fromRevision} are no longer held
     */
    public Watcher watch(long fromRevision, WatchFilter filter, int capacity) {
        lock.writeLock().lock();
        try {
            List<CacheEvent> replay = new ArrayList<>();
            if (fromRevision == 0) {
                for (CachedObject c : objects.values()) {
                    if (filter.matches(c.obj())) {
                        replay.add(new CacheEvent(CacheEvent.Type.ADDED, keyOf(c.obj()), c.obj(), null, c.revision()));
                    }
                }
            } else {
                if (fromRevision < coveredFrom) {
                    throw ApiException.expired("too old resource version: " + fromRevision + " (" + coveredFrom + ")");
                }
                for (CacheEvent ev : history) {
                    if (ev.revision() > fromRevision) {
                        replay.add(ev);
                    }
                }
            }
            Watcher w = new Watcher(filter, Math.max(capacity, replay.size() + capacity), watchers::remove,
                    this::deliveredRevision);
            replay.forEach(w::offer);
            watchers.add(w);
            return w;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The cache revision read under the lock: every event of this type up to it has been offered to the watchers
     * (events are offered under the write lock, after the revision advanced).
     */
    long deliveredRevision() {
        lock.readLock().lock();
        try {
            return owner.revision();
        } finally {
            lock.readLock().unlock();
        }
    }

    public int watcherCount() {
        return watchers.size();
    }

    /** Applies one store change; called by the cache's single applier thread, in revision order. */
    void apply(CacheEvent.Type type, String key, CachedObject now, long revision) {
        lock.writeLock().lock();
        try {
            CachedObject before = type == CacheEvent.Type.DELETED ? objects.remove(key) : objects.put(key, now);
            CacheEvent ev;
            if (type == CacheEvent.Type.DELETED) {
                if (before == null) {
                    owner.advance(revision);
                    return;
                }
                var last = before.obj().deepCopy();
                Meta.metadata(last).put("resourceVersion", Long.toString(revision));
                ev = new CacheEvent(type, keyOf(last), last, before.obj(), revision);
            } else {
                CacheEvent.Type t = before == null ? CacheEvent.Type.ADDED : CacheEvent.Type.MODIFIED;
                ev = new CacheEvent(t, keyOf(now.obj()), now.obj(), before == null ? null : before.obj(), revision);
            }
            history.addLast(ev);
            while (history.size() > historyCapacity) {
                coveredFrom = history.removeFirst().revision();
            }
            owner.advance(revision);
            for (Watcher w : watchers) {
                w.offer(ev);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Replaces the whole state (initial load or re-list after the store watch broke). */
    void reset(Map<String, CachedObject> fresh, long revision) {
        lock.writeLock().lock();
        try {
            objects.clear();
            objects.putAll(fresh);
            history.clear();
            coveredFrom = revision;
            for (Watcher w : watchers) {
                w.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static CacheEvent.ResourceKey keyOf(tools.jackson.databind.JsonNode obj) {
        return new CacheEvent.ResourceKey(Meta.namespace(obj), Meta.name(obj));
    }
}
