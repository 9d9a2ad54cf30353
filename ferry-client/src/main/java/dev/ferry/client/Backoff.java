package dev.ferry.client;

import java.time.Duration;

/**
 * Per-item exponential back-off, as client-go's ItemExponentialFailureRateLimiter: the n-th retry (n from 0) waits
 * {@code base · 2^n}, capped at {@code max}. Pure.
 */
public record Backoff(Duration base, Duration max) {
    /** client-go's controller default: 5 ms doubling to 1000 s. */
    public static final Backoff CONTROLLER = new Backoff(Duration.ofMillis(5), Duration.ofSeconds(1000));

    public Backoff {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= max, got " + base + ", " + max);
        }
    }

    /** The delay before retry number {@code failures} (0 = first retry). */
    public Duration delay(int failures) {
        if (failures >= 62) {
            return max;
        }
        long nanos = base.toNanos();
        long shifted = failures >= Long.numberOfLeadingZeros(nanos) - 1 ? Long.MAX_VALUE : nanos << failures;
        return shifted >= max.toNanos() ? max : Duration.ofNanos(shifted);
    }
}
