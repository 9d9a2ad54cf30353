package dev.ferry.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A volatile {@link KeyValueStore}: everything in memory, nothing survives the process. For tests and throw-away
 * clusters; it passes the same contract suite as the durable stores. Watch listeners are called while the store's lock
 * is held, which gives the per-watch ordering the contract asks for; listeners must not block.
 */
public final class MemoryStore implements KeyValueStore {
    /** Every version of every key, oldest first; a null value marks a deletion. */
    private final TreeMap<String, List<Version>> history = new TreeMap<>();
    private final List<MemoryWatch> watches = new CopyOnWriteArrayList<>();
    private long revision;
    private long compacted;

    private record Version(KeyValue kv, boolean deleted) {
    }

    @Override
    public synchronized long currentRevision() {
        return revision;
    }

    @Override
    public synchronized Optional<KeyValue> get(String key) {
        return Optional.ofNullable(live(key));
    }

    @Override
    public synchronized RangeResult range(String prefix, String startKey, int limit, long atRevision) {
        long rev = atRevision == 0 ? revision : atRevision;
        checkRevision(rev);
        String from = startKey == null || startKey.isEmpty() ? prefix : startKey;
        List<KeyValue> out = new ArrayList<>();
        boolean more = false;
        for (Map.Entry<String, List<Version>> e : history.tailMap(from, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            Version v = at(e.getValue(), rev);
            if (v == null || v.deleted) {
                continue;
            }
            if (limit > 0 && out.size() == limit) {
                more = true;
                break;
            }
            out.add(v.kv);
        }
        return new RangeResult(out, rev, more);
    }

    @Override
    public synchronized long create(String key, byte[] value) {
        if (live(key) != null) {
            throw new StoreException.KeyExists(key);
        }
        long rev = ++revision;
        write(key, new Version(new KeyValue(key, value.clone(), rev, rev), false), null);
        return rev;
    }

    @Override
    public synchronized long update(String key, byte[] value, long expectedModRevision) {
        KeyValue cur = requireAt(key, expectedModRevision);
        long rev = ++revision;
        write(key, new Version(new KeyValue(key, value.clone(), cur.createRevision(), rev), false), cur);
        return rev;
    }

    @Override
    public synchronized long delete(String key, long expectedModRevision) {
        KeyValue cur = requireAt(key, expectedModRevision);
        long rev = ++revision;
        write(key, new Version(new KeyValue(key, cur.value(), cur.createRevision(), rev), true), cur);
        return rev;
    }

    @Override
    public synchronized Watch watch(String prefix, long afterRevision, WatchListener listener) {
        if (afterRevision > revision) {
            throw new StoreException.FutureRevision(afterRevision, revision);
        }
        if (afterRevision + 1 < compacted) {
            throw new StoreException.Compacted(afterRevision, compacted);
        }
        List<WatchEvent> past = new ArrayList<>();
        for (Map.Entry<String, List<Version>> e : history.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            List<Version> versions = e.getValue();
            for (int i = 0; i < versions.size(); i++) {
                Version v = versions.get(i);
                if (v.kv.modRevision() > afterRevision) {
                    KeyValue prev = i > 0 && !versions.get(i - 1).deleted ? versions.get(i - 1).kv : null;
                    past.add(event(v, prev));
                }
            }
        }
        past.sort((a, b) -> Long.compare(a.revision(), b.revision()));
        MemoryWatch w = new MemoryWatch(prefix, listener);
        for (WatchEvent ev : past) {
            listener.onEvents(List.of(ev));
        }
        watches.add(w);
        return w;
    }

    @Override
    public synchronized void compact(long rev) {
        if (rev > revision) {
            throw new StoreException.FutureRevision(rev, revision);
        }
        if (rev <= compacted) {
            return;
        }
        compacted = rev;
        history.values().forEach(versions -> {
            int keepFrom = 0;
            for (int i = 0; i < versions.size(); i++) {
                if (versions.get(i).kv.modRevision() <= rev) {
                    keepFrom = i;
                }
            }
            versions.subList(0, keepFrom).clear();
        });
        history.values().removeIf(v -> v.size() == 1 && v.get(0).deleted && v.get(0).kv.modRevision() <= rev);
    }

    @Override
    public synchronized long compactedRevision() {
        return compacted;
    }

    @Override
    public void close() {
        watches.clear();
    }

    private void checkRevision(long rev) {
        if (rev > revision) {
            throw new StoreException.FutureRevision(rev, revision);
        }
        if (rev < compacted) {
            throw new StoreException.Compacted(rev, compacted);
        }
    }

    private KeyValue live(String key) {
        List<Version> versions = history.get(key);
        if (versions == null) {
            return null;
        }
        Version last = versions.get(versions.size() - 1);
        return last.deleted ? null : last.kv;
    }

    private KeyValue requireAt(String key, long expectedModRevision) {
        KeyValue cur = live(key);
        if (cur == null) {
            throw new StoreException.NotFound(key);
        }
        if (expectedModRevision != 0 && cur.modRevision() != expectedModRevision) {
            throw new StoreException.Conflict(cur);
        }
        return cur;
    }

    private static Version at(List<Version> versions, long rev) {
        Version found = null;
        for (Version v : versions) {
            if (v.kv.modRevision() <= rev) {
                found = v;
            }
        }
        return found;
    }

    private void write(String key, Version v, KeyValue prev) {
        history.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
        WatchEvent ev = event(v, prev);
        for (MemoryWatch w : watches) {
            if (key.startsWith(w.prefix)) {
                w.listener.onEvents(Collections.singletonList(ev));
            }
        }
    }

    private static WatchEvent event(Version v, KeyValue prev) {
        return new WatchEvent(v.deleted ? WatchEvent.Type.DELETE : WatchEvent.Type.PUT, v.kv, prev);
    }

    private final class MemoryWatch implements Watch {
        final String prefix;
        final WatchListener listener;

        MemoryWatch(String prefix, WatchListener listener) {
            this.prefix = prefix;
            this.listener = listener;
        }

        @Override
        public void close() {
            watches.remove(this);
        }
    }
}
