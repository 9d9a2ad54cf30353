package dev.ferry.apiserver.allocation;

import java.util.BitSet;
import java.util.OptionalInt;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * A set of taken offsets {@code [0, max)} with upstream's banded random choice (KEP-3070/KEP-3668): offsets below
 * {@code staticBand} are kept for explicit requests; {@link #allocateNext()} picks a random start in the upper band and
 * scans forward with wrap-around, and only when the upper band is full does the same in the lower band.
 * Thread-safe: every method holds the instance lock; {@code count} always equals the number of set bits.
 */
final class AllocationBitmap {
    private final int max;
    private final int staticBand;
    private final RandomGenerator random;
    private final BitSet taken;
    private int count;

    AllocationBitmap(int max, int staticBand, RandomGenerator random) {
        this.max = Math.max(0, max);
        this.staticBand = staticBand > 0 && staticBand < this.max ? staticBand : 0;
        this.random = random;
        this.taken = new BitSet(this.max);
    }

    int max() {
        return max;
    }

    int staticBand() {
        return staticBand;
    }

    /** Takes {@code offset}; false if it was already taken. The caller checks the range. */
    synchronized boolean allocate(int offset) {
        if (taken.get(offset)) {
            return false;
        }
        taken.set(offset);
        count++;
        return true;
    }

    synchronized OptionalInt allocateNext() {
        if (count >= max) {
            return OptionalInt.empty();
        }
        int upper = max - staticBand;
        int start = random.nextInt(upper);
        for (int i = 0; i < upper; i++) {
            int at = staticBand + (start + i) % upper;
            if (!taken.get(at)) {
                return take(at);
            }
        }
        if (staticBand > 0) {
            start = random.nextInt(staticBand);
            for (int i = 0; i < staticBand; i++) {
                int at = (start + i) % staticBand;
                if (!taken.get(at)) {
                    return take(at);
                }
            }
        }
        return OptionalInt.empty();
    }

    private OptionalInt take(int at) {
        taken.set(at);
        count++;
        return OptionalInt.of(at);
    }

    /** Frees {@code offset}; freeing a free offset is a no-op. */
    synchronized void release(int offset) {
        if (taken.get(offset)) {
            taken.clear(offset);
            count--;
        }
    }

    synchronized boolean has(int offset) {
        return taken.get(offset);
    }

    synchronized int used() {
        return count;
    }

    synchronized int free() {
        return max - count;
    }

    /** Calls {@code action} for every taken offset in ascending order, under the lock. */
    synchronized void forEach(IntConsumer action) {
        taken.stream().forEach(action);
    }
}
