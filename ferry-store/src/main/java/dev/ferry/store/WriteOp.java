package dev.ferry.store;

/** A write waiting for the group-commit writer. */
sealed interface WriteOp {
    record Create(String key, byte[] value) implements WriteOp {
    }

    record Update(String key, byte[] value, long expectedModRevision) implements WriteOp {
    }

    /** {@code expectedModRevision} 0 = unconditional. */
    record Delete(String key, long expectedModRevision) implements WriteOp {
    }

    record Compact(long revision) implements WriteOp {
    }
}
