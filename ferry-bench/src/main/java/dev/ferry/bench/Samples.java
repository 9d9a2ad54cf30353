package dev.ferry.bench;

import java.util.Arrays;

/** A growable list of latency samples in nanoseconds. Not thread-safe: one per thread, merged with {@link #addAll}. */
final class Samples {
    private long[] values = new long[1024];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    int size() {
        return size;
    }

    long sum() {
        long s = 0;
        for (int i = 0; i < size; i++) {
            s += values[i];
        }
        return s;
    }

    Summary summary() {
        return Summary.ofNanos(Arrays.copyOf(values, size));
    }
}
