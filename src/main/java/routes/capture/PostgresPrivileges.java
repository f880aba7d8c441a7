package routes.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import routes.ops.TaskProblem;
import routes.schema.TableSchema;

/**
 * What a PostgreSQL source user must be allowed for the task's tables, checked before anything is written: reading
 * them (the full load), and bringing the task's publication to them, which {@link PostgresSource#prepareCapture} does
 * later. PostgreSQL lets only a table's owner publish it, CREATE PUBLICATION needs CREATE on the database, ALTER
 * PUBLICATION the publication's owner, and FOR ALL TABLES a superuser. Each refusal carries the statement that fixes it.
 */
final class PostgresPrivileges {

    private final Connection connection;
    private final String user;
    private final String where;

    PostgresPrivileges(Connection connection, String user, String where) {
        this.connection = connection;
        this.user = user;
        this.where = where;
    }

    /** Throws a {@link TaskProblem} naming the statement to run when the user may not read the tables. */
    void checkReadable(List<TableSchema> tables) throws SQLException {
        Set<String> schemas = new TreeSet<>();
        List<String> unreadable = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT has_schema_privilege(n.oid, 'USAGE'), has_table_privilege(c.oid, 'SELECT')
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?""")) {
            for (TableSchema table : tables) {
                statement.setString(1, table.id().schema());
                statement.setString(2, table.id().table());
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next()) {
                        if (!rs.getBoolean(1)) {
                            schemas.add(table.id().schema());
                        }
                        if (!rs.getBoolean(1) || !rs.getBoolean(2)) {
                            unreadable.add(qualified(table));
                        }
                    }
                }
            }
        }
        if (!unreadable.isEmpty()) {
            StringBuilder fix = new StringBuilder();
            schemas.forEach(schema -> fix.append("GRANT USAGE ON SCHEMA ").append(quote(schema)).append(" TO ").append(quote(user)).append("; "));
            fix.append("GRANT SELECT ON ").append(String.join(", ", unreadable)).append(" TO ").append(quote(user)).append(';');
            throw new TaskProblem("Source user '" + user + "' may not read " + count(unreadable.size()) + " on " + where
                    + " (the full load reads them): run " + fix);
        }
    }

    /**
     * Checks that {@link PostgresSource#prepareCapture} will be able to bring the publication to the given tables in
     * the given mode (filtered, all_tables or disabled), or that nothing needs changing.
     */
    void checkPublication(String publication, String mode, String database, List<TableSchema> tables) throws SQLException {
        if (isSuperuser() && !"disabled".equals(mode)) {
            return;
        }
        String name = quote(publication);
        Boolean allTables = null;
        boolean ownsPublication = false;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT puballtables, pg_has_role(pubowner, 'USAGE') FROM pg_publication WHERE pubname = ?")) {
            statement.setString(1, publication);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    allTables = rs.getBoolean(1);
                    ownsPublication = rs.getBoolean(2);
                }
            }
        }
        boolean exists = allTables != null;
        switch (mode) {
            case "all_tables" -> {
                if (!exists) {
                    throw new TaskProblem("publicationAutocreateMode all_tables creates publication '" + publication + "' FOR ALL TABLES on "
                            + where + ", which only a superuser may do, and source user '" + user + "' is none: have a superuser run "
                            + "CREATE PUBLICATION " + name + " FOR ALL TABLES; or set publicationAutocreateMode filtered.");
                }
                if (!allTables) {
                    throw new TaskProblem("Publication '" + publication + "' on " + where + " does not publish all tables, "
                            + "but the task's publicationAutocreateMode is all_tables: drop it (DROP PUBLICATION " + name
                            + ") to have it created, or set publicationAutocreateMode filtered.");
                }
            }
            case "filtered" -> {
                if (exists && allTables) {
                    throw new TaskProblem("Publication '" + publication + "' on " + where + " publishes all tables, but the task's "
                            + "publicationAutocreateMode is filtered: drop it (DROP PUBLICATION " + name + ") to have it created "
                            + "for the selected tables, or set publicationAutocreateMode all_tables.");
                }
                checkFiltered(publication, database, tables, exists, ownsPublication);
            }
            default -> {
                if (!exists) {
                    throw new TaskProblem("Publication '" + publication + "' does not exist on " + where + " and the task's "
                            + "publicationAutocreateMode is disabled: create it (CREATE PUBLICATION " + name + " FOR TABLE ...).");
                }
            }
        }
    }

    /** A filtered publication holds exactly the tables with a primary key; changing it takes their owner. */
    private void checkFiltered(String publication, String database, List<TableSchema> tables, boolean exists, boolean ownsPublication)
            throws SQLException {
        Set<String> wanted = new TreeSet<>();
        tables.stream().filter(TableSchema::hasPrimaryKey).forEach(t -> wanted.add(qualified(t)));
        if (wanted.isEmpty() ? exists : wanted.equals(published(publication))) {
            return; // nothing to change
        }
        String name = quote(publication);
        String statement = wanted.isEmpty() ? "CREATE PUBLICATION " + name + ";"
                : (exists ? "ALTER PUBLICATION " + name + " SET TABLE " : "CREATE PUBLICATION " + name + " FOR TABLE ")
                        + String.join(", ", wanted) + ";";
        List<String> notOwned = notOwned(tables.stream().filter(TableSchema::hasPrimaryKey).toList());
        if (!notOwned.isEmpty() || (exists && !ownsPublication)) {
            String whose = !notOwned.isEmpty() ? "only a table's owner may publish it, and '" + user + "' does not own "
                    + String.join(", ", notOwned) : "only its owner may change it, and that is not '" + user + "'";
            throw new TaskProblem("Source user '" + user + "' may not " + (exists ? "change" : "create") + " publication '" + publication
                    + "' for the task's tables on " + where + " (" + whose + "): have the owner or a superuser run " + statement);
        }
        if (!exists && !has("SELECT has_database_privilege(current_database(), 'CREATE')")) {
            throw new TaskProblem("Source user '" + user + "' may not create publication '" + publication + "' on " + where
                    + " (it needs CREATE on the database): run GRANT CREATE ON DATABASE " + quote(database) + " TO " + quote(user)
                    + "; or have a superuser run " + statement);
        }
    }

    private Set<String> published(String publication) throws SQLException {
        Set<String> published = new TreeSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ?")) {
            statement.setString(1, publication);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    published.add(quote(rs.getString(1)) + "." + quote(rs.getString(2)));
                }
            }
        }
        return published;
    }

    private List<String> notOwned(List<TableSchema> tables) throws SQLException {
        List<String> notOwned = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT pg_has_role(c.relowner, 'USAGE')
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?""")) {
            for (TableSchema table : tables) {
                statement.setString(1, table.id().schema());
                statement.setString(2, table.id().table());
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next() && !rs.getBoolean(1)) {
                        notOwned.add(qualified(table));
                    }
                }
            }
        }
        return notOwned;
    }

    private boolean isSuperuser() throws SQLException {
        return has("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
    }

    private boolean has(String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String count(int tables) {
        return tables == 1 ? "1 of the task's tables" : tables + " of the task's tables";
    }

    private static String qualified(TableSchema table) {
        return quote(table.id().schema()) + "." + quote(table.id().table());
    }

    static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
