package dev.ferry.store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fans committed events out to the open watches. Publishing and registering are serialized, so a watch registered
 * when the hub has published up to revision P receives, live, exactly the events above P; it reads P and below
 * from the log.
 */
final class WatchHub {

    private final Set<SqliteWatch> watches = new HashSet<>();
    private long published;
    private boolean closed;

    WatchHub(long revision) {
        this.published = revision;
    }

    /** Adds the watch; returns the revision up to which it must read history itself. */
    synchronized long register(SqliteWatch watch) {
        if (closed) {
            throw new StoreException.Unavailable("store is closed", null);
        }
        watches.add(watch);
        return published;
    }

    synchronized void unregister(SqliteWatch watch) {
        watches.remove(watch);
    }

    /** Hands one committed batch (in revision order) to every watch. */
    synchronized void publish(long revision, List<WatchEvent> events) {
        published = revision;
        if (events.isEmpty()) {
            return;
        }
        for (SqliteWatch watch : watches) {
            watch.offer(events);
        }
    }

    /** Ends every watch with {@code error}; later registrations fail. */
    synchronized void closeAll(StoreException error) {
        closed = true;
        for (SqliteWatch watch : watches) {
            watch.fail(error);
        }
        watches.clear();
    }
}
