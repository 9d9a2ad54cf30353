package dev.ferry.bench;

import dev.ferry.proxy.sync.SyncMetrics;
import java.time.Duration;

/**
 * The proxy's own measurements, as {@link dev.ferry.proxy.ServiceProxy} reports them to an observer: each Service
 * change's latency (informer event → data plane serving it) and each sync's duration. {@link #take} hands over what
 * was recorded since the last take. Thread-safe.
 */
final class ChangeRecorder implements SyncMetrics {
    /** What one phase recorded. */
    record Taken(Samples changes, Samples syncs, int failures) {}

    private Samples changes = new Samples();
    private Samples syncs = new Samples();
    private int failures;

    @Override
    public synchronized void changeLatency(Duration d) {
        changes.add(d.toNanos());
        notifyAll();
    }

    @Override
    public synchronized void syncDuration(Duration d) {
        syncs.add(d.toNanos());
    }

    @Override
    public void programmingLatency(Duration d) {
    }

    @Override
    public synchronized void syncFailed() {
        failures++;
    }

    synchronized Taken take() {
        Taken t = new Taken(changes, syncs, failures);
        changes = new Samples();
        syncs = new Samples();
        failures = 0;
        return t;
    }

    /** Waits until at least {@code n} change latencies are recorded since the last take, or the deadline passes. */
    synchronized int awaitChanges(int n, long deadlineNanos) throws InterruptedException {
        while (changes.size() < n) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return changes.size();
    }
}
