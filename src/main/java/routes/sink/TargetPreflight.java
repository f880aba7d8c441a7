package routes.sink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import routes.ops.TaskProblem;
import routes.sink.dialect.MariaDbDialect;
import routes.sink.dialect.PostgresDialect;
import routes.sink.dialect.SqlDialect;

/**
 * Whether a JDBC target can take what a task writes (its state in {@code realtime_sync}, the tables it creates), found
 * by reading only, for the {@code check} command. A DuckDB file is not opened unless it exists: opening creates it.
 */
final class TargetPreflight {

    private static final String STATE_SCHEMA = "realtime_sync";

    private final String jdbcUrl;
    /** The URL without its parameters, which may hold a password. */
    private final String shown;
    private final String user;

    TargetPreflight(String jdbcUrl, String shown, String user) {
        this.jdbcUrl = jdbcUrl;
        this.shown = shown;
        this.user = user;
    }

    /** What can be told without a connection: a DuckDB file that could not be created or written. */
    List<TaskProblem> withoutConnecting() {
        Path file = duckDbFile();
        if (file == null) {
            return List.of();
        }
        Path folder = file.toAbsolutePath().getParent();
        if (Files.exists(file) ? !Files.isWritable(file) : folder == null || !Files.isDirectory(folder) || !Files.isWritable(folder)) {
            return List.of(new TaskProblem("Target " + shown + " cannot be written: " + (Files.exists(file) ? "the file " + file
                    : "the folder " + folder) + " is not writable (or missing) for this user. Check TARGET_JDBC_URL."));
        }
        return List.of();
    }

    /** False for a DuckDB file not created yet: the task creates it, and a check must not. */
    boolean exists() {
        Path file = duckDbFile();
        return file == null || Files.exists(file);
    }

    /** The DuckDB database file the URL names; null for another database or an in-memory one. */
    private Path duckDbFile() {
        if (!jdbcUrl.startsWith("jdbc:duckdb:")) {
            return null;
        }
        String path = shown.substring("jdbc:duckdb:".length());
        return path.isBlank() || path.startsWith(":memory:") ? null : Path.of(path);
    }

    /** A read-only server (a standby, read_only) or a user who may create neither the state schema nor tables. */
    List<TaskProblem> writeProblems(Connection c, SqlDialect sql) throws SQLException {
        List<TaskProblem> problems = new ArrayList<>();
        if (sql instanceof PostgresDialect) {
            if ("on".equals(single(c, "SHOW transaction_read_only"))) {
                problems.add(new TaskProblem("Target " + shown + " is read-only (a standby, or default_transaction_read_only is on): "
                        + "point TARGET_JDBC_URL at the primary, or run ALTER DATABASE " + quote(single(c, "SELECT current_database()"))
                        + " SET default_transaction_read_only = off;"));
            }
            boolean mayCreateSchemas = "t".equals(single(c, "SELECT has_database_privilege(current_database(), 'CREATE')"));
            boolean stateSchemaUsable = "t".equals(single(c, "SELECT has_schema_privilege(n.oid, 'CREATE') FROM pg_namespace n "
                    + "WHERE n.nspname = '" + STATE_SCHEMA + "'"));
            if (!mayCreateSchemas && !stateSchemaUsable) {
                String database = single(c, "SELECT current_database()");
                String account = user == null || user.isBlank() ? single(c, "SELECT current_user") : user;
                problems.add(new TaskProblem("Target user '" + account + "' may not create schema " + STATE_SCHEMA + " on " + shown
                        + " (the task keeps its positions there, and creates the target tables): run GRANT CREATE ON DATABASE "
                        + quote(database) + " TO " + quote(account) + ";"));
            }
        } else if (sql instanceof MariaDbDialect && "1".equals(single(c, "SELECT @@read_only"))) {
            problems.add(new TaskProblem("Target " + shown + " is read-only (read_only=ON, a replica?): point TARGET_JDBC_URL at the "
                    + "primary, or run SET GLOBAL read_only = OFF;"));
        }
        return problems;
    }

    private static String single(Connection c, String query) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(query); ResultSet rs = statement.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
