package routes.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import routes.change.TableId;

/** Reads tables, exact column types and primary keys from a MySQL or MariaDB server's information_schema. */
public final class MySqlCatalog {

    private static final String SYSTEM = "('mysql', 'information_schema', 'performance_schema', 'sys')";

    private static final String COLUMNS = """
            SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, c.IS_NULLABLE = 'YES'
              FROM information_schema.COLUMNS c
              JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
             WHERE t.TABLE_TYPE = 'BASE TABLE' AND c.TABLE_SCHEMA NOT IN """ + SYSTEM + """
             ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION""";

    private static final String PRIMARY_KEYS = """
            SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
             WHERE CONSTRAINT_NAME = 'PRIMARY' AND TABLE_SCHEMA NOT IN """ + SYSTEM + """
             ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION""";

    private static final String ADDED_COLUMN = """
            SELECT COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION, VERSION() FROM information_schema.COLUMNS
             WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?""";

    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d*)?([eE][-+]?\\d+)?");

    private MySqlCatalog() {
    }

    /**
     * What the rows a table held when {@code column} was added hold in it: its default, when that is a constant. An
     * expression ({@code current_timestamp()}, {@code rand()}, {@code uuid()}) was evaluated when the column was
     * added, which only the rows show.
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
                String generation = rs.getString(3);
                if (generation != null && !generation.isEmpty()) {
                    return ColumnFill.unknown("it is generated (" + generation + ")");
                }
                String extra = rs.getString(2) == null ? "" : rs.getString(2);
                return fillOf(rs.getString(1), rs.getString(4).contains("MariaDB"), extra.contains("DEFAULT_GENERATED"));
            }
        }
    }

    /**
     * Reads information_schema.COLUMNS.COLUMN_DEFAULT: MariaDB writes it as SQL (quoted strings, unquoted numbers,
     * {@code NULL}, anything else an expression); MySQL writes a literal's bare text and flags expressions as
     * DEFAULT_GENERATED, except CURRENT_TIMESTAMP before 8.0.13.
     */
    static ColumnFill fillOf(String columnDefault, boolean mariaDb, boolean expressionFlagged) {
        if (columnDefault == null) {
            return ColumnFill.NULL;
        }
        String current = columnDefault.toLowerCase(Locale.ROOT);
        if (expressionFlagged || current.startsWith("current_timestamp")) {
            return ColumnFill.unknown("its default " + columnDefault + " is an expression");
        }
        if (!mariaDb) {
            return ColumnFill.constant(columnDefault);
        }
        if (current.equals("null")) {
            return ColumnFill.NULL;
        }
        if (NUMBER.matcher(columnDefault).matches()) {
            return ColumnFill.constant(columnDefault);
        }
        if (columnDefault.length() >= 2 && columnDefault.startsWith("'") && columnDefault.endsWith("'")) {
            return ColumnFill.constant(unquoted(columnDefault.substring(1, columnDefault.length() - 1)));
        }
        return ColumnFill.unknown("its default " + columnDefault + " is an expression");
    }

    /** A MariaDB string literal's text: '' and backslash escapes undone. */
    private static String unquoted(String quoted) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if ((c == '\'' || c == '\\') && i + 1 < quoted.length()) {
                char next = quoted.charAt(++i);
                text.append(c == '\\' ? switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    default -> next;
                } : next);
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    /** Every base table the filter admits (schema = database), in name order. */
    public static List<TableSchema> tables(Connection connection, TableFilter filter) throws SQLException {
        return CatalogQueries.tables(connection, COLUMNS, PRIMARY_KEYS, filter, TableSchema.MYSQL);
    }
}
