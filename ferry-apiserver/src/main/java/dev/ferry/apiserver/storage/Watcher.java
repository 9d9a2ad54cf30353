package dev.ferry.apiserver.storage;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One client's watch on the cache: events already filtered and typed for it (a MODIFIED that makes an object stop
 * matching arrives as DELETED). The cache offers events without blocking; a watcher that falls too far behind is closed
 * (the client re-lists, as with upstream's cacher). Consumed by one thread.
 */
public final class Watcher implements AutoCloseable {
    private final WatchFilter filter;
    private final BlockingQueue<CacheEvent> queue;
    private final Consumer<Watcher> onClose;
    private final LongSupplier progress;
    private volatile boolean closed;
    private volatile boolean overflowed;

    /**
     * @param progress the cache revision up to which every event of this type has been offered to its watchers
     */
    Watcher(WatchFilter filter, int capacity, Consumer<Watcher> onClose, LongSupplier progress) {
        this.filter = filter;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.onClose = onClose;
        this.progress = progress;
    }

    WatchFilter filter() {
        return filter;
    }

    /** Called by the cache with its lock held; never blocks. */
    void offer(CacheEvent ev) {
        if (closed) {
            return;
        }
        CacheEvent typed = retype(ev);
        if (typed != null && !queue.offer(typed)) {
            overflowed = true;
            close();
        }
    }

    private CacheEvent retype(CacheEvent ev) {
        boolean now = ev.type() != CacheEvent.Type.DELETED && filter.matches(ev.obj());
        boolean before = switch (ev.type()) {
            case ADDED -> false;
            case MODIFIED -> filter.matches(ev.prev());
            case DELETED -> filter.matches(ev.obj());
        };
        if (now && before) {
            return ev;
        }
        if (now) {
            return new CacheEvent(CacheEvent.Type.ADDED, ev.where(), ev.obj(), null, ev.revision());
        }
        if (before) {
            if (ev.type() == CacheEvent.Type.DELETED) {
                return ev;
            }
            var gone = ev.prev().deepCopy();
            Meta.metadata(gone).put("resourceVersion", Long.toString(ev.revision()));
            return new CacheEvent(CacheEvent.Type.DELETED, ev.where(), gone, ev.prev(), ev.revision());
        }
        return null;
    }

    /** The next event, or null when none arrived within the timeout or the watcher is closed and drained. */
    public CacheEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
        CacheEvent ev = queue.poll();
        if (ev != null || closed) {
            return ev;
        }
        return queue.poll(timeout, unit);
    }

    /**
     * The revision a BOOKMARK may carry now: every event up to it has been taken from this watcher. -1 when events
     * are still queued (deliver those first). Never below the revision the watch started from.
     */
    public long bookmarkRevision() {
        long rev = progress.getAsLong();
        return queue.isEmpty() ? rev : -1;
    }

    public boolean isClosed() {
        return closed && queue.isEmpty();
    }

    /** True when the cache dropped this watcher because its client did not keep up. */
    public boolean overflowed() {
        return overflowed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.accept(this);
        }
    }
}
