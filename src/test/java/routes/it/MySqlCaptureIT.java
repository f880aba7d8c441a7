package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.demo.EmbeddedPostgresServer;

/**
 * examples/mysql-to-postgres.yaml as a new user runs it, from a real MariaDB into PostgreSQL: the flavour left unset
 * (detected from the server), a table without key beside keyed ones, and the source server going away and coming back.
 */
class MySqlCaptureIT {

    private static EmbeddedMariaDb source;
    private static EmbeddedPostgresServer target;
    private static Path work;

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("rs-it-mycapture");
        source = new EmbeddedMariaDb();
        target = EmbeddedPostgresServer.start(work.resolve("target"));
    }

    @AfterAll
    static void stopServers() throws Exception {
        source.close();
        target.close();
    }

    /** The example's settings for source database {@code database} into target database of the same name, flavour unset. */
    private static SyncProcess startSync(String database, String name) throws Exception {
        Map<String, String> env = source.sourceEnvironment(database);
        env.remove("SOURCE_FLAVOUR");
        env.put("TARGET_JDBC_URL", target.jdbcUrl(database));
        env.put("TARGET_USER", "postgres");
        env.put("TARGET_PASSWORD", PostgresPair.PASSWORD);
        return SyncProcess.start(work.resolve(name + ".log"), env, "run", "examples/mysql-to-postgres.yaml");
    }

    private static Map<String, Object> awaitSame(SyncProcess sync, String database, Map<String, String[]> tables, Duration timeout)
            throws Exception {
        return CanonicalRows.awaitSame(sync, () -> source.connect(database), () -> target.connect(database), tables, Set.of(), timeout);
    }

    private static List<String> query(String database, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = target.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    @Test
    void aTableWithoutKeyStaysOutWhileTheOthersSyncAcrossRestarts() throws Exception {
        source.execute("", "CREATE DATABASE keyless");
        target.createDatabase("keyless");
        source.execute("keyless", "CREATE TABLE orders (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO orders SELECT seq, CONCAT('v', seq) FROM seq_1_to_100",
                "CREATE TABLE nopk_events (msg VARCHAR(40), at DATETIME)",
                "INSERT INTO nopk_events VALUES ('first', NOW())");
        Map<String, String[]> tables = Map.of("orders", new String[] {"keyless.orders", "public.orders", "id"});
        try (SyncProcess sync = startSync("keyless", "keyless-1")) {
            assertEquals(Map.of(), awaitSame(sync, "keyless", tables, Duration.ofMinutes(3)), "after the full load");
            // the flavour was left unset: the server told, and the log says which connector runs
            assertTrue(sync.output().contains("is MariaDB") && sync.output().contains("capturing with Debezium's MariaDB connector"),
                    sync.output());
            source.execute("keyless", "INSERT INTO nopk_events VALUES ('second', NOW())", "UPDATE nopk_events SET msg = 'changed'",
                    "INSERT INTO orders VALUES (101, 'after keyless change')", "UPDATE orders SET v = 'updated' WHERE id <= 10");
            assertEquals(Map.of(), awaitSame(sync, "keyless", tables, Duration.ofMinutes(1)), "changes beside a keyless table");
            assertEquals(List.of("keyless.nopk_events|SKIPPED", "keyless.orders|SYNCING"),
                    query("keyless", "SELECT source_table || '|' || status FROM realtime_sync.table_status ORDER BY 1"));
            sync.stop();
        }
        source.execute("keyless", "DELETE FROM nopk_events WHERE msg = 'first'", "DELETE FROM orders WHERE id > 95",
                "INSERT INTO nopk_events VALUES ('while stopped', NOW())");
        try (SyncProcess sync = startSync("keyless", "keyless-2")) {
            assertEquals(Map.of(), awaitSame(sync, "keyless", tables, Duration.ofMinutes(2)), "after a restart");
            source.execute("keyless", "INSERT INTO nopk_events VALUES ('third', NOW())", "INSERT INTO orders VALUES (200, 'last')");
            assertEquals(Map.of(), awaitSame(sync, "keyless", tables, Duration.ofMinutes(1)), "changes after the restart");
            assertTrue(sync.output().contains("table keyless.nopk_events has no primary key"), sync.output());
        }
    }

    @Test
    void theCaptureReconnectsSoonAfterTheSourceServerIsBack() throws Exception {
        source.execute("", "CREATE DATABASE restarts");
        target.createDatabase("restarts");
        source.execute("restarts", "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO t VALUES (1, 'before')");
        Map<String, String[]> tables = Map.of("t", new String[] {"restarts.t", "public.t", "id"});
        try (SyncProcess sync = startSync("restarts", "restarts")) {
            assertEquals(Map.of(), awaitSame(sync, "restarts", tables, Duration.ofMinutes(3)), "after the full load");
            source.execute("restarts", "INSERT INTO t VALUES (2, 'streamed')");
            assertEquals(Map.of(), awaitSame(sync, "restarts", tables, Duration.ofMinutes(1)), "streaming");

            source.restart(Duration.ofSeconds(5));
            source.execute("restarts", "INSERT INTO t VALUES (3, 'after the restart')");
            long back = System.nanoTime();
            // Debezium's defaults took 100 s here; a bounded backoff reconnects within seconds (wide margin: 2 shared cores)
            assertEquals(Map.of(), awaitSame(sync, "restarts", tables, Duration.ofSeconds(30)),
                    "30 s after the source server came back\n" + sync.output());
            System.out.printf("the change reached the target %.1f s after the source server was back%n", (System.nanoTime() - back) / 1e9);
        }
    }
}
