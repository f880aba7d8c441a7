package routes.sink.dialect;

import java.util.Locale;

/** Finds the dialect for a JDBC URL or an explicit name. */
public final class SqlDialects {

    private SqlDialects() {
    }

    public static SqlDialect forName(String dialect, String jdbcUrl) {
        String name = dialect == null || dialect.isBlank() || dialect.equals("auto") ? fromUrl(jdbcUrl) : dialect;
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "postgresql", "postgres", "hologres", "gaussdb" -> new PostgresDialect();
            case "mariadb", "mysql" -> MariaDbDialect.forUrl(jdbcUrl);
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
