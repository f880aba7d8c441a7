package routes.sink.dialect;

import java.util.Locale;

import routes.schema.TypeOverrides;

/** Finds the dialect for a JDBC URL or an explicit name. */
public final class SqlDialects {

    private SqlDialects() {
    }

    public static SqlDialect forName(String dialect, String jdbcUrl) {
        return forName(dialect, jdbcUrl, "");
    }

    public static SqlDialect forName(String dialect, String jdbcUrl, String typeMapping) {
        return forName(dialect, jdbcUrl, typeMapping, "upsert");
    }

    /**
     * The dialect, creating target columns with the task's type overrides ({@link TypeOverrides}) where they apply,
     * and writing rows with {@code writeStatement}: upsert (the target's INSERT ... ON CONFLICT or ON DUPLICATE KEY)
     * or merge (SQL MERGE INTO, for lakehouse-style tables that take no other upsert).
     */
    public static SqlDialect forName(String dialect, String jdbcUrl, String typeMapping, String writeStatement) {
        TypeOverrides overrides = TypeOverrides.parse(typeMapping);
        boolean merge = switch (writeStatement == null || writeStatement.isBlank() ? "upsert" : writeStatement) {
            case "upsert" -> false;
            case "merge" -> true;
            default -> throw new IllegalArgumentException("writeStatement must be upsert or merge, not '" + writeStatement + "'");
        };
        String name = dialect == null || dialect.isBlank() || dialect.equals("auto") ? fromUrl(jdbcUrl) : dialect;
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "postgresql", "postgres", "hologres", "gaussdb" -> {
                PostgresDialect postgres = new PostgresDialect();
                postgres.setTypeOverrides(overrides);
                postgres.setMergeStatement(merge);
                yield postgres;
            }
            case "duckdb" -> {
                DuckDbDialect duckdb = new DuckDbDialect(merge);
                duckdb.setTypeOverrides(overrides);
                yield duckdb;
            }
            case "mariadb", "mysql" -> {
                if (merge) {
                    throw new IllegalArgumentException("MariaDB and MySQL have no MERGE statement: use writeStatement upsert");
                }
                MariaDbDialect mariadb = MariaDbDialect.forUrl(jdbcUrl);
                mariadb.setTypeOverrides(overrides);
                yield mariadb;
            }
            default -> throw new IllegalArgumentException("No SQL dialect named '" + name + "' (known: postgresql, hologres, gaussdb, mariadb, mysql, duckdb)");
        };
    }

    private static String fromUrl(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("Target JDBC URL '" + jdbcUrl + "' does not start with jdbc:");
        }
        String rest = jdbcUrl.substring("jdbc:".length());
        return rest.substring(0, Math.max(0, rest.indexOf(':')));
    }
}
