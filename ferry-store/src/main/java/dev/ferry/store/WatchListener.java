package dev.ferry.store;

import java.util.List;

/** Receives a watch's events. Calls for one watch never overlap; implementations must not block. */
public interface WatchListener {
    /** Events in revision order; a batch never splits one revision. */
    void onEvents(List<WatchEvent> events);

    /** The watch ended abnormally (backend lost, compacted while lagging); no calls follow. */
    void onError(StoreException error);
}
