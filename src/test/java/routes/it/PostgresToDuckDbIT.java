package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * examples/postgres-to-duckdb.yaml as users run it: a real PostgreSQL source into a DuckDB file, full load, every kind
 * of change under a live workload, a kill -9, a restart writing with SQL MERGE, and row-by-row equality at the end.
 * DuckDB lets one process open a file, so the test reads the target only while the sync is stopped.
 */
class PostgresToDuckDbIT {

    private static PostgresPair pair;
    private static Path duckDb;

    /** Source table -> target table and ORDER BY. */
    private static final Map<String, String[]> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("orders", new String[] {"public.orders", "main.orders", "id"});
        TABLES.put("accounts", new String[] {"public.accounts", "main.accounts", "id"});
        TABLES.put("Order Items", new String[] {"public.\"Order Items\"", "main.\"Order Items\"", "\"order\", \"select\""});
    }

    @BeforeAll
    static void servers() throws Exception {
        pair = new PostgresPair("p2duck");
        duckDb = pair.work.resolve("warehouse.duckdb");
    }

    @AfterAll
    static void stopServers() throws Exception {
        pair.close();
    }

    private SyncProcess start(String name, String writeStatement) throws Exception {
        Map<String, String> env = pair.environment();
        env.put("TARGET_JDBC_URL", "jdbc:duckdb:" + duckDb);
        env.put("TARGET_WRITE_STATEMENT", writeStatement);
        return SyncProcess.start(pair.work.resolve(name + ".log"), env, "run", "examples/postgres-to-duckdb.yaml");
    }

    @Test
    void fullLoadChangesCrashAndRestartWithMerge() throws Exception {
        pair.source(Workload.schema(20_000, 100));
        pair.source(
                "CREATE TABLE \"Order Items\" (\"order\" bigint, \"select\" int, \"Größe\" text, \"from\" numeric(20,4), "
                        + "payload jsonb, at timestamptz, tags text[], PRIMARY KEY (\"order\", \"select\"))",
                "INSERT INTO \"Order Items\" SELECT i / 3, i % 3, 'größe ''' || i, i * 1.5, jsonb_build_object('a', i), "
                        + "timestamptz '2024-01-01 00:00:00+02' + i * interval '1 minute', ARRAY['x' || i, NULL] FROM generate_series(1, 3000) i");

        try (Workload workload = new Workload(pair.source)) {
            try (SyncProcess first = start("upsert", "upsert")) {
                awaitLog(first, "full load", Duration.ofMinutes(2));
                pair.source(
                        "UPDATE \"Order Items\" SET \"Größe\" = 'geändert', \"from\" = NULL, tags = ARRAY['a,b', 'it''s'] WHERE \"select\" = 2",
                        "DELETE FROM \"Order Items\" WHERE \"order\" < 10");
                Thread.sleep(8_000);
                first.kill9();
            }
            try (SyncProcess second = start("merge", "merge")) {
                Thread.sleep(8_000);
                assertTrue(second.isAlive(), second.output());
            }
            assertTrue(workload.transactions() > 100, "the workload ran: " + workload.transactions());
        }
        pair.source("INSERT INTO accounts VALUES (-1, 0)"); // the fence: the last change of the source

        // Converge: run, stop, look; each stop is one more restart the target must come through unchanged.
        for (int round = 0; round < 20 && !fenceArrived(); round++) {
            // A round lasts until the sync has committed a position past its full load (or 60 s), so that a stop
            // does not interrupt the snapshot every time.
            try (SyncProcess again = start("converge-" + round, round % 2 == 0 ? "merge" : "upsert")) {
                awaitLog(again, "row changes committed", Duration.ofSeconds(60));
                Thread.sleep(15_000);
                assertTrue(again.isAlive(), again.output());
                int status = again.stop();
                assertTrue(status == 0 || status == 143, "SIGTERM ends the task cleanly, status " + status);
            }
        }
        assertTrue(fenceArrived(), "the last source change reached DuckDB");
        try (Connection source = pair.source.connect("shop"); Connection target = DriverManager.getConnection("jdbc:duckdb:" + duckDb)) {
            for (Map.Entry<String, String[]> table : TABLES.entrySet()) {
                String[] names = table.getValue();
                List<String> onSource = CanonicalRows.of(source, names[0], names[2], Set.of("payload"));
                List<String> onTarget = CanonicalRows.of(target, names[1], names[2], Set.of("payload"));
                assertEquals(onSource.size(), onTarget.size(), table.getKey() + " row count");
                assertEquals(firstDifference(onSource, onTarget), "", table.getKey());
            }
            assertEquals(0, count(target, "realtime_sync.dirty_rows"), "no refused rows");
        }
        for (Path log : List.of(pair.work.resolve("upsert.log"), pair.work.resolve("merge.log"))) {
            assertFalse(Files.readString(log).contains(PostgresPair.PASSWORD), "a password was printed");
        }
    }

    private static void awaitLog(SyncProcess sync, String words, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!sync.output().toLowerCase().contains(words)) {
            assertTrue(sync.isAlive(), sync.output());
            assertTrue(System.nanoTime() < deadline, "no '" + words + "' in the log:\n" + sync.output());
            Thread.sleep(500);
        }
    }

    /** The last source change is on the target, and it came from the stream: the full load is complete. */
    private static boolean fenceArrived() throws SQLException {
        if (!Files.exists(duckDb)) {
            return false;
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckDb)) {
            return count(c, "main.accounts WHERE id = -1") == 1
                    && count(c, "realtime_sync.source_offsets WHERE offset_value NOT LIKE '%\"snapshot_completed\":false%'") == 1;
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("does not exist")) {
                return false;
            }
            throw e;
        }
    }

    private static long count(Connection c, String from) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String firstDifference(List<String> source, List<String> target) {
        List<String> missing = new ArrayList<>(source);
        missing.removeAll(target);
        List<String> extra = new ArrayList<>(target);
        extra.removeAll(source);
        return missing.isEmpty() && extra.isEmpty() ? ""
                : "source only: " + missing.stream().limit(3).toList() + " target only: " + extra.stream().limit(3).toList();
    }
}
