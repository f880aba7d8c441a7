package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The table and task commands of the jar ({@code pause}, {@code resume}, {@code resync}, {@code backfill}, {@code stop},
 * {@code start}) against the example PostgreSQL task running in its own JVM: each changes what the API reports, prints
 * one line, and a refusal is exit status 1 with the API's reason.
 */
class TableCommandsIT {

    private static final String TASK = "postgres-to-postgres";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private PostgresPair pair;
    private Map<String, String> environment;
    private String http;

    @BeforeEach
    void servers() throws Exception {
        pair = new PostgresPair("table-commands");
        pair.source("CREATE TABLE items (id int PRIMARY KEY, v text)",
                "INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 100) i",
                "CREATE TABLE other (id int PRIMARY KEY)", "INSERT INTO other SELECT generate_series(1, 10)");
        environment = new LinkedHashMap<>(pair.environment());
        environment.put("REALTIME_SYNC_TOKEN_FILE", pair.work.resolve("api-token").toString());
    }

    @AfterEach
    void stopServers() throws Exception {
        pair.close();
    }

    @Test
    void commandsPauseResumeResyncBackfillStopAndStartThroughTheApi() throws Exception {
        int port = SyncProcess.freePort();
        http = "127.0.0.1:" + port;
        Map<String, String> tables = Map.of("items", "id", "other", "id");
        try (SyncProcess sync = SyncProcess.start(pair.work.resolve("task.log"), environment, "run", "examples/postgres-to-postgres.yaml",
                "--http", http)) {
            assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(2)));
            awaitState("public.items", "SYNCING");

            String paused = command(0, "pause", TASK, "public.items");
            assertTrue(paused.contains("pause: public.items is PAUSED since "), paused);
            assertEquals("PAUSED", state("public.items"));
            pair.source("INSERT INTO items VALUES (101, 'while paused')", "INSERT INTO other VALUES (11)");
            assertEquals(List.of(), pair.awaitSameContents(sync, Map.of("other", "id"), Duration.ofMinutes(1)));
            assertEquals(100, pair.count(false, "items"), "a paused table's changes wait");

            String resumed = command(0, "resume", TASK, "public.items");
            assertTrue(resumed.contains("resume: public.items is SYNCING"), resumed);
            assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(1)));

            // A row the target lost is back after a resync (the source's rows replace the target's).
            try (var c = pair.target.connect("warehouse"); var s = c.createStatement()) {
                s.execute("DELETE FROM items WHERE id <= 10");
            }
            String resynced = command(0, "resync", TASK, "public.items");
            assertTrue(resynced.startsWith("resync: public.items is "), resynced);
            assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(1)));
            awaitState("public.items", "SYNCING");

            try (var c = pair.target.connect("warehouse"); var s = c.createStatement()) {
                s.execute("UPDATE items SET v = 'stale' WHERE id BETWEEN 20 AND 29");
            }
            String backfilled = command(0, "backfill", TASK, "public.items", "--where", "id BETWEEN 20 AND 29");
            assertTrue(backfilled.startsWith("backfill: public.items is "), backfilled);
            assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(1)));

            // Refusals: the API's reason as the last line, exit status 1.
            assertTrue(lastLine(command(1, "pause", TASK, "public.nothing")).contains("has no table 'public.nothing'"));
            assertTrue(lastLine(command(1, "resync", "no-such-task", "public.items")).contains("no task 'no-such-task'"));
            assertTrue(lastLine(command(1, "backfill", TASK, "public.items", "--where", "no_such_column = 1")).startsWith("realtime-sync: "));
            Map<String, String> wrongToken = new LinkedHashMap<>(environment);
            wrongToken.put("REALTIME_SYNC_TOKEN", "n0t-the-t0ken");
            String unauthorized = lastLine(run(wrongToken, 1, "pause", TASK, "public.items"));
            assertTrue(unauthorized.contains("missing or wrong token") && !unauthorized.contains("n0t-the-t0ken"), unauthorized);
            assertEquals("SYNCING", state("public.items"), "a refused call changes nothing");
            assertTrue(lastLine(command(2, "backfill", TASK, "public.items")).contains("--where"));

            assertTrue(command(0, "stop", TASK).contains("stop: task '" + TASK + "' is STOPPED"));
            assertEquals("STOPPED", api("/api/tasks/" + TASK).get("phase").asText());
            assertTrue(lastLine(command(1, "pause", TASK, "public.items")).contains("table operations need a running task"));
            assertTrue(command(0, "start", TASK).contains("start: task '" + TASK + "' is "));
            pair.source("INSERT INTO items VALUES (102, 'after the start')");
            assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(2)));
            assertTrue(lastLine(command(1, "start", TASK)).contains("is running"));
        }
    }

    private String state(String table) throws Exception {
        return api("/api/tasks/" + TASK + "/tables/" + table).get("state").asText();
    }

    private void awaitState(String table, String expected) throws Exception {
        for (int i = 0; i < 120 && !expected.equals(state(table)); i++) {
            Thread.sleep(500);
        }
        assertEquals(expected, state(table));
    }

    private JsonNode api(String path) throws Exception {
        String token = Files.readString(pair.work.resolve("api-token")).strip();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://" + http + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** The command from the jar with {@code --http}, the token from the file the task wrote; its output. */
    private String command(int expectedStatus, String... args) throws Exception {
        return run(environment, expectedStatus, args);
    }

    private String run(Map<String, String> env, int expectedStatus, String... args) throws Exception {
        List<String> withAddress = new java.util.ArrayList<>(List.of(args));
        withAddress.addAll(List.of("--http", http));
        Path log = Files.createTempFile(pair.work, args[0], ".out");
        try (SyncProcess command = SyncProcess.start(log, env, List.of("-Xmx64m"), withAddress.toArray(String[]::new))) {
            assertEquals(expectedStatus, command.awaitExit(Duration.ofMinutes(2)), command.output());
            return command.output();
        }
    }

    private static String lastLine(String output) {
        List<String> lines = output.strip().lines().toList();
        return lines.get(lines.size() - 1);
    }
}
