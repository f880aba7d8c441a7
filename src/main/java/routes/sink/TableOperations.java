package routes.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import routes.change.TableId;

/**
 * The operations on a task's tables that outlive a restart (the running {@link Reload}s: resyncs, whether the table
 * stays live meanwhile or is rebuilt, and backfills with their filter), kept in the target's state tables
 * ({@code realtime_sync.table_operations}, created by each dialect) in the writer's transactions: an operation exists
 * once the commit that recorded it did.
 */
final class TableOperations {

    private static final String TABLE = "realtime_sync.table_operations";

    private static final String RESYNC = "resync";
    private static final String BACKFILL = "backfill";
    private static final String LIVE = "live";
    private static final String HELD = "held";
    private static final String REBUILD = "rebuild";

    private final String task;

    TableOperations(String task) {
        this.task = task;
    }

    void save(Connection connection, TableId table, Reload reload) throws SQLException {
        forget(connection, table);
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + TABLE + " (task, source_table, operation, settings) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, task);
            insert.setString(2, table.toString());
            insert.setString(3, reload.name());
            insert.setString(4, reload.isBackfill() ? reload.where() : reload.rebuild() ? REBUILD : reload.live() ? LIVE : HELD);
            insert.executeUpdate();
        }
    }

    /** The task's running reloads by source table name ({@code schema.table}). */
    Map<String, Reload> load(Connection connection) throws SQLException {
        Map<String, Reload> operations = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT source_table, operation, settings FROM " + TABLE + " WHERE task = ?")) {
            select.setString(1, task);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String settings = rows.getString(3);
                    switch (rows.getString(2)) {
                        case RESYNC -> operations.put(rows.getString(1), REBUILD.equals(settings) ? Reload.rebuildWithNewStructure()
                                : Reload.resync(LIVE.equals(settings)));
                        case BACKFILL -> operations.put(rows.getString(1), Reload.backfill(settings));
                        default -> throw new SQLException("Unknown table operation '" + rows.getString(2) + "' in " + TABLE
                                + " for table " + rows.getString(1) + " of task '" + task + "' (a newer release wrote it?)");
                    }
                }
            }
        }
        return operations;
    }

    void forget(Connection connection, TableId table) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE task = ? AND source_table = ?")) {
            delete.setString(1, task);
            delete.setString(2, table.toString());
            delete.executeUpdate();
        }
    }

    void forgetAll(Connection connection) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE task = ?")) {
            delete.setString(1, task);
            delete.executeUpdate();
        }
    }
}
