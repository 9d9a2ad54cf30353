package dev.ferry.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kine-style log table on one SQLite connection: every write appends a row whose id is its revision; the current
 * value of a key is its row with the highest id (found through the {@code (name, id)} index); deletions are tombstone
 * rows. The compacted revision lives in {@code ferry_meta} so compaction does not consume a revision.
 *
 * <p>Not thread-safe: one owner at a time. Methods do not manage transactions; callers bracket them with
 * {@link #begin}/{@link #commit}/{@link #rollback} so that several reads share one snapshot.
 */
final class SqliteLog implements AutoCloseable {

    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS kine (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL,
          created INTEGER NOT NULL,
          deleted INTEGER NOT NULL,
          create_revision INTEGER NOT NULL,
          prev_revision INTEGER NOT NULL,
          value BLOB NOT NULL,
          old_value BLOB NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS kine_name_id ON kine (name, id)",
        "CREATE TABLE IF NOT EXISTS ferry_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    };

    private static final String COLUMNS =
            "id, name, created, deleted, create_revision, prev_revision, value, old_value";
    private static final String LATEST = "SELECT " + COLUMNS + " FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1";
    private static final String APPEND = "INSERT INTO kine (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String STORED_REVISION = """
            SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'kine'), 0),
                       COALESCE((SELECT MAX(id) FROM kine), 0))""";
    private static final String COMPACTED_REVISION = "SELECT value FROM ferry_meta WHERE key = 'compact_rev'";
    private static final String SET_COMPACTED_REVISION = """
            INSERT INTO ferry_meta (key, value) VALUES ('compact_rev', ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value""";
    /** Drops rows below the revision that a row at or below it supersedes, and tombstones below it. */
    private static final String COMPACT = """
            DELETE FROM kine WHERE id < ?1 AND (deleted = 1 OR EXISTS (
              SELECT 1 FROM kine AS newer WHERE newer.name = kine.name AND newer.id > kine.id AND newer.id <= ?1))""";
    private static final String RANGE = """
            SELECT k.name, k.value, k.create_revision, k.id FROM kine AS k JOIN (
              SELECT MAX(id) AS id FROM kine
              WHERE name >= ? AND name >= ? %s AND id <= ?
              GROUP BY name) AS latest ON k.id = latest.id
            WHERE k.deleted = 0 ORDER BY k.name LIMIT ?""";
    private static final String HISTORY = """
            SELECT %s FROM kine WHERE id > ? AND id <= ? AND name >= ? %s ORDER BY id LIMIT ?""";

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    private SqliteLog(Connection connection) {
        this.connection = connection;
    }

    /** Opens the connection that writes: creates the schema, switches the file to WAL, fsyncs every commit. */
    static SqliteLog openWriter(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = FULL");
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new SqliteLog(c);
    }

    /** Opens a connection that only reads; open it after {@link #openWriter} created the schema. */
    static SqliteLog openReader(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            s.execute("PRAGMA query_only = 1");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new SqliteLog(c);
    }

    /** Starts a deferred transaction: the snapshot is taken by the first read. */
    void begin() throws SQLException {
        execute("BEGIN");
    }

    /** Starts a write transaction, taking the write lock now. */
    void beginWrite() throws SQLException {
        execute("BEGIN IMMEDIATE");
    }

    void commit() throws SQLException {
        execute("COMMIT");
    }

    /** Rolls back if a transaction is open; never throws. */
    void rollback() {
        try {
            execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction was open
        }
    }

    /** The newest row for {@code name} (possibly a tombstone), or null when the log has none. */
    LogRow latest(String name) throws SQLException {
        PreparedStatement ps = statement(LATEST);
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? row(rs) : null;
        }
    }

    void append(LogRow row) throws SQLException {
        PreparedStatement ps = statement(APPEND);
        ps.setLong(1, row.id());
        ps.setString(2, row.name());
        ps.setInt(3, row.created() ? 1 : 0);
        ps.setInt(4, row.deleted() ? 1 : 0);
        ps.setLong(5, row.createRevision());
        ps.setLong(6, row.prevRevision());
        ps.setBytes(7, row.value());
        ps.setBytes(8, row.oldValue() == null ? new byte[0] : row.oldValue());
        ps.executeUpdate();
    }

    /** The highest revision ever written; compaction never lowers it (AUTOINCREMENT keeps the high-water mark). */
    long storedRevision() throws SQLException {
        try (ResultSet rs = statement(STORED_REVISION).executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    long compactedRevision() throws SQLException {
        try (ResultSet rs = statement(COMPACTED_REVISION).executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Drops history below {@code revision} and records it as the compacted revision; returns rows deleted. */
    int compact(long revision) throws SQLException {
        PreparedStatement ps = statement(COMPACT);
        ps.setLong(1, revision);
        int deleted = ps.executeUpdate();
        PreparedStatement meta = statement(SET_COMPACTED_REVISION);
        meta.setLong(1, revision);
        meta.executeUpdate();
        return deleted;
    }

    /** Live keys with {@code prefix} at {@code revision}, from {@code startKey}, in key order, at most {@code limit}. */
    List<KeyValue> range(String prefix, String startKey, int limit, long revision) throws SQLException {
        String end = KeyRanges.prefixEnd(prefix);
        PreparedStatement ps = statement(RANGE.formatted(end == null ? "" : "AND name < ?"));
        int i = 1;
        ps.setString(i++, prefix);
        ps.setString(i++, startKey == null || startKey.isEmpty() ? prefix : startKey);
        if (end != null) {
            ps.setString(i++, end);
        }
        ps.setLong(i++, revision);
        ps.setInt(i, limit);
        List<KeyValue> kvs = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                kvs.add(new KeyValue(rs.getString(1), bytes(rs, 2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return kvs;
    }

    /** Rows of keys with {@code prefix} and revision in ({@code after}, {@code upTo}], in revision order. */
    List<LogRow> history(String prefix, long after, long upTo, int limit) throws SQLException {
        String end = KeyRanges.prefixEnd(prefix);
        PreparedStatement ps = statement(HISTORY.formatted(COLUMNS, end == null ? "" : "AND name < ?"));
        int i = 1;
        ps.setLong(i++, after);
        ps.setLong(i++, upTo);
        ps.setString(i++, prefix);
        if (end != null) {
            ps.setString(i++, end);
        }
        ps.setInt(i, limit);
        List<LogRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(row(rs));
            }
        }
        return rows;
    }

    @Override
    public void close() {
        try {
            for (PreparedStatement ps : statements.values()) {
                ps.close();
            }
            connection.close();
        } catch (SQLException ignored) {
            // closing is best effort
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    private static LogRow row(ResultSet rs) throws SQLException {
        return new LogRow(rs.getLong(1), rs.getString(2), rs.getInt(3) != 0, rs.getInt(4) != 0, rs.getLong(5),
                rs.getLong(6), bytes(rs, 7), bytes(rs, 8));
    }

    private static byte[] bytes(ResultSet rs, int column) throws SQLException {
        byte[] b = rs.getBytes(column);
        return b == null ? new byte[0] : b;
    }
}
