package dev.ferry.controllers.replicaset;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's slowStartBatch: creates go out in batches of 1, 2, 4, … (each at most what remains), and the first
 * batch with a failure ends the run, so a quota or admission error costs one call, not hundreds. Pure.
 */
final class SlowStart {
    static final int INITIAL_BATCH = 1;

    private SlowStart() {
    }

    /** The batch sizes for {@code count} creates. */
    static List<Integer> batches(int count) {
        List<Integer> out = new ArrayList<>();
        int remaining = count;
        for (int batch = Math.min(remaining, INITIAL_BATCH); batch > 0; batch = Math.min(2 * batch, remaining)) {
            out.add(batch);
            remaining -= batch;
        }
        return out;
    }
}
