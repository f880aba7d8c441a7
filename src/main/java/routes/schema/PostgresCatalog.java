package routes.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import routes.change.TableId;

/** Reads tables, exact column types and primary keys from a PostgreSQL database's catalog. */
public final class PostgresCatalog {

    private static final String COLUMNS = """
            SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
               AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
             ORDER BY n.nspname, c.relname, a.attnum""";

    private static final String PRIMARY_KEYS = """
            SELECT n.nspname, c.relname, a.attname
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
             WHERE i.indisprimary
             ORDER BY n.nspname, c.relname, k.ord""";

    private PostgresCatalog() {
    }

    /** Every ordinary or partitioned table the filter admits, in name order. */
    public static List<TableSchema> tables(Connection connection, TableFilter filter) throws SQLException {
        Map<TableId, List<Column>> columns = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                TableId id = new TableId(rs.getString(1), rs.getString(2));
                if (filter.includes(id)) {
                    columns.computeIfAbsent(id, k -> new ArrayList<>()).add(new Column(rs.getString(3), rs.getString(4), rs.getBoolean(5)));
                }
            }
        }
        Map<TableId, List<String>> keys = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(PRIMARY_KEYS); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                keys.computeIfAbsent(new TableId(rs.getString(1), rs.getString(2)), k -> new ArrayList<>()).add(rs.getString(3));
            }
        }
        List<TableSchema> tables = new ArrayList<>();
        columns.forEach((id, cols) -> tables.add(new TableSchema(id, List.copyOf(cols), List.copyOf(keys.getOrDefault(id, List.of())),
                TableSchema.POSTGRESQL)));
        return tables;
    }
}
