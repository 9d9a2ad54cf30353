package dev.ferry.store.etcd;

import dev.ferry.store.StoreException;
import dev.ferry.store.WatchEvent;
import dev.ferry.store.WatchListener;
import java.util.ArrayList;
import java.util.List;

/** Records a watch's calls for assertions from another thread. */
final class RecordingListener implements WatchListener {
    private final List<WatchEvent> events = new ArrayList<>();
    private final List<StoreException> errors = new ArrayList<>();

    @Override
    public synchronized void onEvents(List<WatchEvent> batch) {
        events.addAll(batch);
    }

    @Override
    public synchronized void onError(StoreException error) {
        errors.add(error);
    }

    synchronized List<WatchEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<StoreException> errors() {
        return List.copyOf(errors);
    }
}
