package dev.ferry.store.etcd;

/**
 * An error answer of etcd's JSON gateway: a gRPC status code and etcd's message. Internal: {@link EtcdStore} turns
 * the ones a caller must handle into {@link dev.ferry.store.StoreException}s.
 */
final class GatewayError extends RuntimeException {

    /** gRPC status codes that mean "the request itself is wrong": a bug in this client, not an outage. */
    private static final int INVALID_ARGUMENT = 3;
    private static final int UNIMPLEMENTED = 12;

    private final int code;

    GatewayError(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }

    /** etcd's ErrCompacted ("mvcc: required revision has been compacted"). */
    boolean isCompacted() {
        return getMessage().contains("required revision has been compacted");
    }

    /** etcd's ErrFutureRev ("mvcc: required revision is a future revision"). */
    boolean isFutureRevision() {
        return getMessage().contains("required revision is a future revision");
    }

    /** True when retrying the same request cannot help: the request is malformed or too large. */
    boolean isRequestError() {
        return code == INVALID_ARGUMENT || code == UNIMPLEMENTED;
    }
}
