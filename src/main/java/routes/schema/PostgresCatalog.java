package routes.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

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
        return CatalogQueries.tables(connection, COLUMNS, PRIMARY_KEYS, filter, TableSchema.POSTGRESQL);
    }
}
