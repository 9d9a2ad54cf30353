package dev.ferry.store;

/**
 * One row of the SQLite log: one write. Its id is the revision of the write.
 *
 * <p>Every row carries enough to rebuild its watch event on its own, so compaction may drop the rows it supersedes:
 * {@code value} is the new value (for a deletion: the last value), {@code oldValue} and {@code prevRevision} describe
 * the value it replaced (unused when {@code created}).
 */
record LogRow(long id, String name, boolean created, boolean deleted, long createRevision, long prevRevision,
              byte[] value, byte[] oldValue) {

    /** The key as this row left it; for a deletion, the last value stamped with the deletion's revision. */
    KeyValue keyValue() {
        return new KeyValue(name, value, createRevision, id);
    }

    /** The key as it was just before this row, or null for a creation. */
    KeyValue previous() {
        return created ? null : new KeyValue(name, oldValue, createRevision, prevRevision);
    }

    WatchEvent event() {
        return new WatchEvent(deleted ? WatchEvent.Type.DELETE : WatchEvent.Type.PUT, keyValue(), previous());
    }
}
