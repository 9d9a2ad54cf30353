package dev.ferry.store;

import java.util.Arrays;

/**
 * One stored key at one revision.
 *
 * @param createRevision revision of the write that created the key (unchanged by updates)
 * @param modRevision    revision of the last write to the key
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision) {

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue kv && key.equals(kv.key) && Arrays.equals(value, kv.value)
                && createRevision == kv.createRevision && modRevision == kv.modRevision;
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Long.hashCode(modRevision);
    }

    @Override
    public String toString() {
        return "KeyValue[" + key + ", " + value.length + " bytes, create=" + createRevision + ", mod=" + modRevision + "]";
    }
}
