package routes.sink.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import routes.change.TableId;
import routes.state.TableState;

/**
 * What PostgreSQL and DuckDB share: double-quoted identifiers, and the task's state tables (schema realtime_sync)
 * written with INSERT ... ON CONFLICT. Only how a state table's existence is checked differs.
 */
public abstract class OnConflictDialect implements SqlDialect {

    static final String STATE_SCHEMA = "realtime_sync";

    /** False on a target this project never wrote to: reading must not create anything there. */
    protected abstract boolean stateTableExists(Connection connection, String table) throws SQLException;


    @Override
    public void saveOffsets(Connection connection, String task, Map<String, String> offsets) throws SQLException {
        for (Map.Entry<String, String> offset : offsets.entrySet()) {
            Jdbc.update(connection, "INSERT INTO " + STATE_SCHEMA + ".source_offsets (task, offset_key, offset_value) VALUES (?, ?, ?) "
                    + "ON CONFLICT (task, offset_key) DO UPDATE SET offset_value = EXCLUDED.offset_value, committed_at = now()",
                    task, offset.getKey(), offset.getValue());
        }
    }


    @Override
    public void appendSchemaHistory(Connection connection, String task, String record) throws SQLException {
        Jdbc.update(connection, "INSERT INTO " + STATE_SCHEMA + ".schema_history (task, record) VALUES (?, ?)", task, record);
    }


    @Override
    public void clearSchemaHistory(Connection connection, String task) throws SQLException {
        Jdbc.update(connection, "DELETE FROM " + STATE_SCHEMA + ".schema_history WHERE task = ?", task);
    }


    @Override
    public void saveTableStatus(Connection connection, String task, TableId source, TableState status, String reason)
            throws SQLException {
        Jdbc.update(connection, "INSERT INTO " + STATE_SCHEMA + ".table_status (task, source_table, status, reason) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (task, source_table) DO UPDATE SET status = EXCLUDED.status, reason = EXCLUDED.reason, updated_at = now()",
                task, source.toString(), status.name(), reason);
    }


    @Override
    public void saveDirtyRow(Connection connection, String task, TableId source, TableId target, String operation, String key,
            String row, String error) throws SQLException {
        Jdbc.update(connection, "INSERT INTO " + STATE_SCHEMA + ".dirty_rows (task, source_table, target_table, operation, row_key, "
                + "row_data, error) VALUES (?, ?, ?, ?, ?, ?, ?)", task, source.toString(), target.toString(), operation, key, row, error);
    }


    @Override
    public void saveTableDefinition(Connection connection, String task, TableId source, String definition) throws SQLException {
        Jdbc.update(connection, "INSERT INTO " + STATE_SCHEMA + ".table_definitions (task, source_table, definition) VALUES (?, ?, ?) "
                + "ON CONFLICT (task, source_table) DO UPDATE SET definition = EXCLUDED.definition, updated_at = now()",
                task, source.toString(), definition);
    }


    @Override
    public Map<String, String> loadOffsets(Connection connection, String task) throws SQLException {
        return taskPairs(connection, "source_offsets", "offset_key", "offset_value", task);
    }


    @Override
    public List<String> loadSchemaHistory(Connection connection, String task) throws SQLException {
        return stateTableExists(connection, "schema_history")
                ? Jdbc.strings(connection, "SELECT record FROM " + STATE_SCHEMA + ".schema_history WHERE task = ? ORDER BY seq", task)
                : new ArrayList<>();
    }


    @Override
    public void changeTableStatus(Connection connection, String task, TableState from, TableState to, String reason) throws SQLException {
        if (stateTableExists(connection, "table_status")) {
            Jdbc.update(connection, "UPDATE " + STATE_SCHEMA + ".table_status SET status = ?, reason = ?, updated_at = now() "
                    + "WHERE task = ? AND status = ?", to.name(), reason, task, from.name());
        }
    }


    @Override
    public Map<String, String> loadTableStatus(Connection connection, String task) throws SQLException {
        return taskPairs(connection, "table_status", "source_table", "status", task);
    }


    @Override
    public Map<String, String> loadTableDefinitions(Connection connection, String task) throws SQLException {
        return taskPairs(connection, "table_definitions", "source_table", "definition", task);
    }


    @Override
    public long countDirtyRows(Connection connection, String task) throws SQLException {
        return stateTableExists(connection, "dirty_rows")
                ? Long.parseLong(Jdbc.strings(connection, "SELECT CAST(count(*) AS VARCHAR) FROM " + STATE_SCHEMA + ".dirty_rows WHERE task = ?", task).get(0))
                : 0;
    }


    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }


    /** A state table's key/value pairs of one task; nothing (and nothing created) on a target this project never wrote to. */
    Map<String, String> taskPairs(Connection connection, String table, String keyColumn, String valueColumn, String task)
            throws SQLException {
        return stateTableExists(connection, table)
                ? Jdbc.pairs(connection, "SELECT " + keyColumn + ", " + valueColumn + " FROM " + STATE_SCHEMA + "." + table + " WHERE task = ?", task)
                : new LinkedHashMap<>();
    }


    protected String quotedList(List<String> names) {
        return names.stream().map(this::quote).collect(Collectors.joining(", "));
    }


    protected String keyMatch(List<String> keyColumns) {
        return keyColumns.stream().map(c -> "t." + quote(c) + " = s." + quote(c)).collect(Collectors.joining(" AND "));
    }
}
