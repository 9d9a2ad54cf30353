package dev.ferry.store;

/**
 * Counters of the group-commit writer since the store was opened.
 *
 * @param batches      transactions committed (one fsync each)
 * @param writes       operations in them, including ones that failed a precondition
 * @param largestBatch most operations committed in one transaction
 */
record WriteStats(long batches, long writes, int largestBatch) {
}
