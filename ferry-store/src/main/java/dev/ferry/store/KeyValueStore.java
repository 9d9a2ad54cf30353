package dev.ferry.store;

import java.util.Optional;

/**
 * A revisioned key-value store: the contract Ferry's API server needs from etcd, and what the embedded store provides.
 *
 * <p>Every successful write bumps a single store-wide revision by one and stamps the written key with it
 * ({@link KeyValue#modRevision()}). Revisions are strictly increasing and never reused, also across restarts.
 * Keys are UTF-8 strings without NUL; values are opaque bytes. Reads see every write acknowledged before they started.
 *
 * <p>All methods may block (disk or network); call them from a virtual thread or a worker, never from an event loop.
 * Failures that a caller must handle are the closed family {@link StoreException}; anything else is a bug or an
 * unavailable backend ({@link StoreException.Unavailable}).
 */
public interface KeyValueStore extends AutoCloseable {

    /** The revision of the latest write (0 for an empty store that never saw a write). */
    long currentRevision();

    /** The key's current value, or empty when it does not exist. */
    Optional<KeyValue> get(String key);

    /**
     * Keys starting with {@code prefix}, in ascending key order, as of {@code revision} (0 = now).
     *
     * @param startKey first key to return (inclusive); null or empty = from the start of the prefix
     * @param limit    at most this many keys (0 = no limit); {@link RangeResult#more()} tells whether keys remain
     * @throws StoreException.Compacted      when {@code revision} is below the compacted revision
     * @throws StoreException.FutureRevision when {@code revision} is above {@link #currentRevision()}
     */
    RangeResult range(String prefix, String startKey, int limit, long revision);

    /**
     * Creates {@code key}; returns the new revision.
     *
     * @throws StoreException.KeyExists when the key exists
     */
    long create(String key, byte[] value);

    /**
     * Replaces {@code key}'s value if its mod revision is still {@code expectedModRevision}; returns the new revision.
     *
     * @throws StoreException.NotFound when the key does not exist
     * @throws StoreException.Conflict when the key's mod revision differs (carries the current value)
     */
    long update(String key, byte[] value, long expectedModRevision);

    /**
     * Deletes {@code key} if its mod revision is {@code expectedModRevision} (0 = unconditionally); returns the
     * revision of the deletion.
     *
     * @throws StoreException.NotFound when the key does not exist
     * @throws StoreException.Conflict when the key's mod revision differs (carries the current value)
     */
    long delete(String key, long expectedModRevision);

    /**
     * Streams every change to keys starting with {@code prefix} with revision &gt; {@code afterRevision}, in revision
     * order, first the stored history and then live changes, until the watch is closed.
     *
     * <p>The listener is called from one thread at a time per watch, and must not block.
     *
     * @throws StoreException.Compacted      when history after {@code afterRevision} was compacted away
     * @throws StoreException.FutureRevision when {@code afterRevision} is above {@link #currentRevision()}
     */
    Watch watch(String prefix, long afterRevision, WatchListener listener);

    /**
     * Drops history older than {@code revision}: afterwards {@code range} and {@code watch} below it fail with
     * {@link StoreException.Compacted}. Current values are never dropped. Compacting at or below the compacted revision
     * is a no-op.
     *
     * @throws StoreException.FutureRevision when {@code revision} is above {@link #currentRevision()}
     */
    void compact(long revision);

    /** The revision below which history is gone (0 when nothing was compacted). */
    long compactedRevision();

    @Override
    void close();
}
