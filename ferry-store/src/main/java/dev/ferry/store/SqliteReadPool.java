package dev.ferry.store;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of read-only connections. WAL lets them read while the writer commits; each {@link #read} runs in one
 * transaction, so everything it reads comes from one snapshot, taken at its first query and therefore containing every
 * write acknowledged before the call.
 */
final class SqliteReadPool implements AutoCloseable {

    /** One read transaction. */
    @FunctionalInterface
    interface ReadTx<T> {
        T run(SqliteLog log) throws SQLException;
    }

    private final ArrayBlockingQueue<SqliteLog> idle;
    private final int size;
    private volatile boolean closed;

    SqliteReadPool(Path file, int size) throws SQLException {
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                idle.add(SqliteLog.openReader(file));
            }
        } catch (SQLException e) {
            idle.forEach(SqliteLog::close);
            throw e;
        }
    }

    <T> T read(ReadTx<T> tx) {
        if (closed) {
            throw new StoreException.Unavailable("store is closed", null);
        }
        SqliteLog log;
        try {
            log = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException.Unavailable("interrupted while waiting for a read connection", e);
        }
        try {
            log.begin();
            T result = tx.run(log);
            log.commit();
            return result;
        } catch (SQLException e) {
            log.rollback();
            throw new StoreException.Unavailable("read failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            log.rollback();
            throw e;
        } finally {
            idle.add(log);
        }
    }

    /** Closes every connection, waiting briefly for reads in flight to return theirs. */
    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < size; i++) {
            try {
                SqliteLog log = idle.poll(5, TimeUnit.SECONDS);
                if (log == null) {
                    return;
                }
                log.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
