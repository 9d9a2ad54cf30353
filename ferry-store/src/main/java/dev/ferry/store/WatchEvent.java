package dev.ferry.store;

/**
 * One change seen by a watch.
 *
 * @param kv     for PUT the new value; for DELETE the key with its last value and {@code modRevision} = the
 *               revision of the deletion
 * @param prevKv the value before the change, or null when the key was created
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {
    public enum Type { PUT, DELETE }

    public long revision() {
        return kv.modRevision();
    }
}
