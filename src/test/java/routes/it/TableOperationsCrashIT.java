package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Table operations through the operator API of the example task in its own JVM, killed -9 while they run, under a
 * workload of multi-table transactions: a paused table stays paused across the kill; a resync, a backfill and the
 * resync that rebuilds a table stopped by a narrowed column, each killed in the middle of its copy, go on after the
 * restart; and at the end every table equals the source (and transfers keep the total).
 */
class TableOperationsCrashIT {

    private static final String TASK = "postgres-to-postgres";
    private static final String TOKEN = "table-operations-test-token";
    private static final int ORDERS = 500_000;
    private static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("public.orders", "id");
        TABLES.put("public.accounts", "id");
    }

    private static final String[] CHUNKED = {"fullLoadChunkRows: 5000", "fullLoadParallelism: 1"};

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private PostgresPair pair;
    private Map<String, String> environment;
    private String base;

    @BeforeEach
    void servers() throws Exception {
        pair = new PostgresPair("table-ops-crash");
        pair.source(Workload.schema(ORDERS, 100));
        environment = new LinkedHashMap<>(pair.environment());
        environment.put("REALTIME_SYNC_TOKEN", TOKEN);
    }

    @AfterEach
    void stopServers() throws Exception {
        pair.close();
    }

    @Test
    void pauseAndEveryReloadSurviveKillNine() throws Exception {
        int port = SyncProcess.freePort();
        base = "http://127.0.0.1:" + port;
        SyncProcess sync = start("run-1", port);
        assertEquals(List.of(), pair.awaitSameContents(sync, TABLES, Duration.ofMinutes(3)));
        try (Workload workload = new Workload(pair.source)) {
            accepted("accounts", "pause");
            await("accounts paused", () -> "PAUSED".equals(state("accounts")));
            Thread.sleep(2_000); // transfers go on: their account changes are held

            // The target's orders drift from the source; a resync repairs them, killed -9 in the middle of its copy.
            target("UPDATE orders SET note = 'drifted' WHERE id % 3 = 0", "DELETE FROM orders WHERE id % 11 = 0");
            accepted("orders", "resync");
            killMidCopy(sync, "resync");

            sync = start("run-2", port);
            await("the restart", () -> state("orders") != null);
            assertEquals("RESYNCING", state("orders"), "the resync goes on after the restart");
            assertEquals("PAUSED", state("accounts"), "a paused table stays paused");
            await("the resync to finish", () -> "SYNCING".equals(state("orders")));
            accepted("accounts", "resume");
            await("accounts resumed", () -> "SYNCING".equals(state("accounts")));

            // The target drifts again where a filter selects; a backfill of those rows, killed -9 in the middle of its
            // copy, goes on after the restart and merges them with the changes the workload made meanwhile.
            target("UPDATE orders SET note = 'drifted again' WHERE id % 5 = 0 AND id <= 400000",
                    "DELETE FROM orders WHERE id % 13 = 0 AND id <= 400000");
            HttpResponse<String> backfill = call("POST", "/api/tasks/" + TASK + "/tables/public.orders/backfill",
                    "{\"where\": \"id <= 400000\"}");
            assertEquals(202, backfill.statusCode(), backfill.body());
            killMidCopy(sync, "backfill");
            sync = start("run-3", port);
            await("the restart", () -> state("orders") != null);
            assertEquals("BACKFILLING", state("orders"), "the backfill goes on after the restart");
            await("the backfill to finish", () -> "SYNCING".equals(state("orders")));

            // A column narrowed on the source stops the table (its target column cannot follow); the resync that
            // rebuilds it with the new type, killed -9 in the middle of its copy, goes on after the restart too.
            pair.source("ALTER TABLE orders ALTER COLUMN qty TYPE smallint");
            await("orders stopped by the narrowed column", () -> "STOPPED".equals(state("orders")));
            accepted("orders", "resync");
            killMidCopy(sync, "rebuild");
            sync = start("run-4", port);
            await("the restart", () -> state("orders") != null);
            assertEquals("RESYNCING", state("orders"), "the rebuild goes on after the restart");
            await("the rebuild to finish", () -> "SYNCING".equals(state("orders")));
            try (Connection c = pair.target.connect("warehouse"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT data_type FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'qty'")) {
                assertTrue(rs.next());
                assertEquals("smallint", rs.getString(1), "rebuilt with the source's new type");
            }
            assertTrue(workload.transactions() > 100, "the workload ran: " + workload.transactions());
        }
        try (SyncProcess last = sync) {
            assertEquals(List.of(), pair.awaitSameContents(last, TABLES, Duration.ofMinutes(3)));
            assertEquals(0L, pair.count(false, "realtime_sync.held_changes"));
            assertEquals(0L, pair.count(false, "realtime_sync.table_operations"));
            assertEquals(0L, pair.count(false, "realtime_sync.full_load_chunks"));
        }
    }

    private SyncProcess start(String name, int port) throws Exception {
        String example = java.nio.file.Files.readString(java.nio.file.Path.of("examples/postgres-to-postgres.yaml"));
        String anchor = "        schemaIncludeList: public\n";
        java.nio.file.Path file = pair.work.resolve(name + ".yaml");
        java.nio.file.Files.writeString(file, example.replace(anchor, anchor + "        " + String.join("\n        ", CHUNKED) + "\n"));
        return SyncProcess.start(pair.work.resolve(name + ".log"), environment, "run", file.toString(), "--http", "127.0.0.1:" + port);
    }

    private void accepted(String table, String operation) throws Exception {
        HttpResponse<String> response = call("POST", "/api/tasks/" + TASK + "/tables/public." + table + "/" + operation);
        assertEquals(202, response.statusCode(), operation + " " + table + ": " + response.body());
    }

    /** The table's state as the API shows it; null while the API does not answer. */
    private String state(String table) {
        try {
            HttpResponse<String> response = call("GET", "/api/tasks/" + TASK + "/tables/public." + table);
            return response.statusCode() == 200 ? new ObjectMapper().readTree(response.body()).path("state").asText(null) : null;
        } catch (Exception notUpYet) {
            return null;
        }
    }

    private HttpResponse<String> call(String method, String path) throws Exception {
        return call(method, path, null);
    }

    private HttpResponse<String> call(String method, String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Kills the sync -9 once its resync or backfill has copied some chunks, and checks it had not copied them all. */
    private void killMidCopy(SyncProcess sync, String operation) throws Exception {
        try (Connection c = pair.target.connect("warehouse")) {
            await("some chunks of the " + operation, () -> resyncChunks(c)[0] >= 2);
            sync.kill9();
            long[] chunks = resyncChunks(c);
            assertTrue(chunks[0] < chunks[1], operation + " killed in the middle of the copy: " + chunks[0] + " of " + chunks[1] + " chunks done");
        }
    }

    /** The resync's (or backfill's) chunks done and planned, as its ledger in the target says. */
    private static long[] resyncChunks(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(rows_copied), count(*) "
                + "FROM realtime_sync.full_load_chunks WHERE task LIKE 'resync %'")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** Changes the target behind the sync's back; a statement that meets the sync's writer in a deadlock is run again. */
    private void target(String... statements) throws Exception {
        try (Connection c = pair.target.connect("warehouse"); Statement s = c.createStatement()) {
            for (String statement : statements) {
                for (int attempt = 1; ; attempt++) {
                    try {
                        s.execute(statement);
                        break;
                    } catch (java.sql.SQLException e) {
                        if (!"40P01".equals(e.getSQLState()) || attempt == 5) {
                            throw e;
                        }
                    }
                }
            }
        }
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!Boolean.TRUE.equals(condition.call())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
