package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code run --start-from} and the API's start {"from": ...} on a PostgreSQL source (docs/start-positions.md): latest
 * skips what came before and is applied once, an LSN starts exactly after it, initial reloads every table, and a
 * position the slot no longer holds, a malformed value or one for the other kind of source is one line and nothing
 * else.
 */
class PostgresStartPositionIT {

    private static final String TASK = "postgres-to-postgres";

    private PostgresPair pair;

    @BeforeEach
    void servers() throws Exception {
        pair = new PostgresPair("start-position");
        pair.source("CREATE TABLE items (id int PRIMARY KEY, v text)", "INSERT INTO items VALUES (1, 'before'), (2, 'before')");
    }

    @AfterEach
    void stopServers() throws Exception {
        pair.close();
    }

    @Test
    void latestThenAnLsnThenInitialAndThePositionsItRefuses() throws Exception {
        // latest on a first start: no full load, only the changes after the start.
        try (SyncProcess sync = run("latest-1", "latest")) {
            sync.awaitOutput("the task starts from lsn:", Duration.ofMinutes(2));
            pair.source("INSERT INTO items VALUES (3, 'after latest')");
            await(sync, "SELECT count(*) FROM items WHERE id = 3", 1);
            assertEquals(1, pair.count(false, "items"), "rows from before the start are not loaded");
            assertTrue(sync.output().contains("the tables get no full load"), sync.output());
            sync.stop();
        }
        // The same option again: applied already, so the task resumes and the change made meanwhile arrives.
        pair.source("INSERT INTO items VALUES (4, 'while stopped')");
        try (SyncProcess sync = run("latest-2", "latest")) {
            await(sync, "SELECT count(*) FROM items WHERE id = 4", 1);
            assertTrue(sync.output().contains("was applied at"), sync.output());
            sync.stop();
        }
        // lsn:X: the change committed before X is skipped, the one after it arrives.
        String offsetsBefore = offsets();
        pair.source("INSERT INTO items VALUES (10, 'before the lsn')");
        String lsn = single("SELECT pg_current_wal_insert_lsn()::text");
        pair.source("INSERT INTO items VALUES (11, 'after the lsn')");
        try (SyncProcess sync = run("lsn", "lsn:" + lsn)) {
            await(sync, "SELECT count(*) FROM items WHERE id = 11", 1);
            assertEquals(0, targetCount("SELECT count(*) FROM items WHERE id = 10"), "the change before the LSN " + lsn + " is skipped; before: "
                    + offsetsBefore + "\n" + sync.output());
            String said = sync.output();
            assertTrue(said.contains("--start-from lsn:" + lsn + ": the task starts from lsn:" + lsn + " instead of its committed position")
                    && said.contains("the changes between them are skipped"), said);
            pair.source("INSERT INTO items VALUES (12, 'streamed')");
            await(sync, "SELECT count(*) FROM items WHERE id = 12", 1);
            sync.stop();
        }
        // An LSN before the slot's confirmed position: one line with the way out, the task does not start.
        try (SyncProcess sync = run("expired", "lsn:0/10")) {
            assertEquals(1, sync.awaitExit(Duration.ofMinutes(2)), sync.output());
            String last = lastLine(sync.output());
            assertTrue(last.contains("start position lsn:0/10 is no longer available") && last.contains("confirmed_flush_lsn")
                    && last.contains("--start-from initial"), sync.output());
        }
        // initial on a target that holds a position: every table is resynced, the skipped rows come back.
        try (SyncProcess sync = run("initial", "initial")) {
            assertEquals(List.of(), pair.awaitSameContents(sync, Map.of("items", "id"), Duration.ofMinutes(3)));
            assertTrue(sync.output().contains("resyncs every table"), sync.output());
            pair.source("INSERT INTO items VALUES (13, 'after initial')");
            assertEquals(List.of(), pair.awaitSameContents(sync, Map.of("items", "id"), Duration.ofMinutes(2)));
            sync.stop();
        }
    }

    @Test
    void aMalformedValueOrOneForTheOtherSourceIsOneLine() throws Exception {
        for (String value : List.of("lsn:12345", "binlog:mysql-bin.000003:4", "yesterday")) {
            try (SyncProcess sync = run("bad-" + value.replaceAll("[^a-z0-9]", ""), value)) {
                int exit = sync.awaitExit(Duration.ofMinutes(2));
                String said = sync.output();
                assertTrue(exit == 1 || exit == 2, said);
                assertTrue(lastLine(said).contains("--start-from") && lastLine(said).contains(value), said);
            }
        }
        assertEquals(-1, pair.count(false, "items"), "nothing was written");
    }

    @Test
    void theApiStartsAStoppedTaskFromAPosition() throws Exception {
        int port = SyncProcess.freePort();
        String base = "http://127.0.0.1:" + port + "/api/tasks/" + TASK;
        var environment = new java.util.LinkedHashMap<>(pair.environment());
        environment.put("REALTIME_SYNC_TOKEN_FILE", pair.work.resolve("api-token").toString());
        try (SyncProcess sync = SyncProcess.start(pair.work.resolve("api.log"), environment, "run", "examples/postgres-to-postgres.yaml",
                "--http", "127.0.0.1:" + port)) {
            assertEquals(List.of(), pair.awaitSameContents(sync, Map.of("items", "id"), Duration.ofMinutes(2)));
            String token = Files.readString(pair.work.resolve("api-token")).strip();
            assertEquals(200, post(base + "/stop", token, "").statusCode());
            pair.source("INSERT INTO items VALUES (20, 'while stopped')");
            HttpResponse<String> malformed = post(base + "/start", token, "{\"from\": \"lsn:nope\"}");
            assertEquals(400, malformed.statusCode(), malformed.body());
            assertTrue(malformed.body().contains("--start-from"), malformed.body());
            HttpResponse<String> expired = post(base + "/start", token, "{\"from\": \"lsn:0/10\"}");
            assertEquals(409, expired.statusCode(), expired.body());
            assertTrue(expired.body().contains("no longer available"), expired.body());
            HttpResponse<String> started = post(base + "/start", token, "{\"from\": \"latest\"}");
            assertEquals(200, started.statusCode(), started.body());
            sync.awaitOutput("the API's start {\"from\": \"latest\"}: the task starts from lsn:", Duration.ofMinutes(2));
            pair.source("INSERT INTO items VALUES (21, 'after the start')");
            await(sync, "SELECT count(*) FROM items WHERE id = 21", 1);
            assertEquals(0, targetCount("SELECT count(*) FROM items WHERE id = 20"), "the change made while stopped is skipped");
            assertFalse(sync.output().contains(PostgresPair.PASSWORD));
        }
    }

    private SyncProcess run(String logName, String startFrom) throws Exception {
        return SyncProcess.start(pair.work.resolve(logName + ".log"), pair.environment(), "run", "examples/postgres-to-postgres.yaml",
                "--start-from", startFrom);
    }

    private static HttpResponse<String> post(String url, String token, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }

    private String single(String query) throws SQLException {
        try (Connection c = pair.source.connect("shop"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String offsets() throws SQLException {
        try (Connection c = pair.target.connect("warehouse"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT string_agg(offset_value, ' ') FROM realtime_sync.source_offsets")) {
            rs.next();
            return rs.getString(1) + " at " + single("SELECT pg_current_wal_insert_lsn()::text");
        }
    }

    private long targetCount(String query) throws SQLException {
        try (Connection c = pair.target.connect("warehouse"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Waits until the query gives the expected count on the target. */
    private void await(SyncProcess sync, String query, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long found = -1;
        while (System.nanoTime() < deadline) {
            assertTrue(sync.isAlive(), sync.output());
            try {
                found = targetCount(query);
                if (found == expected) {
                    return;
                }
            } catch (SQLException e) {
                // the table is not there yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(query + " gave " + found + " on the target, not " + expected + ":\n" + sync.output());
    }
}
