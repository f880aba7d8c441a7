package routes.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.sink.dialect.SqlDialect;

/**
 * The writer's one connection to the target and its open transaction. Work applied since the last commit is kept,
 * so that when the connection is lost (a transient error by the dialect's judgement) the session reconnects with
 * backoff and replays it: a target that is away for a while delays the task but loses nothing.
 */
public final class TargetSession implements AutoCloseable {

    /** A unit of SQL work; it must be safe to run again on a new connection (our writes are idempotent). */
    public interface Work {
        void run(Connection connection) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(TargetSession.class);

    private final String jdbcUrl;
    private final Properties credentials;
    private final SqlDialect dialect;
    private final Duration maxRetry;
    private final List<Work> uncommitted = new ArrayList<>();
    private Connection connection;

    public TargetSession(String jdbcUrl, String user, String password, SqlDialect dialect, Duration maxRetry) {
        this.jdbcUrl = jdbcUrl;
        this.credentials = credentials(user, password);
        this.dialect = dialect;
        this.maxRetry = maxRetry;
    }

    /**
     * Connection properties with the user and password the task gives; empty ones are left out, so that a target
     * needing none (DuckDB, which shares one database per file among connections of the same settings) gets none.
     */
    static Properties credentials(String user, String password) {
        Properties credentials = new Properties();
        if (user != null && !user.isEmpty()) {
            credentials.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            credentials.setProperty("password", password);
        }
        return credentials;
    }

    /** Runs work once, without retrying: used at start-up, where an unreachable target is a configuration error. */
    public void runOnce(Work work) throws SQLException {
        Connection c = connection();
        try {
            work.run(c);
            c.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw e;
        }
    }

    /** Reads inside the open transaction (so it sees what this task wrote but has not committed yet). */
    public void query(Work work) throws SQLException {
        runWithRetry(work);
    }

    /** Applies work inside the open transaction. */
    public void execute(Work work) throws SQLException {
        runWithRetry(work);
        uncommitted.add(work);
    }

    /** Runs the final work of a transaction (e.g. saving the source position) and commits everything. */
    public void commit(Work last) throws SQLException {
        runWithRetry(c -> {
            last.run(c);
            c.commit();
        });
        uncommitted.clear();
    }

    private void runWithRetry(Work work) throws SQLException {
        long deadline = System.nanoTime() + maxRetry.toNanos();
        long delayMs = 500;
        boolean replay = false;
        while (true) {
            try {
                Connection c = connection();
                if (replay) {
                    for (Work earlier : uncommitted) {
                        earlier.run(c);
                    }
                }
                work.run(c);
                return;
            } catch (SQLException e) {
                if (!dialect.isTransient(e) || System.nanoTime() > deadline) {
                    rollbackQuietly();
                    throw e;
                }
                LOG.warn("Target not reachable ({}); retrying in {} ms with {} uncommitted batches to replay",
                        e.getMessage(), delayMs, uncommitted.size());
                closeQuietly();
                sleep(delayMs);
                delayMs = Math.min(delayMs * 2, 10_000);
                replay = true;
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = TargetConnections.open(jdbcUrl, credentials);
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private void rollbackQuietly() {
        uncommitted.clear();
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                closeQuietly();
            }
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being replaced
            }
            connection = null;
        }
    }

    private static void sleep(long ms) throws SQLException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for the target", e);
        }
    }

    @Override
    public void close() {
        rollbackQuietly();
        closeQuietly();
    }
}
