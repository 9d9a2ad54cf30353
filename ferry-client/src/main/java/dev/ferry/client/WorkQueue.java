package dev.ferry.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A work queue with client-go's guarantees: a key is queued at most once however often it is added; a key being
 * processed is never handed to a second worker, and a key added while processed is queued again when {@link #done}
 * is called. Delayed and rate-limited adds go through one scheduler thread. Thread-safe.
 *
 * @param <K> the key type (for controllers, "namespace/name")
 */
public final class WorkQueue<K> implements AutoCloseable {
    private final Backoff backoff;
    private final ArrayDeque<K> queue = new ArrayDeque<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private final ScheduledExecutorService timer;
    private boolean shutdown;

    public WorkQueue(String name, Backoff backoff) {
        this.backoff = backoff;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-queue-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues {@code key} unless it is already queued; no-op after {@link #close}. */
    public synchronized void add(K key) {
        if (shutdown || !dirty.add(key)) {
            return;
        }
        if (!processing.contains(key)) {
            queue.addLast(key);
            notify();
        }
    }

    /** Adds {@code key} once {@code delay} has passed. */
    public void addAfter(K key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        synchronized (this) {
            if (shutdown) {
                return;
            }
        }
        timer.schedule(() -> add(key), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Adds {@code key} after its back-off delay, and counts one more failure for it. */
    public void addRateLimited(K key) {
        int n;
        synchronized (this) {
            n = failures.merge(key, 1, Integer::sum) - 1;
        }
        addAfter(key, backoff.delay(n));
    }

    /** Failures counted for {@code key} since its last {@link #forget}. */
    public synchronized int failures(K key) {
        return failures.getOrDefault(key, 0);
    }

    /** Clears the failure count of {@code key} (call after it was processed successfully or given up). */
    public synchronized void forget(K key) {
        failures.remove(key);
    }

    /** Blocks until a key is available and marks it processing; null once the queue is closed. */
    public synchronized K take() throws InterruptedException {
        while (queue.isEmpty() && !shutdown) {
            wait();
        }
        if (shutdown) {
            return null;
        }
        K key = queue.removeFirst();
        processing.add(key);
        dirty.remove(key);
        return key;
    }

    /** Ends processing of {@code key}; queues it again if it was added meanwhile. */
    public synchronized void done(K key) {
        processing.remove(key);
        if (dirty.contains(key) && !shutdown) {
            queue.addLast(key);
            notify();
        }
    }

    /** Keys queued and not yet taken. */
    public synchronized int length() {
        return queue.size();
    }

    /** Wakes every {@link #take} with null and drops queued keys. */
    @Override
    public void close() {
        synchronized (this) {
            shutdown = true;
            queue.clear();
            dirty.clear();
            notifyAll();
        }
        timer.shutdownNow();
    }
}
