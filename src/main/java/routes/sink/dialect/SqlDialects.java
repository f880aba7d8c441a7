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

    /** The dialect, creating target columns with the task's type overrides ({@link TypeOverrides}) where they apply. */
    public static SqlDialect forName(String dialect, String jdbcUrl, String typeMapping) {
        TypeOverrides overrides = TypeOverrides.parse(typeMapping);
        String name = dialect == null || dialect.isBlank() || dialect.equals("auto") ? fromUrl(jdbcUrl) : dialect;
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "postgresql", "postgres", "hologres", "gaussdb" -> {
                PostgresDialect postgres = new PostgresDialect();
                postgres.setTypeOverrides(overrides);
                yield postgres;
            }
            case "mariadb", "mysql" -> {
                MariaDbDialect mariadb = MariaDbDialect.forUrl(jdbcUrl);
                mariadb.setTypeOverrides(overrides);
                yield mariadb;
            }
            default -> throw new IllegalArgumentException("No SQL dialect named '" + name + "' (known: postgresql, mariadb, mysql)");
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
