package dev.ferry.proxy.dataplane;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A warning that repeats for one cause (a full file table, a failing accept) is logged at most once per interval, with
 * the number of occurrences it stands for; the rest go to DEBUG. Thread-safe.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long nextNanos;
    private long suppressed;
    private boolean started;

    RateLimitedLog(Logger log, long intervalNanos, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
    }

    /**
     * The number of occurrences this one stands for (itself and those suppressed since the last warning) when it
     * should be logged at WARN now, else 0.
     */
    synchronized long admit() {
        long now = nanoTime.getAsLong();
        suppressed++;
        if (!started || now - nextNanos >= 0) {
            started = true;
            nextNanos = now + intervalNanos;
            long n = suppressed;
            suppressed = 0;
            return n;
        }
        return 0;
    }

    void warn(String message, Throwable cause) {
        long n = admit();
        if (n > 0) {
            log.warn("{} ({} time(s) since the last such warning): {}", message, n, String.valueOf(cause));
        } else if (log.isDebugEnabled()) {
            log.debug(message, cause);
        }
    }
}
