package routes.sink.dialect;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import routes.capture.DebeziumValues.JsonText;
import routes.change.TableId;
import routes.schema.Column;
import routes.schema.DataType;
import routes.schema.PostgresTypes;
import routes.schema.TableSchema;
import routes.schema.TypeOverrides;

/**
 * PostgreSQL and the warehouses that speak its protocol (Hologres, GaussDB). Rows go in with COPY into a
 * session-local staging table, then one INSERT ... ON CONFLICT merges them; deletes join a staging table of keys.
 */
public class PostgresDialect extends OnConflictDialect {


    /** Staging tables live for the connection; one pair per target table, named by a counter. */
    private final Map<TableId, String> stagingNames = new HashMap<>();
    private final Set<String> createdStages = new HashSet<>();
    private Connection stagesCreatedOn;
    private TypeOverrides overrides = TypeOverrides.NONE;
    private boolean mergeStatement;
    private final Map<TableId, Map<String, String>> targetTypes = new HashMap<>();

    @Override
    public void createTableIfMissing(Connection connection, TableId target, TableSchema source) throws SQLException {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(qualified(target)).append(" (");
        for (Column column : source.columns()) {
            sql.append(quote(column.name())).append(' ').append(typeOnTarget(connection, source.typeOf(column)));
            if (!column.nullable()) {
                sql.append(" NOT NULL");
            }
            sql.append(", ");
        }
        sql.append("PRIMARY KEY (").append(quotedList(source.primaryKey())).append("))");
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + quote(target.schema()));
            statement.execute(sql.toString());
        }
    }

    /** PostgreSQL sources keep their exact type text; other families get a type that holds every value. */
    private String columnType(DataType type) {
        return overrides.targetFor(type.sourceText()).orElseGet(() -> PostgresTypes.write(type));
    }

    /**
     * The column type, except that a type the target does not have (an enum, domain or composite type created only
     * on the source) becomes text, which holds every value of such a type exactly as the source writes it.
     */
    private String typeOnTarget(Connection connection, DataType source) throws SQLException {
        String type = columnType(source);
        if (Jdbc.exists(connection, "SELECT 1 WHERE to_regtype(?) IS NOT NULL", type)) {
            return type;
        }
        return type.endsWith("[]") ? "text[]" : "text";
    }

    /** Target types chosen per source column type instead of the built-in mapping (the sink's typeMapping). */
    public void setTypeOverrides(TypeOverrides overrides) {
        this.overrides = overrides;
    }

    /**
     * Writes with SQL MERGE (PostgreSQL 15 and later, and warehouses whose tables take MERGE but no ON CONFLICT)
     * instead of INSERT ... ON CONFLICT.
     */
    public void setMergeStatement(boolean mergeStatement) {
        this.mergeStatement = mergeStatement;
    }

    @Override
    public List<String> columnsOf(Connection connection, TableId target) throws SQLException {
        return Jdbc.strings(connection, """
                SELECT a.attname FROM pg_attribute a
                  JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""",
                target.schema(), target.table());
    }

    @Override
    public void truncate(Connection connection, TableId target) throws SQLException {
        Jdbc.execute(connection, "TRUNCATE " + qualified(target));
    }

    @Override
    public void upsert(Connection connection, TableId target, List<String> keyColumns, List<String> columns,
            List<Map<String, Object>> rows) throws SQLException {
        String stage = stage(connection, target, "u", "*");
        copy(connection, target, stage, columns, rows);
        List<String> updated = columns.stream().filter(c -> !keyColumns.contains(c)).toList();
        if (mergeStatement) {
            Jdbc.execute(connection, "MERGE INTO " + qualified(target) + " t USING " + stage + " s ON (" + keyMatch(keyColumns) + ")"
                    + (updated.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET "
                            + updated.stream().map(c -> quote(c) + " = s." + quote(c)).collect(Collectors.joining(", ")))
                    + " WHEN NOT MATCHED THEN INSERT (" + quotedList(columns) + ") VALUES ("
                    + columns.stream().map(c -> "s." + quote(c)).collect(Collectors.joining(", ")) + ")",
                    "TRUNCATE " + stage);
            return;
        }
        String onConflict = updated.isEmpty()
                ? "DO NOTHING"
                : "DO UPDATE SET " + updated.stream().map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + qualified(target) + " (" + quotedList(columns) + ") SELECT " + quotedList(columns)
                    + " FROM " + stage + " ON CONFLICT (" + quotedList(keyColumns) + ") " + onConflict);
            statement.execute("TRUNCATE " + stage);
        }
    }

    @Override
    public void delete(Connection connection, TableId target, List<String> keyColumns, List<Map<String, Object>> keys)
            throws SQLException {
        String stage = stage(connection, target, "d", quotedList(keyColumns));
        copy(connection, target, stage, keyColumns, keys);
        String match = keyMatch(keyColumns);
        try (Statement statement = connection.createStatement()) {
            statement.execute(mergeStatement
                    ? "MERGE INTO " + qualified(target) + " t USING " + stage + " s ON (" + match + ") WHEN MATCHED THEN DELETE"
                    : "DELETE FROM " + qualified(target) + " t USING " + stage + " s WHERE " + match);
            statement.execute("TRUNCATE " + stage);
        }
    }

    /** A temporary table shaped like the target (without its constraints), created once per connection. */
    private String stage(Connection connection, TableId target, String kind, String selectList) throws SQLException {
        String base = stagingNames.computeIfAbsent(target, t -> "rs_stage_" + stagingNames.size());
        String name = base + "_" + kind;
        if (connection != stagesCreatedOn) {
            // A new connection has none of the temporary tables yet.
            createdStages.clear();
            stagesCreatedOn = connection;
        }
        if (createdStages.add(name)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TEMP TABLE IF NOT EXISTS " + name + " AS SELECT " + selectList + " FROM "
                        + qualified(target) + " WITH NO DATA");
            }
        }
        return name;
    }

    private void copy(Connection connection, TableId target, String stage, List<String> columns, List<Map<String, Object>> rows)
            throws SQLException {
        Map<String, String> types = targetTypes(connection, target, columns);
        StringBuilder data = new StringBuilder(rows.size() * 128);
        for (Map<String, Object> row : rows) {
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    data.append('\t');
                }
                Object value = row.get(columns.get(i));
                // A character string for a bytea column (a type override such as longtext=bytea) goes in as its UTF-8
                // bytes, which keeps a NUL that text could not hold.
                PostgresCopyText.appendField(data, (value instanceof String || value instanceof JsonText)
                        && "bytea".equals(types.get(columns.get(i))) ? value.toString().getBytes(StandardCharsets.UTF_8) : value);
            }
            data.append('\n');
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        try {
            copy.copyIn("COPY " + stage + " (" + quotedList(columns) + ") FROM STDIN", new StringReader(data.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY into " + stage + " failed: " + e.getMessage(), "08006", e);
        }
    }

    /** The target table's column types (pg_type names), read again when a column is not known yet. */
    private Map<String, String> targetTypes(Connection connection, TableId target, List<String> columns) throws SQLException {
        Map<String, String> types = targetTypes.get(target);
        if (types == null || !types.keySet().containsAll(columns)) {
            types = Jdbc.pairs(connection, """
                    SELECT a.attname, t.typname FROM pg_attribute a
                      JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                      JOIN pg_type t ON t.oid = a.atttypid
                     WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped""", target.schema(), target.table());
            targetTypes.put(target, types);
        }
        return types;
    }

    @Override
    public void createStateTables(Connection connection) throws SQLException {
        Jdbc.execute(connection,
                "CREATE SCHEMA IF NOT EXISTS " + STATE_SCHEMA,
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".source_offsets (task text NOT NULL, offset_key text NOT NULL, "
                        + "offset_value text NOT NULL, committed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (task, offset_key))",
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".schema_history (task text NOT NULL, "
                        + "seq bigserial NOT NULL, record text NOT NULL, PRIMARY KEY (task, seq))",
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".table_status (task text NOT NULL, source_table text NOT NULL, "
                        + "status text NOT NULL, reason text, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (task, source_table))",
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".dirty_rows (task text NOT NULL, seq bigserial NOT NULL, "
                        + "source_table text NOT NULL, target_table text NOT NULL, operation text NOT NULL, row_key text NOT NULL, "
                        + "row_data text, error text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (task, seq))",
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".table_definitions (task text NOT NULL, source_table text NOT NULL, "
                        + "definition text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (task, source_table))",
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".full_load (task text PRIMARY KEY, watermark text NOT NULL, "
                        + "started_at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".full_load_chunks (task text NOT NULL, source_table text NOT NULL, "
                        + "chunk integer NOT NULL, lower_bound bigint, upper_bound bigint, rows_copied bigint, "
                        + "PRIMARY KEY (task, source_table, chunk))",
                // A paused or resyncing table's changes, in source order (sink.HeldChanges)
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".held_changes (task text NOT NULL, source_table text NOT NULL, "
                        + "seq bigint NOT NULL, change_data bytea NOT NULL, PRIMARY KEY (task, source_table, seq))",
                // Operations on one table that outlive a restart (sink.TableOperations)
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".table_operations (task text NOT NULL, source_table text NOT NULL, "
                        + "operation text NOT NULL, settings text NOT NULL, started_at timestamptz NOT NULL DEFAULT now(), "
                        + "PRIMARY KEY (task, source_table))");
    }

    /** False on a target this project never wrote to: reading must not create anything there. */
    @Override
    protected boolean stateTableExists(Connection connection, String table) throws SQLException {
        return Jdbc.exists(connection, "SELECT 1 WHERE to_regclass(?) IS NOT NULL", STATE_SCHEMA + "." + table);
    }

    @Override
    public void forgetTableStatus(Connection connection, String task, Collection<TableId> keep) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + STATE_SCHEMA
                + ".table_status WHERE task = ? AND NOT (source_table = ANY (?))")) {
            statement.setString(1, task);
            statement.setArray(2, connection.createArrayOf("text", keep.stream().map(TableId::toString).toArray()));
            statement.executeUpdate();
        }
    }

    @Override
    public boolean isTransient(SQLException error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08: connection exception; 40001/40P01: serialization failure, deadlock; 57P0x: server shutting
                // down or starting; 53300: too many connections.
                if (state.startsWith("08") || state.equals("40001") || state.equals("40P01") || state.startsWith("57P")
                        || state.equals("53300")) {
                    return true;
                }
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean isDataError(SQLException error) {
        // Class 22: data exception (too long, out of range, invalid text, NUL in text); class 23: constraint violation.
        String state = error.getSQLState();
        return error instanceof java.sql.SQLDataException || (state != null && (state.startsWith("22") || state.startsWith("23")));
    }

    @Override
    public void rolledBack() {
        createdStages.clear(); // staging tables created after the savepoint are gone; CREATE ... IF NOT EXISTS again
    }

    @Override
    public String targetType(DataType type) {
        return columnType(type);
    }

    @Override
    public void addColumn(Connection connection, TableId target, String column, String type, String fill) throws SQLException {
        if (fill == null) {
            Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " ADD COLUMN IF NOT EXISTS " + quote(column) + " " + type);
        } else if (!columnsOf(connection, target).contains(column)) {
            // A constant default fills the existing rows without rewriting them (PostgreSQL 11+); dropping it after
            // keeps their value.
            Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " ADD COLUMN " + quote(column) + " " + type
                    + " DEFAULT CAST(E'" + fill.replace("\\", "\\\\").replace("'", "''") + "' AS " + type + ")",
                    "ALTER TABLE " + qualified(target) + " ALTER COLUMN " + quote(column) + " DROP DEFAULT");
        }
        forgetStages(connection, target);
    }

    @Override
    public void dropColumn(Connection connection, TableId target, String column) throws SQLException {
        Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " DROP COLUMN IF EXISTS " + quote(column));
        forgetStages(connection, target);
    }

    @Override
    public void renameColumn(Connection connection, TableId target, String from, String to) throws SQLException {
        Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " RENAME COLUMN " + quote(from) + " TO " + quote(to));
        forgetStages(connection, target);
    }

    @Override
    public void changeColumnType(Connection connection, TableId target, String column, String type, boolean nullable)
            throws SQLException {
        // Widening only: every stored value converts exactly, so USING the value's own text is safe.
        Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " ALTER COLUMN " + quote(column) + " TYPE " + type
                + " USING " + quote(column) + "::text::" + type);
        forgetStages(connection, target);
    }

    @Override
    public void dropNotNull(Connection connection, TableId target, String column, String type) throws SQLException {
        Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " ALTER COLUMN " + quote(column) + " DROP NOT NULL");
    }

    @Override
    public void dropTable(Connection connection, TableId target) throws SQLException {
        Jdbc.execute(connection, "DROP TABLE IF EXISTS " + qualified(target));
    }

    @Override
    public void renameTable(Connection connection, TableId from, TableId to) throws SQLException {
        if (columnsOf(connection, from).isEmpty() || !columnsOf(connection, to).isEmpty()) {
            return;
        }
        if (!from.schema().equals(to.schema())) {
            Jdbc.execute(connection, "CREATE SCHEMA IF NOT EXISTS " + quote(to.schema()),
                    "ALTER TABLE " + qualified(from) + " SET SCHEMA " + quote(to.schema()));
        }
        Jdbc.execute(connection, "ALTER TABLE " + quote(to.schema()) + "." + quote(from.table()) + " RENAME TO " + quote(to.table()));
    }

    /** The staging table takes the target's name (DDL is transactional here: one commit swaps them). */
    @Override
    public void replaceTable(Connection connection, TableId target, TableId staging, TableSchema shape, List<String> columns)
            throws SQLException {
        dropTable(connection, target);
        renameTable(connection, staging, target);
        forgetStages(connection, target);
        targetTypes.remove(target);
    }

    /** A staging table copies its target's columns when created: after the target changes, it must be made again. */
    private void forgetStages(Connection connection, TableId target) throws SQLException {
        String base = stagingNames.get(target);
        if (base != null) {
            Jdbc.execute(connection, "DROP TABLE IF EXISTS pg_temp." + base + "_u", "DROP TABLE IF EXISTS pg_temp." + base + "_d");
            createdStages.remove(base + "_u");
            createdStages.remove(base + "_d");
        }
    }
}
