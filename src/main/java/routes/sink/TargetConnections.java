package routes.sink;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens a connection to a target (or a target's state database). MySQL-family URLs always go to MariaDB Connector/J,
 * the driver the writers are tested with: the jar also ships MySQL Connector/J (Debezium's MySQL connector needs it),
 * which DriverManager would otherwise pick first for a {@code jdbc:mysql:} URL.
 */
public final class TargetConnections {

    private static final org.mariadb.jdbc.Driver MARIADB = new org.mariadb.jdbc.Driver();

    private TargetConnections() {
    }

    public static Connection open(String jdbcUrl, Properties credentials) throws SQLException {
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:mysql:")) {
            if (!acceptsMySqlScheme(jdbcUrl)) {
                throw new SQLException(NO_MYSQL_SCHEME, "08001");
            }
            return MARIADB.connect(jdbcUrl, credentials);
        }
        return DriverManager.getConnection(jdbcUrl, credentials);
    }

    /** MariaDB Connector/J takes a {@code jdbc:mysql:} URL only when it carries {@code permitMysqlScheme}. */
    public static boolean acceptsMySqlScheme(String jdbcUrl) {
        return MARIADB.acceptsURL(jdbcUrl);
    }

    public static final String NO_MYSQL_SCHEME = "No JDBC driver takes the target URL jdbc:mysql:...: add permitMysqlScheme to its "
            + "parameters (jdbc:mysql://host:3306/db?permitMysqlScheme) or write it as jdbc:mariadb://host:3306/db";
}
