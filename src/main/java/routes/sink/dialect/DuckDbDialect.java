package routes.sink.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import routes.change.TableId;
import routes.schema.Column;
import routes.schema.DataType;
import routes.schema.TableSchema;
import routes.schema.TypeOverrides;

/**
 * DuckDB, the embedded analytical target. Rows are appended with DuckDB's appender into a VARCHAR staging table,
 * checked with TRY_CAST against the target's column types, and merged with one INSERT ... ON CONFLICT (or one SQL
 * MERGE). DuckDB has no savepoints and aborts a transaction on any error, so rows the target cannot hold are found
 * by the check before anything is written: a refused batch leaves the transaction as it was.
 */
public class DuckDbDialect extends OnConflictDialect {

    /** Where tables go unless the task names a schema: DuckDB's default schema. */
    static final String DEFAULT_SCHEMA = "main";
    /** The staging table's own column numbering each appended row, so a refused row can be named. */
    private static final String ROW_NUMBER = "rs_row";

    private final boolean mergeStatement;
    private TypeOverrides overrides = TypeOverrides.NONE;
    private final Map<TableId, Map<String, ColumnType>> targetTypes = new HashMap<>();
    private final Map<String, String> stagingNames = new HashMap<>();
    private final Set<String> createdStages = new HashSet<>();
    private Connection stagesCreatedOn;

    /** A target column's DuckDB type and whether it takes NULL. */
    private record ColumnType(String type, boolean nullable) {
        /** Lists are staged as JSON arrays and cast through JSON. */
        String castOf(String staged) {
            String from = type.endsWith("]") ? "TRY_CAST(" + staged + " AS JSON)" : staged;
            return "TRY_CAST(" + from + " AS " + type + ")";
        }
    }

    /** @param mergeStatement write with SQL MERGE instead of INSERT ... ON CONFLICT */
    public DuckDbDialect(boolean mergeStatement) {
        this.mergeStatement = mergeStatement;
    }

    public void setTypeOverrides(TypeOverrides overrides) {
        this.overrides = overrides;
    }

    @Override
    public Optional<String> defaultTargetSchema(Connection connection) {
        return Optional.of(DEFAULT_SCHEMA);
    }

    @Override
    public void createTableIfMissing(Connection connection, TableId target, TableSchema source) throws SQLException {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(qualified(target)).append(" (");
        for (Column column : source.columns()) {
            sql.append(quote(column.name())).append(' ').append(targetType(source.typeOf(column)));
            if (!column.nullable()) {
                sql.append(" NOT NULL");
            }
            sql.append(", ");
        }
        sql.append("PRIMARY KEY (").append(quotedList(source.primaryKey())).append("))");
        Jdbc.execute(connection, "CREATE SCHEMA IF NOT EXISTS " + quote(target.schema()), sql.toString());
    }

    @Override
    public String targetType(DataType type) {
        return overrides.targetFor(type.sourceText()).orElseGet(() -> DuckDbTypes.write(type));
    }

    @Override
    public List<String> columnsOf(Connection connection, TableId target) throws SQLException {
        return Jdbc.strings(connection, "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
                + "ORDER BY ordinal_position", target.schema(), target.table());
    }

    @Override
    public void truncate(Connection connection, TableId target) throws SQLException {
        Jdbc.execute(connection, "DELETE FROM " + qualified(target));
    }

    @Override
    public void upsert(Connection connection, TableId target, List<String> keyColumns, List<String> columns,
            List<Map<String, Object>> rows) throws SQLException {
        String stage = stageRows(connection, target, columns, rows);
        Map<String, ColumnType> types = targetTypes(connection, target, columns);
        String casts = columns.stream().map(c -> types.get(c).castOf("s." + quote(c)) + " AS " + quote(c)).collect(Collectors.joining(", "));
        List<String> updated = columns.stream().filter(c -> !keyColumns.contains(c)).toList();
        String sql;
        if (mergeStatement) {
            sql = "MERGE INTO " + qualified(target) + " t USING (SELECT " + casts + " FROM " + stage + " s) s ON ("
                    + keyMatch(keyColumns) + ")"
                    + (updated.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET "
                            + updated.stream().map(c -> quote(c) + " = s." + quote(c)).collect(Collectors.joining(", ")))
                    + " WHEN NOT MATCHED THEN INSERT (" + quotedList(columns) + ") VALUES ("
                    + columns.stream().map(c -> "s." + quote(c)).collect(Collectors.joining(", ")) + ")";
        } else {
            sql = "INSERT INTO " + qualified(target) + " (" + quotedList(columns) + ") SELECT " + casts + " FROM " + stage + " s"
                    + " ON CONFLICT (" + quotedList(keyColumns) + ") DO "
                    + (updated.isEmpty() ? "NOTHING" : "UPDATE SET "
                            + updated.stream().map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", ")));
        }
        Jdbc.execute(connection, sql, "DELETE FROM " + stage);
    }

    @Override
    public void delete(Connection connection, TableId target, List<String> keyColumns, List<Map<String, Object>> keys)
            throws SQLException {
        String stage = stageRows(connection, target, keyColumns, keys);
        Map<String, ColumnType> types = targetTypes(connection, target, keyColumns);
        String casts = keyColumns.stream().map(c -> types.get(c).castOf("s." + quote(c)) + " AS " + quote(c)).collect(Collectors.joining(", "));
        String sql = mergeStatement
                ? "MERGE INTO " + qualified(target) + " t USING (SELECT " + casts + " FROM " + stage + " s) s ON (" + keyMatch(keyColumns)
                        + ") WHEN MATCHED THEN DELETE"
                : "DELETE FROM " + qualified(target) + " t USING (SELECT " + casts + " FROM " + stage + " s) s WHERE " + keyMatch(keyColumns);
        Jdbc.execute(connection, sql, "DELETE FROM " + stage);
    }

    @Override
    public boolean refusesBeforeWriting() {
        return true;
    }

    /**
     * Appends the rows as text to a staging table of the given columns, then checks each against the target's types
     * and NOT NULL constraints. A row that would fail is reported as a data error before anything is written.
     */
    private String stageRows(Connection connection, TableId target, List<String> columns, List<Map<String, Object>> rows)
            throws SQLException {
        Map<String, ColumnType> types = targetTypes(connection, target, columns);
        String stage = stage(connection, target, columns);
        try (DuckDBAppender appender = connection.unwrap(DuckDBConnection.class).createAppender("temp", DEFAULT_SCHEMA, stage)) {
            long number = 0;
            for (Map<String, Object> row : rows) {
                appender.beginRow();
                appender.append(number++);
                for (String column : columns) {
                    String text = DuckDbText.of(row.get(column), types.get(column).type());
                    if (text == null) {
                        appender.appendNull();
                    } else {
                        appender.append(text);
                    }
                }
                appender.endRow();
            }
        }
        List<String> problems = new ArrayList<>();
        for (String column : columns) {
            ColumnType type = types.get(column);
            String staged = "s." + quote(column);
            problems.add("CASE WHEN " + staged + " IS NOT NULL AND " + type.castOf(staged) + " IS NULL THEN "
                    + literal("value of column " + column + " is not a valid " + type.type() + ": ") + " || " + staged
                    + (type.nullable() ? "" : " WHEN " + staged + " IS NULL THEN " + literal("NULL in NOT NULL column " + column))
                    + " END");
        }
        List<String> refused = Jdbc.strings(connection, "SELECT coalesce(" + String.join(", ", problems) + ") AS problem FROM "
                + stage + " s WHERE problem IS NOT NULL ORDER BY " + ROW_NUMBER + " LIMIT 1");
        if (!refused.isEmpty()) {
            Jdbc.execute(connection, "DELETE FROM " + stage);
            throw new java.sql.SQLDataException(refused.get(0), "22000");
        }
        return stage;
    }

    /** A temporary VARCHAR table for one target and one list of columns, created once per connection. */
    private String stage(Connection connection, TableId target, List<String> columns) throws SQLException {
        if (connection != stagesCreatedOn) {
            createdStages.clear();
            stagesCreatedOn = connection;
        }
        String shape = target + "|" + String.join("|", columns);
        String name = stagingNames.computeIfAbsent(shape, s -> "rs_stage_" + stagingNames.size());
        if (createdStages.add(name)) {
            Jdbc.execute(connection, "CREATE OR REPLACE TEMP TABLE " + name + " (" + ROW_NUMBER + " BIGINT, "
                    + columns.stream().map(c -> quote(c) + " VARCHAR").collect(Collectors.joining(", ")) + ")");
        }
        return name;
    }

    /** The target's column types, read again when a column is not known yet (it was added since). */
    private Map<String, ColumnType> targetTypes(Connection connection, TableId target, List<String> columns) throws SQLException {
        Map<String, ColumnType> types = targetTypes.get(target);
        if (types == null || !types.keySet().containsAll(columns)) {
            types = new HashMap<>();
            for (Map.Entry<String, String> column : Jdbc.pairs(connection, "SELECT column_name, data_type || '|' || is_nullable "
                    + "FROM information_schema.columns WHERE table_schema = ? AND table_name = ?", target.schema(), target.table()).entrySet()) {
                String[] typeAndNull = column.getValue().split("\\|");
                types.put(column.getKey(), new ColumnType(typeAndNull[0], "YES".equals(typeAndNull[1])));
            }
            targetTypes.put(target, types);
        }
        return types;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    @Override
    public void createStateTables(Connection connection) throws SQLException {
        Jdbc.execute(connection,
                "CREATE SCHEMA IF NOT EXISTS " + STATE_SCHEMA,
                "CREATE SEQUENCE IF NOT EXISTS " + STATE_SCHEMA + ".record_numbers",
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".source_offsets (task VARCHAR NOT NULL, offset_key VARCHAR NOT NULL, "
                        + "offset_value VARCHAR NOT NULL, committed_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (task, offset_key))",
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".schema_history (task VARCHAR NOT NULL, seq BIGINT NOT NULL DEFAULT "
                        + "nextval('" + STATE_SCHEMA + ".record_numbers'), record VARCHAR NOT NULL, PRIMARY KEY (task, seq))",
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".table_status (task VARCHAR NOT NULL, source_table VARCHAR NOT NULL, "
                        + "status VARCHAR NOT NULL, reason VARCHAR, updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (task, source_table))",
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".dirty_rows (task VARCHAR NOT NULL, seq BIGINT NOT NULL DEFAULT "
                        + "nextval('" + STATE_SCHEMA + ".record_numbers'), source_table VARCHAR NOT NULL, target_table VARCHAR NOT NULL, "
                        + "operation VARCHAR NOT NULL, row_key VARCHAR NOT NULL, row_data VARCHAR, error VARCHAR NOT NULL, "
                        + "recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (task, seq))",
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".table_definitions (task VARCHAR NOT NULL, source_table VARCHAR NOT NULL, "
                        + "definition VARCHAR NOT NULL, updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (task, source_table))",
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".full_load (task VARCHAR PRIMARY KEY, watermark VARCHAR NOT NULL, "
                        + "started_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".full_load_chunks (task VARCHAR NOT NULL, source_table VARCHAR NOT NULL, "
                        + "chunk INTEGER NOT NULL, lower_bound BIGINT, upper_bound BIGINT, rows_copied BIGINT, "
                        + "PRIMARY KEY (task, source_table, chunk))",
                // A paused or resyncing table's changes, in source order (sink.HeldChanges)
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".held_changes (task VARCHAR NOT NULL, source_table VARCHAR NOT NULL, "
                        + "seq BIGINT NOT NULL, change_data BLOB NOT NULL, PRIMARY KEY (task, source_table, seq))",
                // Operations on one table that outlive a restart (sink.TableOperations)
                "CREATE TABLE IF NOT EXISTS " + STATE_SCHEMA + ".table_operations (task VARCHAR NOT NULL, source_table VARCHAR NOT NULL, "
                        + "operation VARCHAR NOT NULL, settings VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
                        + "PRIMARY KEY (task, source_table))");
    }

    /** False on a target this project never wrote to: reading must not create anything there. */
    @Override
    protected boolean stateTableExists(Connection connection, String table) throws SQLException {
        return Jdbc.exists(connection, "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                STATE_SCHEMA, table);
    }

    @Override
    public void forgetTableStatus(Connection connection, String task, Collection<TableId> keep) throws SQLException {
        for (String table : loadTableStatus(connection, task).keySet()) {
            if (keep.stream().noneMatch(t -> t.toString().equals(table))) {
                Jdbc.update(connection, "DELETE FROM " + STATE_SCHEMA + ".table_status WHERE task = ? AND source_table = ?", task, table);
            }
        }
    }

    @Override
    public boolean isTransient(SQLException error) {
        // An embedded database has no connection to lose; a file another process holds is a configuration error.
        return false;
    }

    @Override
    public boolean isDataError(SQLException error) {
        String message = String.valueOf(error.getMessage());
        return error instanceof java.sql.SQLDataException || message.startsWith("Conversion Error")
                || message.startsWith("Constraint Error") || message.startsWith("Out of Range Error");
    }

    @Override
    public void addColumn(Connection connection, TableId target, String column, String type, String fill) throws SQLException {
        if (fill == null) {
            Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " ADD COLUMN IF NOT EXISTS " + quote(column) + " " + type);
        } else if (!columnsOf(connection, target).contains(column)) {
            Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " ADD COLUMN " + quote(column) + " " + type
                    + " DEFAULT CAST(" + literal(blobText(fill, type)) + " AS " + type + ")",
                    "ALTER TABLE " + qualified(target) + " ALTER COLUMN " + quote(column) + " DROP DEFAULT");
        }
        targetTypes.remove(target);
    }

    /** PostgreSQL writes bytea as \\x and hex digits; DuckDB reads a \\x escape per byte. */
    private static String blobText(String text, String type) {
        if (!type.equals("BLOB") || !text.startsWith("\\x")) {
            return text;
        }
        StringBuilder bytes = new StringBuilder();
        for (int i = 2; i + 1 < text.length(); i += 2) {
            bytes.append("\\x").append(text, i, i + 2);
        }
        return bytes.toString();
    }

    @Override
    public void dropColumn(Connection connection, TableId target, String column) throws SQLException {
        Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " DROP COLUMN IF EXISTS " + quote(column));
        targetTypes.remove(target);
    }

    @Override
    public void renameColumn(Connection connection, TableId target, String from, String to) throws SQLException {
        Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " RENAME COLUMN " + quote(from) + " TO " + quote(to));
        targetTypes.remove(target);
    }

    @Override
    public void changeColumnType(Connection connection, TableId target, String column, String type, boolean nullable) throws SQLException {
        Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " ALTER COLUMN " + quote(column) + " TYPE " + type);
        targetTypes.remove(target);
    }

    @Override
    public void dropNotNull(Connection connection, TableId target, String column, String type) throws SQLException {
        Jdbc.execute(connection, "ALTER TABLE " + qualified(target) + " ALTER COLUMN " + quote(column) + " DROP NOT NULL");
        targetTypes.remove(target);
    }

    @Override
    public void dropTable(Connection connection, TableId target) throws SQLException {
        Jdbc.execute(connection, "DROP TABLE IF EXISTS " + qualified(target));
        targetTypes.remove(target);
    }

    @Override
    public void renameTable(Connection connection, TableId from, TableId to) throws SQLException {
        if (columnsOf(connection, from).isEmpty() || !columnsOf(connection, to).isEmpty()) {
            return;
        }
        if (!from.schema().equals(to.schema())) {
            // A copy would lose the primary key, which the merge needs.
            throw new SQLException("DuckDB cannot move table " + from + " to schema " + to.schema()
                    + "; rename it within its schema or give the task a targetSchema", "0A000");
        }
        Jdbc.execute(connection, "ALTER TABLE " + qualified(from) + " RENAME TO " + quote(to.table()));
        targetTypes.remove(from);
    }
}
