package routes.sink.streamload;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import routes.change.TableId;
import routes.schema.Column;
import routes.schema.SettingList;
import routes.schema.TableSchema;

/**
 * The CREATE TABLE text for a source table on Doris (unique-key model, merge-on-write) or StarRocks (primary-key
 * model), run through the FE's MySQL protocol. Key columns come first, in key order, as both models require; rows
 * are spread by a hash of the key. Non-key columns accept NULL: a delete carries its key alone.
 */
public final class StreamLoadTables {

    private final StreamLoadFlavour flavour;
    private final StreamLoadTypes types;
    private final Map<String, String> properties;

    /**
     * @param mergeOnWrite Doris only: keep one row per key at write time ({@code enable_unique_key_merge_on_write},
     *                     Doris 2.0+; the default from 2.1), so reads need not merge versions
     * @param tableProperties further {@code PROPERTIES}, as key=value pairs separated by semicolons (e.g. replication_num=1)
     */
    public StreamLoadTables(StreamLoadFlavour flavour, StreamLoadTypes types, boolean mergeOnWrite, String tableProperties) {
        this.flavour = flavour;
        this.types = types;
        Map<String, String> all = new LinkedHashMap<>();
        if (flavour == StreamLoadFlavour.DORIS && mergeOnWrite) {
            all.put("enable_unique_key_merge_on_write", "true");
        }
        for (String pair : SettingList.entries(tableProperties)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("tableProperties: '" + pair + "' is not key=value (pairs are separated by semicolons)");
            }
            all.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        this.properties = java.util.Collections.unmodifiableMap(all); // in the order given: the DDL text is stable
    }

    /**
     * What a source table becomes on the target: its columns (keys first) and the statement creating it; or why it
     * cannot be synced (a name or key type the target cannot hold).
     */
    public record Definition(TableId target, List<String> columns, List<String> keyColumns, String createStatement, String refusal) {
        public boolean refused() {
            return refusal != null;
        }
    }

    public Definition define(TableSchema source, TableId target) {
        String refusal = flavour.refusedTableName(target.table());
        if (refusal == null) {
            refusal = flavour.refusedTableName(target.schema()) == null ? null
                    : "the database name '" + target.schema() + "' is not valid on " + flavour.displayName();
        }
        List<Column> ordered = new ArrayList<>();
        source.primaryKey().forEach(key -> ordered.add(source.column(key).orElseThrow()));
        source.columns().stream().filter(c -> !source.primaryKey().contains(c.name())).forEach(ordered::add);
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(qualified(target)).append(" (\n");
        for (int i = 0; i < ordered.size() && refusal == null; i++) {
            Column column = ordered.get(i);
            boolean key = source.primaryKey().contains(column.name());
            refusal = flavour.refusedColumnName(column.name());
            StreamLoadTypes.Mapped type = types.map(column, source.typeSystem(), key);
            if (refusal == null && type.refused()) {
                refusal = type.refusal();
            }
            sql.append("  ").append(quote(column.name())).append(' ').append(type.type()).append(key ? " NOT NULL" : " NULL")
                    .append(i < ordered.size() - 1 ? ",\n" : "\n");
        }
        String keys = String.join(", ", source.primaryKey().stream().map(StreamLoadTables::quote).toList());
        sql.append(")\n").append(flavour.keyModel).append('(').append(keys).append(")\n");
        // BUCKETS AUTO (Doris 2.0+) sizes buckets by data; StarRocks picks the bucket count itself when none is given.
        sql.append("DISTRIBUTED BY HASH(").append(keys).append(')').append(flavour == StreamLoadFlavour.DORIS ? " BUCKETS AUTO" : "");
        if (!properties.isEmpty()) {
            sql.append("\nPROPERTIES (");
            sql.append(String.join(", ", properties.entrySet().stream()
                    .map(p -> '"' + escape(p.getKey()) + "\" = \"" + escape(p.getValue()) + '"').toList()));
            sql.append(')');
        }
        List<String> columnNames = ordered.stream().map(Column::name).toList();
        return new Definition(target, columnNames, source.primaryKey(), sql.toString(), refusal == null ? null
                : "table " + source.id() + " cannot be synced into " + flavour.displayName() + ": " + refusal);
    }

    /** Creates the database and the table unless they exist. */
    public void create(Connection connection, Definition table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + quote(table.target().schema()));
            statement.execute(table.createStatement());
        }
    }

    /** Empties a table: a full load that starts over starts from no rows. */
    public void truncate(Connection connection, TableId table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE TABLE " + qualified(table));
        }
    }

    /**
     * Adds a nullable column (Doris and StarRocks add it without rewriting the table's data) whose existing rows read
     * {@code fill} (as a load would carry it; null: NULL): both give a column added with a default to the rows the
     * table holds. The default stays, as neither can drop or change a column's default; that is harmless, because
     * every row loaded later names the column (whole rows carry every column, NULL included, and partial rows update
     * rows that exist).
     */
    public void addColumn(Connection connection, TableId table, String column, String type, String fill) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + qualified(table) + " ADD COLUMN " + quote(column) + " " + type + " NULL"
                    + (fill == null ? "" : " DEFAULT \"" + escape(fill) + '"'));
        }
    }

    /**
     * Drops a value column (Doris: light schema change; StarRocks: an asynchronous column job). Neither drops a key
     * column of a unique-key or primary-key table: a key change stops the table before this is reached.
     */
    public void dropColumn(Connection connection, TableId table, String column) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + qualified(table) + " DROP COLUMN " + quote(column));
        }
    }

    /**
     * Renames a column, keeping its values: {@code RENAME COLUMN old new}, as Doris (tables with light schema change,
     * the default since 2.0) and StarRocks (3.3.2 and later, where TO is optional) both take it.
     */
    public void renameColumn(Connection connection, TableId table, String from, String to) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + qualified(table) + " RENAME COLUMN " + quote(from) + " " + quote(to));
        }
    }

    /**
     * Changes a value column's type; the column's other attributes must be stated as they are (NULL: value columns
     * are created nullable). Both run it as a schema-change job in the background, converting the stored values.
     */
    public void changeColumnType(Connection connection, TableId table, String column, String type) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + qualified(table) + " MODIFY COLUMN " + quote(column) + " " + type + " NULL");
        }
    }

    /** Why a column of this type cannot be added with a default (JSON columns take none), or null. */
    String refusedDefault(String type) {
        return type.equalsIgnoreCase("JSON") ? "a JSON column can have no default on " + flavour.displayName() + ", so the rows the "
                + "table holds cannot take the value the source's rows took" : null;
    }

    static String qualified(TableId table) {
        return quote(table.schema()) + "." + quote(table.table());
    }

    /** Backticks, doubled inside (names holding a backtick are refused before this is reached). */
    static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    StreamLoadTypes types() {
        return types;
    }
}
