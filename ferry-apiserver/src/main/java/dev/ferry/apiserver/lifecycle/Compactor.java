package dev.ferry.apiserver.lifecycle;

import dev.ferry.store.KeyValueStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts store history as kube-apiserver does: every interval, compact to the revision seen one interval earlier,
 * so history younger than one interval always survives.
 */
public final class Compactor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Compactor.class);
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("compactor").factory());
    private final KeyValueStore store;
    private long previous;

    public Compactor(KeyValueStore store, Duration interval) {
        this.store = store;
        timer.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            if (previous > 0) {
                store.compact(previous);
            }
            previous = store.currentRevision();
        } catch (RuntimeException e) {
            log.warn("compaction at {} failed: {}", previous, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
