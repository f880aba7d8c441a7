package routes.capture;

import java.util.List;

/** The GRANT statement that gives a MySQL-family source user what capture needs, for the user as the server names it. */
final class MySqlGrants {

    /** What Debezium's MySQL and MariaDB connectors need: read the tables, list databases, lock for a snapshot, read the binlog. */
    static final List<String> CAPTURE = List.of("SELECT", "RELOAD", "SHOW DATABASES", "REPLICATION SLAVE", "REPLICATION CLIENT");

    private MySqlGrants() {
    }

    /**
     * {@code GRANT ... ON *.* TO 'user'@'host';} for the account {@code CURRENT_USER()} returns ({@code user@host});
     * {@code fallbackUser} with host {@code %} when the server named none.
     */
    static String statement(String currentUser, String fallbackUser) {
        String user = fallbackUser;
        String host = "%";
        if (currentUser != null && currentUser.contains("@")) {
            int at = currentUser.lastIndexOf('@');
            user = currentUser.substring(0, at);
            host = currentUser.substring(at + 1);
        }
        return "GRANT " + String.join(", ", CAPTURE) + " ON *.* TO " + literal(user) + "@" + literal(host) + ";";
    }

    private static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
