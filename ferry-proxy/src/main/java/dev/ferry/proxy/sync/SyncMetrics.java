package dev.ferry.proxy.sync;

import java.time.Duration;

/** What the proxier measures about its syncs. */
public interface SyncMetrics {

    /** One sync took {@code d}. */
    void syncDuration(Duration d);

    /** A change stamped with an EndpointSlice trigger time was programmed {@code d} after it. */
    void programmingLatency(Duration d);

    void syncFailed();

    /** A Service's change was served {@code d} after the proxy first saw it (informer event → data plane). */
    default void changeLatency(Duration d) {
    }

    SyncMetrics NONE = new SyncMetrics() {
        @Override
        public void syncDuration(Duration d) {
        }

        @Override
        public void programmingLatency(Duration d) {
        }

        @Override
        public void syncFailed() {
        }
    };
}
