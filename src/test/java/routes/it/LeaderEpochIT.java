package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import routes.demo.EmbeddedPostgresServer;
import routes.sink.dialect.SqlDialect;
import routes.sink.dialect.SqlDialects;

/**
 * The leader epoch's two orders on real PostgreSQL and MariaDB targets (docs/scale-out.md): a commit that checked the
 * epoch holds off a new leader's increment until it is done; an increment that came first is seen by the old leader's
 * check even inside a transaction that began before it (MariaDB's repeatable read).
 */
class LeaderEpochIT {

    private static final String TASK = "epoch-task";

    @Test
    void postgres() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Files.createTempDirectory("rs-it-epoch").resolve("pg"))) {
            server.createDatabase("warehouse");
            Target target = () -> server.connect("warehouse");
            check(SqlDialects.forName("auto", server.jdbcUrl("warehouse")), target,
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE realtime_sync.leader_epochs%'");
        }
    }

    @Test
    void mariaDb() throws Exception {
        try (EmbeddedMariaDb server = new EmbeddedMariaDb("--skip-log-bin")) {
            server.execute("", "CREATE DATABASE warehouse");
            Target target = () -> server.connect("warehouse");
            check(SqlDialects.forName("auto", server.url("warehouse")), target,
                    "SELECT count(*) FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND INFO LIKE 'UPDATE realtime_sync.leader_epochs%'");
        }
    }

    interface Target {
        Connection connect() throws SQLException;
    }

    private static void check(SqlDialect sql, Target target, String lockWaits) throws Exception {
        try (Connection old = target.connect(); Connection next = target.connect(); Connection observer = target.connect()) {
            old.setAutoCommit(false);
            next.setAutoCommit(false);
            sql.createStateTables(old);
            sql.createLeaderEpochs(old);
            assertEquals(1, sql.takeLead(old, TASK));
            old.commit();

            // The old leader's commit checks first: the new leader's increment waits for it, then goes on.
            assertEquals(1, sql.lockedLeaderEpoch(old, TASK));
            CompletableFuture<Long> taking = CompletableFuture.supplyAsync(() -> {
                try {
                    long epoch = sql.takeLead(next, TASK);
                    next.commit();
                    return epoch;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (count(observer, lockWaits) == 0 && !taking.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, count(observer, lockWaits), "the increment waits for the checking commit");
            assertEquals(false, taking.isDone(), "the increment waits for the checking commit");
            old.commit();
            assertEquals(2, taking.get());

            // The increment came first: a transaction that began before it still sees the new epoch when it checks.
            assertEquals(2, count(old, "SELECT epoch FROM realtime_sync.leader_epochs WHERE task = '" + TASK + "'"));
            assertEquals(3, sql.takeLead(next, TASK));
            next.commit();
            assertEquals(3, sql.lockedLeaderEpoch(old, TASK));
            old.rollback();
        }
    }

    private static long count(Connection connection, String query) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
