package routes.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import routes.change.ChangeEvent;
import routes.change.TableId;

/**
 * The changes of a task's table kept in the target instead of applied, in source order: while the table is paused, and
 * while a resync or backfill re-reads it (docs/table-operations.md). They are written in the writer's open transaction,
 * with the changes of the other tables and the offsets that pass them, so a crash loses none and a replay holds none
 * twice. Table {@code realtime_sync.held_changes}, created with the other state tables by each dialect.
 */
final class HeldChanges {

    private static final String TABLE = "realtime_sync.held_changes";

    private final String task;
    /** The last sequence number used per table this run (gaps after a rollback are harmless: only order counts). */
    private final Map<TableId, Long> lastSeq = new HashMap<>();

    HeldChanges(String task) {
        this.task = task;
    }

    /** Appends {@code changes} (one table's, in source order) after the table's held changes. */
    void hold(Connection connection, TableId table, List<ChangeEvent> changes) throws SQLException {
        long seq = lastSeq(connection, table);
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + TABLE + " (task, source_table, seq, change_data) VALUES (?, ?, ?, ?)")) {
            for (ChangeEvent change : changes) {
                insert.setString(1, task);
                insert.setString(2, table.toString());
                insert.setLong(3, ++seq);
                insert.setBytes(4, ChangeCodec.encode(change));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        lastSeq.put(table, seq);
    }

    /** Up to {@code limit} held changes of the table after sequence number {@code after}, in source order. */
    List<Held> read(Connection connection, TableId table, long after, int limit) throws SQLException {
        List<Held> held = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT seq, change_data FROM " + TABLE
                + " WHERE task = ? AND source_table = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            select.setString(1, task);
            select.setString(2, table.toString());
            select.setLong(3, after);
            select.setInt(4, limit); // LIMIT, not setMaxRows: DuckDB's driver ignores the latter
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    held.add(new Held(rows.getLong(1), ChangeCodec.decode(rows.getBytes(2))));
                }
            }
        }
        return held;
    }

    long count(Connection connection, TableId table) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT count(*) FROM " + TABLE + " WHERE task = ? AND source_table = ?")) {
            select.setString(1, task);
            select.setString(2, table.toString());
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Removes the table's held changes (applied, or no longer wanted). */
    void forget(Connection connection, TableId table) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE task = ? AND source_table = ?")) {
            delete.setString(1, task);
            delete.setString(2, table.toString());
            delete.executeUpdate();
        }
        lastSeq.remove(table);
    }

    /** Removes every held change of the task (its tables are loaded anew). */
    void forgetAll(Connection connection) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE task = ?")) {
            delete.setString(1, task);
            delete.executeUpdate();
        }
        lastSeq.clear();
    }

    private long lastSeq(Connection connection, TableId table) throws SQLException {
        Long known = lastSeq.get(table);
        if (known != null) {
            return known;
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT max(seq) FROM " + TABLE + " WHERE task = ? AND source_table = ?")) {
            select.setString(1, task);
            select.setString(2, table.toString());
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1); // 0 when none: NULL reads as 0
            }
        }
    }

    /** A held change and its place among the table's held changes. */
    record Held(long seq, ChangeEvent change) {
    }
}
