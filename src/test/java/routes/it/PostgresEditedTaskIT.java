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

import routes.demo.EmbeddedPostgresServer;

/**
 * A PostgreSQL task edited between runs: a table taken out of its selection keeps its target rows and shows as
 * DESELECTED; a table whose target name changed stops until a resync loads it into its new target; a table given a
 * typeMapping and assignments stops until a resync rebuilds it with them, and a backfill then maps its rows the same way.
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
            sync.stop();
        }
        remappedTableIsRebuiltAndReloadedWithItsNewMapping();
    }

    /**
     * Assignments and a typeMapping added: the table stops; its resync, under concurrent writes, rebuilds the target
     * table with the mapped type and the assigned columns, its rows as the stream writes them; a backfill then repairs
     * only the rows its filter selects.
     */
    private void remappedTableIsRebuiltAndReloadedWithItsNewMapping() throws Exception {
        int port = SyncProcess.freePort();
        String sink = "targetTable: '${table_name/^first$/first_v2}'\n              typeMapping: \"text=varchar(200)\"\n"
                + "              assignments: \"RAW(origin varchar(16)='run-3';op varchar(16)=${operation};tag varchar(32)=simple:${body.table.table}-${body.key[id]})\"";
        try (SyncProcess sync = startSync("run-3", "tableIncludeList: public.first", sink, port)) {
            sync.awaitOutput("table public.first is stopped: its mapping", Duration.ofMinutes(2));
            await(sync, "the status to be committed", () -> "STOPPED".equals(status("public.first")));
            String token = Files.readString(pair.work.resolve("run-3.log.token")).strip();
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                for (int i = 0; writing.get(); i++) {
                    try {
                        pair.source("UPDATE first SET v = 'during " + i + "' WHERE id = " + (1 + i % 900),
                                "INSERT INTO first VALUES (" + (10_000 + i) + ", 'new " + i + "')", "DELETE FROM first WHERE id = " + (1001 + i % 400));
                        Thread.sleep(5);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            writer.start();
            try {
                Thread.sleep(300);
                HttpResponse<String> resync = call(port, token, "POST", "/api/tasks/postgres-to-postgres/tables/public.first/resync");
                assertEquals(202, resync.statusCode(), resync.body());
                await(sync, "the resync with the new mapping", () -> "SYNCING".equals(status("public.first")));
                Thread.sleep(500);
            } finally {
                writing.set(false);
                writer.join();
            }
            pair.source("INSERT INTO first VALUES (99999, 'last')");
            await(sync, "the target to equal the source as mapped", () -> mapped("public.first_v2").equals(mapped("public.first")));
            assertEquals(List.of("character varying(200)|character varying(16)"), rows(pair.target, "warehouse",
                    "SELECT format_type(v.atttypid, v.atttypmod) || '|' || format_type(o.atttypid, o.atttypmod) FROM pg_attribute v, pg_attribute o "
                            + "WHERE v.attrelid = 'public.first_v2'::regclass AND v.attname = 'v' AND o.attrelid = v.attrelid AND o.attname = 'origin'"));
            assertEquals(List.of("0"), rows(pair.target, "warehouse", "SELECT count(*) FROM public.first_v2 WHERE origin IS DISTINCT FROM 'run-3' "
                    + "OR op NOT IN ('full_load', 'insert', 'update') OR tag IS DISTINCT FROM 'first-' || id"), "every row has its assigned values");
            assertEquals(List.of("full_load"), rows(pair.target, "warehouse", "SELECT op FROM public.first_v2 WHERE id = 1500"),
                    "a row the resync copied is a full-load row");

            // A backfill repairs the rows its filter selects, through the same mapping, and leaves the others as they are.
            try (Connection t = pair.target.connect("warehouse"); Statement st = t.createStatement()) {
                st.execute("UPDATE public.first_v2 SET v = 'drifted', origin = NULL WHERE id <= 20 OR id BETWEEN 1900 AND 1910");
            }
            HttpResponse<String> backfill = call(port, token, "POST", "/api/tasks/postgres-to-postgres/tables/public.first/backfill",
                    "{\"where\": \"id <= 20\"}");
            assertEquals(202, backfill.statusCode(), backfill.body());
            await(sync, "the backfill", () -> rows(pair.target, "warehouse", "SELECT count(*) FROM public.first_v2 WHERE v = 'drifted'").equals(List.of("11")));
            await(sync, "the table to stream again", () -> "SYNCING".equals(status("public.first")));
            assertEquals(List.of("0"), rows(pair.target, "warehouse", "SELECT count(*) FROM public.first_v2 WHERE id <= 20 AND "
                    + "(origin IS DISTINCT FROM 'run-3' OR op <> 'full_load' OR tag <> 'first-' || id)"), "backfilled rows carry the mapping");
            assertEquals(List.of("11"), rows(pair.target, "warehouse", "SELECT count(*) FROM public.first_v2 WHERE id BETWEEN 1900 AND 1910 "
                    + "AND v = 'drifted' AND origin IS NULL"), "rows outside the filter are untouched");
        }
    }

    /** A table's id and v, in id order, as one digest (the target's assigned columns left out). */
    private String mapped(String table) throws Exception {
        EmbeddedPostgresServer server = table.endsWith("_v2") ? pair.target : pair.source;
        return rows(server, table.endsWith("_v2") ? "warehouse" : "shop",
                "SELECT count(*) || ':' || md5(string_agg(id || '=' || v, ',' ORDER BY id)) FROM " + table).get(0);
    }

    private static HttpResponse<String> call(int port, String token, String method, String path) throws Exception {
        return call(port, token, method, path, null);
    }

    private static HttpResponse<String> call(int port, String token, String method, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
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

    /** Each row of a query as its columns joined by '|'. */
    private static List<String> rows(EmbeddedPostgresServer server, String database, String sql) throws Exception {
        List<String> rows = new java.util.ArrayList<>();
        try (Connection c = server.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
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
