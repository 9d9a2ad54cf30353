package dev.ferry.store;

/** The closed family of failures a store caller must handle. */
public abstract sealed class StoreException extends RuntimeException {

    StoreException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** A create found the key already there. */
    public static final class KeyExists extends StoreException {
        public KeyExists(String key) {
            super("key exists: " + key, null);
        }
    }

    /** An update or delete found no key. */
    public static final class NotFound extends StoreException {
        public NotFound(String key) {
            super("key not found: " + key, null);
        }
    }

    /** A compare-and-swap lost: the key's mod revision is not the expected one. */
    public static final class Conflict extends StoreException {
        private final transient KeyValue current;

        public Conflict(KeyValue current) {
            super("revision conflict on " + current.key() + " (now at " + current.modRevision() + ")", null);
            this.current = current;
        }

        public KeyValue current() {
            return current;
        }
    }

    /** A read or watch asked for history below the compacted revision. */
    public static final class Compacted extends StoreException {
        private final long compactedRevision;

        public Compacted(long requested, long compactedRevision) {
            super("revision " + requested + " has been compacted (compacted revision " + compactedRevision + ")", null);
            this.compactedRevision = compactedRevision;
        }

        public long compactedRevision() {
            return compactedRevision;
        }
    }

    /** A read or watch asked for a revision the store has not reached. */
    public static final class FutureRevision extends StoreException {
        private final long currentRevision;

        public FutureRevision(long requested, long currentRevision) {
            super("revision " + requested + " is a future revision (current " + currentRevision + ")", null);
            this.currentRevision = currentRevision;
        }

        public long currentRevision() {
            return currentRevision;
        }
    }

    /** The backend failed or is unreachable; the operation may or may not have happened. */
    public static final class Unavailable extends StoreException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
