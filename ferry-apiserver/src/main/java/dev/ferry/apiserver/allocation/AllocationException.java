package dev.ferry.apiserver.allocation;

/** A refused allocation; the message is upstream's error text, as clients see it after "failed to allocate ...: ". */
public final class AllocationException extends Exception {

    /** Why the allocation was refused. */
    public enum Reason {
        /** The requested value is taken. */
        ALREADY_ALLOCATED,
        /** The requested value is outside the allocator's range. */
        NOT_IN_RANGE,
        /** No value is left for a dynamic allocation. */
        FULL
    }

    private final Reason reason;

    public AllocationException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
