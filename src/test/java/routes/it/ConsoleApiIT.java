package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the web console reads, from the example PostgreSQL task run as users run it: per-table figures, the last hour
 * of the task and a table, a table's schema changes with their outcome, the rows the target refused, the column
 * mapping, and the task's YAML without any password, each with the token and 404 for what does not exist.
 */
class ConsoleApiIT {

    private static final String TASK = "postgres-to-postgres";
    private static final String TOKEN = "console-api-it-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> bodies = new ArrayList<>();
    private PostgresPair pair;
    private String base;

    @BeforeEach
    void servers() throws Exception {
        pair = new PostgresPair("console-api");
        pair.source("CREATE TABLE items (id int PRIMARY KEY, v text, n int)",
                "INSERT INTO items SELECT i, 'item ' || i, i FROM generate_series(1, 100) i");
        // The target's own rule refuses rows the source allows: such a row is kept as a dirty row (a dead letter).
        try (Connection c = pair.target.connect("warehouse"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.items (id int PRIMARY KEY, v text, n int CHECK (n < 100000))");
        }
    }

    @AfterEach
    void stopServers() throws Exception {
        pair.close();
    }

    @Test
    void theConsoleReadsEachTablesFiguresHistorySchemaChangesRefusedRowsMappingAndTheMaskedTask() throws Exception {
        int port = SyncProcess.freePort();
        base = "http://127.0.0.1:" + port;
        Map<String, String> environment = new LinkedHashMap<>(pair.environment());
        environment.put("REALTIME_SYNC_TOKEN", TOKEN);
        // The task file as a user may keep it: the password also written out in a comment.
        Path task = pair.work.resolve("console-task.yaml");
        Files.writeString(task, "# on-call note: the source password is " + PostgresPair.PASSWORD + "\n"
                + Files.readString(Path.of("examples/postgres-to-postgres.yaml")));
        try (SyncProcess sync = SyncProcess.start(pair.work.resolve("console.log"), environment, "run", task.toString(),
                "--http", "127.0.0.1:" + port)) {
            assertEquals(List.of(), pair.awaitSameContents(sync, Map.of("public.items", "id"), Duration.ofMinutes(2)));
            String items = "/api/tasks/" + TASK + "/tables/public.items";

            // A refused row, then a column added on the source, which the target follows (addColumn: apply).
            pair.source("INSERT INTO items VALUES (101, 'too big for the target', 500000)");
            pair.source("ALTER TABLE items ADD COLUMN note text", "INSERT INTO items VALUES (102, 'with a note', 1, 'hello')");
            await(() -> pair.count(false, "items") == 101 && json(get(items + "/schema-changes"), 200).size() > 0
                    && json(get(items + "/refused"), 200).size() > 0, "the change, the refused row and the new column on the target");

            JsonNode table = json(get(items), 200);
            assertEquals("SYNCING", table.get("state").asText());
            assertTrue(table.get("rowsWritten").asLong() >= pair.count(false, "items"), table.toString());
            assertEquals(1, table.get("rowsRefused").asLong(), table.toString());
            assertTrue(table.get("position").asText().startsWith("lsn:"), table.toString());
            assertTrue(table.get("commitLatencySeconds").asDouble() >= 0, table.toString());
            Instant positionTime = Instant.parse(table.get("positionTime").asText());
            Instant updatedAt = Instant.parse(table.get("updatedAt").asText());
            assertFalse(positionTime.isAfter(updatedAt), table.toString());
            assertTrue(table.get("lastError").isNull(), table.toString());
            if (table.has("fullLoad")) {
                assertTrue(table.get("fullLoad").has("rowsTotal"), table.toString());
                assertEquals(0, table.get("fullLoad").get("etaSeconds").asLong(), "done: " + table);
            }
            assertEquals(table.get("table"), json(get("/api/tasks/" + TASK + "/tables"), 200).get(0).get("table"));

            JsonNode changes = json(get(items + "/schema-changes"), 200);
            assertEquals(1, changes.size(), changes.toString());
            JsonNode change = changes.get(0);
            assertEquals("ADD_COLUMN", change.get("kind").asText(), change.toString());
            assertEquals("APPLY", change.get("policy").asText());
            assertEquals("APPLIED", change.get("outcome").asText());
            assertTrue(change.get("description").asText().contains("note"), change.toString());
            Instant.parse(change.get("at").asText());

            JsonNode refusedRows = json(get(items + "/refused"), 200);
            assertEquals(1, refusedRows.size(), refusedRows.toString());
            JsonNode refused = refusedRows.get(0);
            assertEquals("{\"id\":101}", refused.get("key").asText(), refused.toString());
            assertTrue(refused.get("row").asText().contains("500000"), refused.toString());
            assertTrue(refused.get("reason").asText().contains("check constraint"), refused.toString());
            Instant.parse(refused.get("at").asText());

            List<String> mapping = new ArrayList<>();
            json(get(items + "/mapping"), 200).forEach(column -> mapping.add(column.get("sourceColumn").asText() + " "
                    + column.get("sourceType").asText() + " -> " + column.get("targetColumn").asText() + " " + column.get("targetType").asText()));
            assertEquals(List.of("id integer -> id integer", "v text -> v text", "n integer -> n integer", "note text -> note text"), mapping);

            // Sampled every 10 s: the latest point of the task and of the table counts what the target holds.
            await(() -> last(json(get("/api/tasks/" + TASK + "/history?minutes=60"), 200)).get("rowsWritten").asLong()
                    >= pair.count(false, "items"), "a point taken after the last change");
            JsonNode history = json(get("/api/tasks/" + TASK + "/history"), 200);
            assertEquals(10, history.get("intervalSeconds").asInt());
            JsonNode point = last(history);
            assertTrue(point.get("rowsRead").asLong() >= 102, point.toString());
            assertTrue(point.get("commitLatencySeconds").asDouble() >= 0, point.toString());
            Instant.parse(point.get("at").asText());
            await(() -> last(json(get(items + "/history?minutes=5"), 200)).get("rowsWritten").asLong() >= pair.count(false, "items"),
                    "a point of the table taken after the last change");
            assertEquals(400, get("/api/tasks/" + TASK + "/history?minutes=soon").statusCode());

            JsonNode configuration = json(get("/api/tasks/" + TASK + "/configuration"), 200);
            String yaml = configuration.get("yaml").asText();
            assertTrue(yaml.contains("uri: \"kamelet:postgres-cdc-source\"") && yaml.contains("schemaIncludeList: public"), yaml);
            assertTrue(yaml.contains("databasePassword: ******") && yaml.contains("password: ******"), yaml);
            assertTrue(yaml.contains("the source password is ******"), yaml);

            for (String path : List.of(items + "/history", items + "/schema-changes", items + "/refused", items + "/mapping",
                    "/api/tasks/" + TASK + "/configuration", "/api/tasks/" + TASK + "/history")) {
                assertEquals(401, call(path, null).statusCode(), path + " without a token");
            }
            for (String path : List.of("/history", "/schema-changes", "/refused", "/mapping")) {
                assertEquals(404, get("/api/tasks/" + TASK + "/tables/public.nothing" + path).statusCode(), path);
                assertEquals(404, get("/api/tasks/no-such-task/tables/public.items" + path).statusCode(), path);
            }
            assertEquals(404, get("/api/tasks/no-such-task/history").statusCode());
            assertEquals(404, get("/api/tasks/no-such-task/configuration").statusCode());
            JsonNode openapi = json(get("/api/openapi.json"), 200);
            for (String path : List.of("/api/tasks/{task}/history", "/api/tasks/{task}/configuration", "/api/tasks/{task}/tables/{table}/history",
                    "/api/tasks/{task}/tables/{table}/schema-changes", "/api/tasks/{task}/tables/{table}/refused",
                    "/api/tasks/{task}/tables/{table}/mapping")) {
                assertTrue(openapi.get("paths").has(path), "openapi.json describes " + path);
            }

            for (String body : bodies) {
                assertFalse(body.contains(PostgresPair.PASSWORD), "an answer holds the password: " + body);
            }
            assertFalse(sync.output().contains(PostgresPair.PASSWORD), "the log holds the password");
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up waiting for " + what);
            }
            Thread.sleep(500);
        }
    }

    private static JsonNode last(JsonNode history) {
        JsonNode points = history.get("points");
        return points.size() == 0 ? JSON.createObjectNode().put("rowsWritten", -1) : points.get(points.size() - 1);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return call(path, TOKEN);
    }

    private HttpResponse<String> call(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        bodies.add(response.body());
        return response;
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
