package dev.ferry.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of latency samples, in milliseconds. Percentiles use the nearest-rank method: p99 of 100
 * samples is the 99th smallest, of 20 samples the largest.
 */
public record Summary(int count, double p50, double p90, double p99, double max, double mean) {

    public static final Summary EMPTY = new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Summarises samples given in nanoseconds; the array is sorted in place. */
    public static Summary ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return EMPTY;
        }
        Arrays.sort(nanos);
        double sum = 0;
        for (long n : nanos) {
            sum += n;
        }
        return new Summary(nanos.length, ms(rank(nanos, 0.50)), ms(rank(nanos, 0.90)), ms(rank(nanos, 0.99)),
                ms(nanos[nanos.length - 1]), sum / nanos.length / 1e6);
    }

    /** The nearest-rank percentile of sorted values: the smallest value with at least {@code p} of them at or below. */
    static long rank(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
