package dev.ferry.store;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link KeyValueStore}: a kine-style append-only log in one SQLite file.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Storage</b> ({@link SqliteLog}): table {@code kine}, one row per write, {@code id} = revision
 *       (AUTOINCREMENT, so revisions are never reused, also after compaction and restart). A key's current value is
 *       its highest row; a deletion is a tombstone row. WAL journal, {@code synchronous=FULL}: a commit is durable
 *       when it returns.</li>
 *   <li><b>Writes</b> ({@link GroupCommitWriter}): one thread owns the only write connection and commits every
 *       write queued meanwhile in one transaction (group commit: one fsync for many callers). Callers block until
 *       their write is durable.</li>
 *   <li><b>Reads</b> ({@link SqliteReadPool}): separate read-only connections, one snapshot per call.</li>
 *   <li><b>Watches</b> ({@link WatchHub}, {@link SqliteWatch}): after each commit the batch's events are fanned out
 *       in process; a new watch replays older history from the table first.</li>
 *   <li><b>Compaction</b>: deletes rows below the revision that are superseded at it, and tombstones below it, and
 *       stores the compacted revision in {@code ferry_meta}. The state at the compacted revision stays readable and
 *       every row above it stays, so watches from {@code compacted - 1} on still work.</li>
 * </ul>
 *
 * <p>A file must be opened by one {@code SqliteStore} at a time; watches only see writes made through it. The
 * driver's native library is kept in a directory beside the file ({@link SqliteNativeLibrary}).
 */
public final class SqliteStore implements KeyValueStore {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
    private static final int READ_CONNECTIONS = 4;
    /** Beside the file: where sqlite's native library is kept ({@link SqliteNativeLibrary}). */
    static final String NATIVE_DIR = "native";

    private final Path file;
    private final SqliteLog writeLog;
    private final SqliteReadPool reads;
    private final WatchHub hub;
    private final GroupCommitWriter writer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqliteStore(Path file, SqliteLog writeLog, long revision, long compacted, SqliteReadPool reads,
                        Runnable beforeBatch) {
        this.file = file;
        this.writeLog = writeLog;
        this.reads = reads;
        this.hub = new WatchHub(revision);
        this.writer = new GroupCommitWriter(writeLog, revision, compacted,
                c -> hub.publish(c.revision(), c.events()), beforeBatch);
    }

    /** Opens (creating if needed) the store in {@code file}; SQLite also keeps {@code -wal} and {@code -shm} files. */
    public static SqliteStore open(Path file) {
        return open(file, () -> { });
    }

    /** {@link #open(Path)} with a hook the writer thread runs before draining each batch (tests). */
    static SqliteStore open(Path file, Runnable beforeBatch) {
        SqliteNativeLibrary.useDirectory(file.toAbsolutePath().getParent().resolve(NATIVE_DIR));
        SqliteLog writeLog = null;
        try {
            writeLog = SqliteLog.openWriter(file);
            long revision = writeLog.storedRevision();
            long compacted = writeLog.compactedRevision();
            SqliteReadPool reads = new SqliteReadPool(file, READ_CONNECTIONS);
            LOG.debug("OPEN {} at revision {} (compacted {})", file, revision, compacted);
            return new SqliteStore(file, writeLog, revision, compacted, reads, beforeBatch);
        } catch (SQLException e) {
            if (writeLog != null) {
                writeLog.close();
            }
            throw new StoreException.Unavailable("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long currentRevision() {
        return writer.committedRevision();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        Objects.requireNonNull(key, "key");
        return reads.read(log -> {
            LogRow latest = log.latest(key);
            return latest == null || latest.deleted() ? Optional.<KeyValue>empty() : Optional.of(latest.keyValue());
        });
    }

    @Override
    public RangeResult range(String prefix, String startKey, int limit, long revision) {
        Objects.requireNonNull(prefix, "prefix");
        if (limit < 0 || revision < 0) {
            throw new IllegalArgumentException("negative limit or revision");
        }
        return reads.read(log -> {
            long current = log.storedRevision();
            long at = revision == 0 ? current : revision;
            if (at > current) {
                throw new StoreException.FutureRevision(revision, current);
            }
            long compacted = log.compactedRevision();
            if (at < compacted) {
                throw new StoreException.Compacted(revision, compacted);
            }
            // one row beyond the limit tells whether more remain
            List<KeyValue> kvs = log.range(prefix, startKey, limit == 0 ? -1 : limit + 1, at);
            boolean more = limit > 0 && kvs.size() > limit;
            return new RangeResult(more ? kvs.subList(0, limit) : kvs, at, more);
        });
    }

    @Override
    public long create(String key, byte[] value) {
        return writer.submit(new WriteOp.Create(Objects.requireNonNull(key, "key"), value.clone()));
    }

    @Override
    public long update(String key, byte[] value, long expectedModRevision) {
        return writer.submit(new WriteOp.Update(Objects.requireNonNull(key, "key"), value.clone(),
                expectedModRevision));
    }

    @Override
    public long delete(String key, long expectedModRevision) {
        return writer.submit(new WriteOp.Delete(Objects.requireNonNull(key, "key"), expectedModRevision));
    }

    @Override
    public Watch watch(String prefix, long afterRevision, WatchListener listener) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(listener, "listener");
        if (closed.get()) {
            throw new StoreException.Unavailable("store is closed", null);
        }
        long current = currentRevision();
        if (afterRevision > current) {
            throw new StoreException.FutureRevision(afterRevision, current);
        }
        long compacted = compactedRevision();
        if (afterRevision + 1 < compacted) {
            throw new StoreException.Compacted(afterRevision, compacted);
        }
        SqliteWatch watch = new SqliteWatch(prefix, listener, reads, hub);
        watch.start(afterRevision);
        return watch;
    }

    @Override
    public void compact(long revision) {
        writer.submit(new WriteOp.Compact(revision));
    }

    @Override
    public long compactedRevision() {
        return writer.compactedRevision();
    }

    /** Group-commit counters since open. */
    WriteStats writeStats() {
        return writer.stats();
    }

    /** Writes queued and not yet taken by the writer thread (tests). */
    int pendingWrites() {
        return writer.pending();
    }

    /** Finishes queued writes, ends open watches with {@link StoreException.Unavailable}, closes the file. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.close();
        hub.closeAll(new StoreException.Unavailable("store closed", null));
        reads.close();
        writeLog.close();
        WriteStats stats = writer.stats();
        LOG.debug("CLOSE {} at revision {}: {} writes in {} commits (largest {})", file, currentRevision(),
                stats.writes(), stats.batches(), stats.largestBatch());
    }
}
