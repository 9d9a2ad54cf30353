package dev.ferry.client;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Reconciler} over the keys of a {@link WorkQueue} with {@code workers} threads: success forgets the
 * key's failures; a failure re-queues it with back-off until {@code maxRetries}, then drops it (the next change to
 * the object queues it again), as client-go controllers do.
 */
public final class ControllerLoop<K> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControllerLoop.class);
    private final String name;
    private final WorkQueue<K> queue;
    private final Reconciler<K> reconciler;
    private final int maxRetries;
    private final List<Thread> threads = new ArrayList<>();

    public ControllerLoop(String name, WorkQueue<K> queue, Reconciler<K> reconciler, int maxRetries) {
        this.name = name;
        this.queue = queue;
        this.reconciler = reconciler;
        this.maxRetries = maxRetries;
    }

    /** Starts {@code workers} worker threads; returns this. */
    public synchronized ControllerLoop<K> start(int workers) {
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofPlatform().daemon().name(name + "-worker-" + i).start(this::work));
        }
        return this;
    }

    private void work() {
        while (true) {
            K key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            try {
                reconciler.reconcile(key);
                queue.forget(key);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception | LinkageError | AssertionError e) {
                int failures = queue.failures(key);
                if (failures < maxRetries) {
                    log.debug("{}: {} failed ({} retries so far): {}", name, key, failures, e.toString());
                    queue.addRateLimited(key);
                } else {
                    log.warn("{}: dropping {} after {} retries: {}", name, key, failures, e.toString());
                    queue.forget(key);
                }
            } finally {
                queue.done(key);
            }
        }
    }

    /** Closes the queue and waits for the workers to finish their current key. */
    @Override
    public void close() throws InterruptedException {
        queue.close();
        List<Thread> copy;
        synchronized (this) {
            copy = List.copyOf(threads);
        }
        for (Thread t : copy) {
            t.join(5_000);
        }
    }
}
