package routes.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

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

    private MySqlCatalog() {
    }

    /** Every base table the filter admits (schema = database), in name order. */
    public static List<TableSchema> tables(Connection connection, TableFilter filter) throws SQLException {
        return CatalogQueries.tables(connection, COLUMNS, PRIMARY_KEYS, filter, TableSchema.MYSQL);
    }
}
