package routes.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * A column's missing value (what the rows that existed when it was added hold: its default, evaluated once, even
     * {@code now()}; PostgreSQL 11 and later keep it as long as those rows are not rewritten) and its default.
     */
    private static final String ADDED_COLUMN = """
            SELECT a.atthasmissing, a.attmissingval::text, a.attgenerated <> '', pg_get_expr(d.adbin, d.adrelid)
              FROM pg_attribute a
              JOIN pg_class c ON c.oid = a.attrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE n.nspname = ? AND c.relname = ? AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped""";

    private static final String ANY_VOLATILE = "SELECT EXISTS (SELECT 1 FROM pg_proc WHERE proname = ANY (?) AND provolatile = 'v')";

    /** A function call in a default expression as pg_get_expr() writes it: the name before its parenthesis. */
    private static final Pattern CALL = Pattern.compile("([A-Za-z_][A-Za-z_0-9$]*)\\s*\\(");

    private PostgresCatalog() {
    }

    /**
     * What the rows a table held when {@code column} was added hold in it. A non-volatile default was evaluated once
     * and kept as the column's missing value, which is the value itself; a volatile one ({@code random()},
     * {@code clock_timestamp()}, {@code nextval()}) filled each row with its own value, which only the rows show.
     * Without either, the column was added without a default (a default set afterwards leaves the rows NULL).
     */
    public static ColumnFill fillOfAddedColumn(Connection connection, TableId table, String column) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ADDED_COLUMN)) {
            statement.setString(1, table.schema());
            statement.setString(2, table.table());
            statement.setString(3, column);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return ColumnFill.NULL;
                }
                String expression = rs.getString(4);
                if (rs.getBoolean(3)) {
                    return ColumnFill.unknown("it is generated (" + expression + ")");
                }
                if (rs.getBoolean(1)) {
                    return ColumnFill.constant(onlyElement(rs.getString(2)));
                }
                if (expression != null && callsVolatileFunction(connection, expression)) {
                    return ColumnFill.unknown("its default " + expression + " is volatile");
                }
                return ColumnFill.NULL;
            }
        }
    }

    private static boolean callsVolatileFunction(Connection connection, String expression) throws SQLException {
        List<String> names = new ArrayList<>();
        Matcher m = CALL.matcher(expression);
        while (m.find()) {
            names.add(m.group(1));
        }
        if (names.isEmpty()) {
            return false;
        }
        try (PreparedStatement statement = connection.prepareStatement(ANY_VOLATILE)) {
            statement.setArray(1, connection.createArrayOf("text", names.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * The element of a one-element array literal ({@code {2}}, {@code {"a \\"b\\""}}, {@code {{1,2}}} for an array
     * column), as the element type's own text; null for NULL.
     */
    static String onlyElement(String array) {
        String inner = array.substring(array.indexOf('{') + 1, array.lastIndexOf('}'));
        if (!inner.startsWith("\"")) {
            return inner.equalsIgnoreCase("NULL") ? null : inner;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 1; i < inner.length() - 1; i++) {
            char c = inner.charAt(i);
            text.append(c == '\\' ? inner.charAt(++i) : c);
        }
        return text.toString();
    }

    /** Every ordinary or partitioned table the filter admits, in name order. */
    public static List<TableSchema> tables(Connection connection, TableFilter filter) throws SQLException {
        return CatalogQueries.tables(connection, COLUMNS, PRIMARY_KEYS, filter, TableSchema.POSTGRESQL);
    }
}
