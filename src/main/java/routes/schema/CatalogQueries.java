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

/**
 * Builds table definitions from two catalog queries, the same for every source family: one listing columns
 * (schema, table, column, type text, nullable) in ordinal order, one listing primary-key columns (schema, table,
 * column) in key order.
 */
final class CatalogQueries {

    private CatalogQueries() {
    }

    static List<TableSchema> tables(Connection connection, String columnsSql, String keysSql, TableFilter filter, TypeSystem typeSystem)
            throws SQLException {
        Map<TableId, List<Column>> columns = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(columnsSql); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                TableId id = new TableId(rs.getString(1), rs.getString(2));
                if (filter.includes(id)) {
                    columns.computeIfAbsent(id, k -> new ArrayList<>()).add(new Column(rs.getString(3), rs.getString(4), rs.getBoolean(5)));
                }
            }
        }
        Map<TableId, List<String>> keys = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(keysSql); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                keys.computeIfAbsent(new TableId(rs.getString(1), rs.getString(2)), k -> new ArrayList<>()).add(rs.getString(3));
            }
        }
        List<TableSchema> tables = new ArrayList<>();
        columns.forEach((id, cols) -> tables.add(new TableSchema(id, List.copyOf(cols), List.copyOf(keys.getOrDefault(id, List.of())),
                typeSystem)));
        return tables;
    }
}
