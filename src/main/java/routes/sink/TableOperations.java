package routes.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import routes.change.TableId;

/**
 * The operations on a task's tables that outlive a restart (a resync: whether the table stays live meanwhile), kept in
 * the target's state tables ({@code realtime_sync.table_operations}, created by each dialect) in the writer's
 * transactions: an operation exists once the commit that recorded it did.
 */
final class TableOperations {

    private static final String TABLE = "realtime_sync.table_operations";

    /** An operation on one table and its settings (as text the operation reads). */
    record Operation(String kind, String settings) {
    }

    private final String task;

    TableOperations(String task) {
        this.task = task;
    }

    void save(Connection connection, TableId table, Operation operation) throws SQLException {
        forget(connection, table);
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + TABLE + " (task, source_table, operation, settings) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, task);
            insert.setString(2, table.toString());
            insert.setString(3, operation.kind());
            insert.setString(4, operation.settings());
            insert.executeUpdate();
        }
    }

    /** The task's operations by source table name ({@code schema.table}). */
    Map<String, Operation> load(Connection connection) throws SQLException {
        Map<String, Operation> operations = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT source_table, operation, settings FROM " + TABLE + " WHERE task = ?")) {
            select.setString(1, task);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    operations.put(rows.getString(1), new Operation(rows.getString(2), rows.getString(3)));
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
