package dev.ferry.store;

import java.util.List;

/**
 * A page of a range read.
 *
 * @param revision the store revision the page was read at (use it to read further pages consistently)
 * @param more     true when keys after the last one returned remain
 */
public record RangeResult(List<KeyValue> kvs, long revision, boolean more) {
    public RangeResult {
        kvs = List.copyOf(kvs);
    }
}
