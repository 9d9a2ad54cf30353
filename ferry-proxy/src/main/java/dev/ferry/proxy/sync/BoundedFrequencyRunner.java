package dev.ferry.proxy.sync;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a function on its own thread when asked, but not more often than a token bucket allows ({@code burst} runs
 * back to back, then one per {@code minInterval}), and at least every {@code maxInterval} (kube-proxy's
 * BoundedFrequencyRunner). Requests made while a run is pending or running coalesce into one later run. A run that
 * throws is retried after {@code retryInterval}. Waiting uses the JVM's monotonic clock, so it is not injected.
 */
public final class BoundedFrequencyRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BoundedFrequencyRunner.class);
    private final String name;
    private final Runnable fn;
    private final long minNanos;
    private final long maxNanos;
    private final long retryNanos;
    private final int burst;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread thread;
    private boolean requested;
    private boolean closed;
    private long retryAt = Long.MAX_VALUE;
    private double tokens;
    private long tokensAt;

    public BoundedFrequencyRunner(String name, Runnable fn, Duration minInterval, Duration maxInterval, int burst,
            Duration retryInterval) {
        this.name = name;
        this.fn = fn;
        this.minNanos = minInterval.toNanos();
        this.maxNanos = maxInterval.toNanos();
        this.retryNanos = retryInterval.toNanos();
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.tokensAt = System.nanoTime();
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Asks for a run as soon as the bucket allows. */
    public void run() {
        lock.lock();
        try {
            requested = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        long lastRun = System.nanoTime();
        while (true) {
            lock.lock();
            try {
                while (!closed) {
                    long now = System.nanoTime();
                    refill(now);
                    boolean due = requested || now - lastRun >= maxNanos || now - retryAt >= 0;
                    if (due && tokens >= 1) {
                        break;
                    }
                    long wait = Math.min(maxNanos - (now - lastRun), retryAt == Long.MAX_VALUE ? Long.MAX_VALUE
                            : retryAt - now);
                    if (due) {
                        wait = Math.min(wait, (long) ((1 - tokens) * minNanos) + 1);
                    }
                    wake.awaitNanos(Math.max(1, wait));
                }
                if (closed) {
                    return;
                }
                tokens -= 1;
                requested = false;
                retryAt = Long.MAX_VALUE;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            lastRun = System.nanoTime();
            try {
                fn.run();
            } catch (RuntimeException e) {
                log.warn("{}: run failed, retrying in {} ms: {}", name, retryNanos / 1_000_000, e.toString(), e);
                lock.lock();
                try {
                    retryAt = System.nanoTime() + retryNanos;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void refill(long now) {
        if (minNanos <= 0) {
            tokens = burst;
            return;
        }
        tokens = Math.min(burst, tokens + (double) (now - tokensAt) / minNanos);
        tokensAt = now;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
