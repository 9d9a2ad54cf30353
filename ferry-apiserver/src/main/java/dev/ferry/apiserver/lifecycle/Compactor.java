package dev.ferry.apiserver.lifecycle;

import dev.ferry.store.KeyValueStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts store history as kube-apiserver does: every interval, compact to the revision seen one interval earlier,
 * so history younger than one interval always survives.
 */
public final class Compactor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Compactor.class);
    private final Thread thread;

    public Compactor(KeyValueStore store, Duration interval) {
        this.thread = Thread.ofVirtual().name("compactor").start(() -> {
            long previous = 0;
            while (true) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    if (previous > 0) {
                        store.compact(previous);
                    }
                    previous = store.currentRevision();
                } catch (RuntimeException e) {
                    log.warn("compaction at {} failed: {}", previous, e.toString());
                }
            }
        });
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
