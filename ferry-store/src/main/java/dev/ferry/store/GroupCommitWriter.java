package dev.ferry.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of the log. Callers enqueue an operation and block on its future; one thread drains the queue and
 * runs everything pending in one transaction, so all of them share one fsync (group commit). Each operation still
 * gets its own precondition check, against the state left by the operations before it in the batch, and its own
 * revision. A precondition failure affects only its caller; a failed commit fails the whole batch with
 * {@link StoreException.Unavailable} and leaves the log as it was.
 *
 * <p>After a commit, and before any caller is released, {@link #committedRevision()} is advanced and the batch's
 * events are handed to the commit listener, so an acknowledged write is visible to readers and watches.
 */
final class GroupCommitWriter implements AutoCloseable {

    /** Bounds the transaction size so one batch cannot hold the write lock for long. */
    static final int MAX_BATCH = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final byte[] EMPTY = new byte[0];
    private static final Pending STOP = new Pending(new WriteOp.Compact(0), new CompletableFuture<>());

    /** What one committed batch changed. */
    record Committed(long revision, long compactedRevision, List<WatchEvent> events) {
    }

    private record Pending(WriteOp op, CompletableFuture<Long> result) {
    }

    private final SqliteLog log;
    private final Consumer<Committed> onCommit;
    private final Runnable beforeBatch;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Object submitLock = new Object();
    private final Thread thread;
    private boolean closing; // guarded by submitLock

    private volatile long committedRevision;
    private volatile long compactedRevision;
    // writer thread only: the revision and compacted revision inside the open transaction
    private long txRevision;
    private long txCompacted;

    private volatile long batches;
    private volatile long writes;
    private volatile int largestBatch;

    /**
     * @param beforeBatch runs on the writer thread after the first operation of a batch was taken and before the rest
     *                    are drained (a test hook; a no-op in production)
     */
    GroupCommitWriter(SqliteLog log, long revision, long compacted, Consumer<Committed> onCommit,
                      Runnable beforeBatch) {
        this.log = log;
        this.committedRevision = revision;
        this.compactedRevision = compacted;
        this.onCommit = onCommit;
        this.beforeBatch = beforeBatch;
        this.thread = Thread.ofPlatform().name("ferry-sqlite-writer").daemon().start(this::run);
    }

    long committedRevision() {
        return committedRevision;
    }

    long compactedRevision() {
        return compactedRevision;
    }

    /** Operations queued and not yet taken by the writer. */
    int pending() {
        return queue.size();
    }

    WriteStats stats() {
        return new WriteStats(batches, writes, largestBatch);
    }

    /** Runs {@code op} and blocks until it is durable; returns its revision (compaction: the compacted revision). */
    long submit(WriteOp op) {
        Pending p = new Pending(op, new CompletableFuture<>());
        synchronized (submitLock) {
            if (closing) {
                throw new StoreException.Unavailable("store is closed", null);
            }
            queue.add(p);
        }
        try {
            return p.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException.Unavailable("interrupted while waiting for the write; it may have happened", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException se) {
                throw se;
            }
            throw new StoreException.Unavailable("write failed", e.getCause());
        }
    }

    /** Finishes every operation submitted so far, then stops the writer thread. */
    @Override
    public void close() {
        synchronized (submitLock) {
            if (closing) {
                return;
            }
            closing = true;
            queue.add(STOP);
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread; close() uses STOP
            }
            if (batch.getFirst() != STOP) {
                beforeBatch.run();
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                execute(batch);
            }
            batch.clear();
        }
    }

    private void execute(List<Pending> batch) {
        txRevision = committedRevision;
        txCompacted = compactedRevision;
        List<WatchEvent> events = new ArrayList<>(batch.size());
        Object[] outcomes = new Object[batch.size()];
        try {
            log.beginWrite();
            for (int i = 0; i < batch.size(); i++) {
                try {
                    outcomes[i] = apply(batch.get(i).op(), events);
                } catch (StoreException e) {
                    outcomes[i] = e;
                }
            }
            log.commit();
        } catch (SQLException | RuntimeException | Error e) {
            // an Error too: leaving callers blocked forever would be worse than failing their writes
            log.rollback();
            LOG.error("COMMIT failed for a batch of {} writes", batch.size(), e);
            for (Pending p : batch) {
                p.result().completeExceptionally(new StoreException.Unavailable("commit failed: " + e.getMessage(), e));
            }
            return;
        }
        committedRevision = txRevision;
        compactedRevision = txCompacted;
        batches = batches + 1;
        writes = writes + batch.size();
        largestBatch = Math.max(largestBatch, batch.size());
        LOG.trace("COMMIT {} writes, revision {}", batch.size(), txRevision);
        try {
            onCommit.accept(new Committed(txRevision, txCompacted, events));
        } catch (RuntimeException e) {
            LOG.error("commit listener failed", e);
        }
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<Long> result = batch.get(i).result();
            if (outcomes[i] instanceof StoreException e) {
                result.completeExceptionally(e);
            } else {
                result.complete((Long) outcomes[i]);
            }
        }
    }

    private long apply(WriteOp op, List<WatchEvent> events) throws SQLException {
        return switch (op) {
            case WriteOp.Create c -> {
                LogRow latest = log.latest(c.key());
                if (latest != null && !latest.deleted()) {
                    throw new StoreException.KeyExists(c.key());
                }
                long id = txRevision + 1;
                yield append(new LogRow(id, c.key(), true, false, id, 0, c.value(), EMPTY), events);
            }
            case WriteOp.Update u -> {
                LogRow latest = live(u.key());
                if (latest.id() != u.expectedModRevision()) {
                    throw new StoreException.Conflict(latest.keyValue());
                }
                yield append(new LogRow(txRevision + 1, u.key(), false, false, latest.createRevision(), latest.id(),
                        u.value(), latest.value()), events);
            }
            case WriteOp.Delete d -> {
                LogRow latest = live(d.key());
                if (d.expectedModRevision() != 0 && latest.id() != d.expectedModRevision()) {
                    throw new StoreException.Conflict(latest.keyValue());
                }
                yield append(new LogRow(txRevision + 1, d.key(), false, true, latest.createRevision(), latest.id(),
                        latest.value(), latest.value()), events);
            }
            case WriteOp.Compact c -> {
                if (c.revision() > txRevision) {
                    throw new StoreException.FutureRevision(c.revision(), txRevision);
                }
                if (c.revision() > txCompacted) {
                    int dropped = log.compact(c.revision());
                    LOG.debug("COMPACT to revision {}: {} rows dropped", c.revision(), dropped);
                    txCompacted = c.revision();
                }
                yield txCompacted;
            }
        };
    }

    private LogRow live(String key) throws SQLException {
        LogRow latest = log.latest(key);
        if (latest == null || latest.deleted()) {
            throw new StoreException.NotFound(key);
        }
        return latest;
    }

    private long append(LogRow row, List<WatchEvent> events) throws SQLException {
        log.append(row);
        txRevision = row.id();
        events.add(row.event());
        return row.id();
    }
}
