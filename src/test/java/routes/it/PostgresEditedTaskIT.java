package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A PostgreSQL task edited between runs: a table taken out of its selection keeps its target rows and shows as
 * DESELECTED; a table whose target name changed stops until a resync loads it into its new target.
 */
class PostgresEditedTaskIT {

    private PostgresPair pair;

    @BeforeEach
    void servers() throws Exception {
        pair = new PostgresPair("edited");
        pair.source("CREATE TABLE first (id int PRIMARY KEY, v text)", "INSERT INTO first SELECT i, 'row ' || i FROM generate_series(1, 2000) i",
                "CREATE TABLE second (id int PRIMARY KEY, v text)", "INSERT INTO second VALUES (1, 'one'), (2, 'two')");
    }

    @AfterEach
    void stopServers() throws Exception {
        pair.close();
    }

    @Test
    void tableTakenOutAndTableRemappedAreShownAndNotMixed() throws Exception {
        try (SyncProcess sync = startSync("run-1", "tableIncludeList: \"public.first,public.second\"", null, 0)) {
            assertEquals(List.of(), pair.awaitSameContents(sync, Map.of("public.first", "id", "public.second", "id"), Duration.ofMinutes(2)));
            sync.stop();
        }
        String firstBefore = PostgresPair.digest(pair.target, "warehouse", "public.first", "id");
        String secondBefore = PostgresPair.digest(pair.target, "warehouse", "public.second", "id");
        int port = SyncProcess.freePort();
        try (SyncProcess sync = startSync("run-2", "tableIncludeList: public.first", "targetTable: '${table_name/^first$/first_v2}'", port)) {
            sync.awaitOutput("table public.first is stopped: its mapping", Duration.ofMinutes(2));
            sync.awaitOutput("table public.second left the task's selection", Duration.ofSeconds(10));
            await(sync, "the statuses to be committed", () -> "STOPPED".equals(status("public.first")) && "DESELECTED".equals(status("public.second")));
            pair.source("INSERT INTO first VALUES (5000, 'while stopped')", "INSERT INTO second VALUES (3, 'not synced')");

            String token = Files.readString(pair.work.resolve("run-2.log.token")).strip();
            JsonNode tables = new ObjectMapper().readTree(call(port, token, "GET", "/api/tasks/postgres-to-postgres/tables").body());
            JsonNode second = null;
            for (JsonNode table : tables) {
                second = table.get("table").asText().equals("public.second") ? table : second;
            }
            assertTrue(second != null && second.get("state").asText().equals("DESELECTED")
                    && second.get("reason").asText().startsWith("left the task's selection"), tables.toString());

            assertEquals(202, call(port, token, "POST", "/api/tasks/postgres-to-postgres/tables/public.first/resync").statusCode());
            await(sync, "the resync into the new target", () -> PostgresPair.digest(pair.target, "warehouse", "public.first_v2", "id")
                    .equals(PostgresPair.digest(pair.source, "shop", "public.first", "id")) && "SYNCING".equals(status("public.first")));
            assertEquals(firstBefore, PostgresPair.digest(pair.target, "warehouse", "public.first", "id"), "the old target is not written");
            assertEquals(secondBefore, PostgresPair.digest(pair.target, "warehouse", "public.second", "id"), "a table taken out keeps its rows");
        }
    }

    private static HttpResponse<String> call(int port, String token, String method, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The example task with one more source parameter and, when not null, one more sink parameter; its API on {@code port} (0: any). */
    private SyncProcess startSync(String name, String sourceParameter, String sinkParameter, int port) throws Exception {
        String sourceAnchor = "        schemaIncludeList: public\n";
        String sinkAnchor = "              password: \"RAW({{TARGET_PASSWORD}})\"\n";
        String task = Files.readString(Path.of("examples/postgres-to-postgres.yaml"))
                .replace(sourceAnchor, sourceAnchor + "        " + sourceParameter + "\n")
                .replace(sinkAnchor, sinkAnchor + (sinkParameter == null ? "" : "              " + sinkParameter + "\n"));
        Path file = pair.work.resolve(name + ".yaml");
        Files.writeString(file, task);
        int http = port == 0 ? SyncProcess.freePort() : port;
        return SyncProcess.start(pair.work.resolve(name + ".log"), pair.environment(), "run", file.toString(), "--http", "127.0.0.1:" + http);
    }

    private String status(String table) throws Exception {
        try (Connection c = pair.target.connect("warehouse"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT status FROM realtime_sync.table_status WHERE source_table = '" + table + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void await(SyncProcess sync, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.call()) {
            assertTrue(System.nanoTime() < deadline && sync.isAlive(), "Gave up waiting for " + what + ":\n" + sync.output());
            Thread.sleep(300);
        }
    }
}
