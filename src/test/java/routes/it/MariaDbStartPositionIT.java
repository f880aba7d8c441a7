package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.demo.EmbeddedPostgresServer;

/**
 * {@code run --start-from} on a MariaDB source (docs/start-positions.md): binlog:FILE:POS, gtid:SET and
 * timestamp:ISO-8601 each start exactly after the place they name (the change before it is skipped, the one after it
 * arrives), and a purged binlog or a PostgreSQL position is one line and the task does not start.
 */
class MariaDbStartPositionIT {

    private static EmbeddedMariaDb source;
    private static EmbeddedPostgresServer target;
    private static Path work;

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("rs-it-mariadb-start");
        source = new EmbeddedMariaDb();
        target = EmbeddedPostgresServer.start(work.resolve("target"));
        target.createDatabase("journal");
        source.execute("", "CREATE DATABASE shop");
    }

    @AfterAll
    static void stopServers() throws Exception {
        source.close();
        target.close();
    }

    @Test
    void binlogGtidAndTimestampPositionsStartRightAfterThePlaceTheyName() throws Exception {
        source.execute("shop", "CREATE TABLE items (id INT PRIMARY KEY, note VARCHAR(40))", "INSERT INTO items VALUES (1, 'loaded'), (2, 'loaded')");
        try (SyncProcess sync = run("first", null)) {
            await(sync, "SELECT count(*) FROM items", 2);
            sync.stop();
        }

        source.execute("shop", "INSERT INTO items VALUES (10, 'before the binlog position')");
        String[] end = masterStatus();
        source.execute("shop", "INSERT INTO items VALUES (11, 'after the binlog position')");
        try (SyncProcess sync = run("binlog", "binlog:" + end[0] + ":" + end[1])) {
            await(sync, "SELECT count(*) FROM items WHERE id = 11", 1);
            assertEquals(0, count("SELECT count(*) FROM items WHERE id = 10"), sync.output());
            assertTrue(sync.output().contains("the changes between them are skipped"), sync.output());
            sync.stop();
        }

        source.execute("shop", "INSERT INTO items VALUES (20, 'before the gtid')");
        String gtids = single("SELECT @@gtid_binlog_pos");
        source.execute("shop", "INSERT INTO items VALUES (21, 'after the gtid')");
        try (SyncProcess sync = run("gtid", "gtid:" + gtids)) {
            await(sync, "SELECT count(*) FROM items WHERE id = 21", 1);
            assertEquals(0, count("SELECT count(*) FROM items WHERE id = 20"), sync.output());
            sync.stop();
        }

        // Binlog times are whole seconds: the moment lies on a second after the first insert and before the second.
        source.execute("shop", "INSERT INTO items VALUES (30, 'before the moment')");
        Thread.sleep(1500);
        Instant moment = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        Thread.sleep(Math.max(0, moment.toEpochMilli() - System.currentTimeMillis()) + 300);
        source.execute("shop", "INSERT INTO items VALUES (31, 'after the moment')");
        try (SyncProcess sync = run("timestamp", "timestamp:" + moment)) {
            await(sync, "SELECT count(*) FROM items WHERE id = 31", 1);
            assertEquals(0, count("SELECT count(*) FROM items WHERE id = 30"), sync.output());
            assertTrue(sync.output().contains("its first transaction at or after it"), sync.output());
            source.execute("shop", "INSERT INTO items VALUES (32, 'streamed')");
            await(sync, "SELECT count(*) FROM items WHERE id = 32", 1);
            sync.stop();
        }
    }

    @Test
    void aPurgedBinlogOrAPostgresPositionIsOneLine() throws Exception {
        source.execute("shop", "CREATE TABLE IF NOT EXISTS other (id INT PRIMARY KEY)");
        String old = masterStatus()[0];
        source.execute("", "FLUSH BINARY LOGS");
        String oldest = masterStatus()[0];
        source.execute("", "PURGE BINARY LOGS TO '" + oldest + "'");
        try (SyncProcess sync = run("purged", "binlog:" + old + ":4")) {
            assertEquals(1, sync.awaitExit(Duration.ofMinutes(2)), sync.output());
            assertTrue(lastLine(sync.output()).contains("binlog checkpoint expired: " + old + " was purged (oldest is " + oldest
                    + "); start with --start-from initial or resync the tables"), sync.output());
        }
        try (SyncProcess sync = run("wrong-kind", "lsn:0/16B3748")) {
            assertEquals(1, sync.awaitExit(Duration.ofMinutes(2)), sync.output());
            assertTrue(lastLine(sync.output()).contains("--start-from lsn:0/16B3748 is a PostgreSQL position"), sync.output());
        }
    }

    /** examples/mysql-to-postgres.yaml from the MariaDB source into the PostgreSQL target. */
    private static SyncProcess run(String name, String startFrom) throws Exception {
        Map<String, String> env = source.sourceEnvironment("shop");
        env.putAll(Map.of("TARGET_JDBC_URL", target.jdbcUrl("journal"), "TARGET_USER", "postgres", "TARGET_PASSWORD", PostgresPair.PASSWORD));
        return startFrom == null ? SyncProcess.start(work.resolve(name + ".log"), env, "run", "examples/mysql-to-postgres.yaml")
                : SyncProcess.start(work.resolve(name + ".log"), env, "run", "examples/mysql-to-postgres.yaml", "--start-from", startFrom);
    }

    private static String[] masterStatus() throws SQLException {
        try (Connection c = source.connect(""); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    private static String single(String query) throws SQLException {
        try (Connection c = source.connect(""); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }

    private static long count(String query) throws SQLException {
        try (Connection c = target.connect("journal"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void await(SyncProcess sync, String query, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long found = -1;
        while (System.nanoTime() < deadline) {
            assertTrue(sync.isAlive(), sync.output());
            try {
                found = count(query);
                if (found == expected) {
                    return;
                }
            } catch (SQLException e) {
                // not created yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(query + " gave " + found + ", not " + expected + ":\n" + sync.output());
    }
}
