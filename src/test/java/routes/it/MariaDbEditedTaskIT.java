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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * A MariaDB task edited between runs: a table added to its selection gets its structure, its rows and then its changes
 * while the other tables resume from their positions with nothing loaded again; a table taken out keeps its target rows
 * and shows as DESELECTED; a table whose mapping changed (its target name, then assignments) stops until a resync loads it
 * with the new mapping, and a backfill then maps its rows the same way.
 */
class MariaDbEditedTaskIT {

    private static EmbeddedMariaDb source;
    private static EmbeddedMariaDb target;

    @BeforeAll
    static void servers() throws Exception {
        source = new EmbeddedMariaDb();
        target = new EmbeddedMariaDb("--skip-log-bin");
    }

    @AfterAll
    static void stopServers() throws Exception {
        source.close();
        target.close();
    }

    @Test
    void tableAddedToTheSelectionIsLoadedWhileTheOthersResume() throws Exception {
        source.execute("", "CREATE DATABASE added", "CREATE DATABASE added_later");
        target.execute("", "CREATE DATABASE added_copy");
        source.execute("added", "CREATE TABLE first (id INT PRIMARY KEY, v VARCHAR(40))", "INSERT INTO first VALUES (1, 'one'), (2, 'two')",
                "CREATE TABLE second (id INT PRIMARY KEY, v VARCHAR(40))",
                "INSERT INTO second SELECT seq, CONCAT('row ', seq) FROM seq_1_to_5000");
        source.execute("added_later", "CREATE TABLE third (id INT PRIMARY KEY, v VARCHAR(40))", "INSERT INTO third VALUES (1, 'one')");
        Path work = Files.createTempDirectory("rs-edited");
        try (SyncProcess sync = startSync(work, "added", "added", "run-1", "tableIncludeList: added.first")) {
            await(sync, "the full load of first", () -> same("added", "first", "added_copy"));
            sync.stop();
        }
        // A row only the target has shows whether first is loaded again.
        target.execute("added_copy", "UPDATE first SET v = 'kept by the target' WHERE id = 1");
        source.execute("added", "UPDATE second SET v = 'changed while away' WHERE id <= 100", "INSERT INTO first VALUES (3, 'while away')");

        // second lies in a database the task captured; third in one it did not (its structure is not in the history).
        try (SyncProcess sync = startSync(work, "added", "added,added_later", "run-2",
                "tableIncludeList: \"added.first,added.second,added_later.third\"")) {
            source.execute("added", "DELETE FROM second WHERE id > 4900", "INSERT INTO second VALUES (9000, 'after the restart')",
                    "INSERT INTO first VALUES (4, 'after the restart')");
            await(sync, "the added tables", () -> same("added", "second", "added_copy") && same("added_later", "third", "added_copy"));
            source.execute("added", "UPDATE second SET v = 'streamed' WHERE id = 9000");
            source.execute("added_later", "INSERT INTO third VALUES (2, 'streamed')", "UPDATE third SET v = 'changed' WHERE id = 1");
            await(sync, "their changes", () -> same("added", "second", "added_copy") && same("added_later", "third", "added_copy"));
            await(sync, "first to resume", () -> digest(target, "added_copy", "first", "id > 1").equals(digest(source, "added", "first", "id > 1")));
            assertEquals("kept by the target", value("added_copy", "first", 1), "first is not loaded again");
            String output = sync.output();
            assertTrue(output.contains("table added.second is new to the task since its last run"), output);
            assertTrue(output.contains("table added_later.third is new to the task since its last run"), output);
            assertFalse(output.contains("Encountered change event"), output);
            sync.stop();
        }

        // first leaves the selection: it stays on the target as it was, and the log, the status and the API say so.
        String firstBefore = digest(target, "added_copy", "first", "true");
        int port = SyncProcess.freePort();
        try (SyncProcess sync = startSync(work, "added", "added,added_later", "run-3",
                "tableIncludeList: \"added.second,added_later.third\"", "--http", "127.0.0.1:" + port)) {
            source.execute("added", "INSERT INTO first VALUES (5, 'not synced')", "INSERT INTO second VALUES (9001, 'synced')");
            await(sync, "second to go on", () -> same("added", "second", "added_copy"));
            assertEquals(firstBefore, digest(target, "added_copy", "first", "true"), "a table out of the selection keeps its rows");
            assertTrue(sync.output().contains("table added.first left the task's selection"), sync.output());
            assertEquals("DESELECTED", status("added", "added.first"));
            String token = Files.readString(work.resolve("run-3.log.token")).strip();
            HttpResponse<String> tables = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/tasks/added/tables")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode first = null;
            for (JsonNode table : new ObjectMapper().readTree(tables.body())) {
                first = table.get("table").asText().equals("added.first") ? table : first;
            }
            assertTrue(first != null && first.get("state").asText().equals("DESELECTED")
                    && first.get("reason").asText().startsWith("left the task's selection"), tables.body());
            sync.stop();
        }

        // second's target name changes: it stops until a resync loads it into its new target; third goes on.
        String secondBefore = digest(target, "added_copy", "second", "true");
        port = SyncProcess.freePort();
        String renamed = "sink: targetTable: '${table_name/^second$/second_v2}'";
        try (SyncProcess sync = startSync(work, "added", "added,added_later", "run-4",
                "tableIncludeList: \"added.second,added_later.third\"", renamed, "--http", "127.0.0.1:" + port)) {
            sync.awaitOutput("table added.second is stopped: its mapping", Duration.ofMinutes(2));
            await(sync, "the status to be committed", () -> "STOPPED".equals(status("added", "added.second")));
            source.execute("added", "INSERT INTO second VALUES (9002, 'while stopped')");
            source.execute("added_later", "INSERT INTO third VALUES (3, 'goes on')");
            await(sync, "third to go on", () -> same("added_later", "third", "added_copy"));
            assertEquals(secondBefore, digest(target, "added_copy", "second", "true"), "no row in the new shape is mixed in");
            String token = Files.readString(work.resolve("run-4.log.token")).strip();
            HttpResponse<String> resync = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/tasks/added/tables/added.second/resync")).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, resync.statusCode(), resync.body());
            await(sync, "the resync into the new target", () -> digest(target, "added_copy", "second_v2", "true")
                    .equals(digest(source, "added", "second", "true")) && "SYNCING".equals(status("added", "added.second")));
            source.execute("added", "UPDATE second SET v = 'after the resync' WHERE id = 9002");
            await(sync, "its changes", () -> digest(target, "added_copy", "second_v2", "true").equals(digest(source, "added", "second", "true")));
            sync.stop();
        }
        try (SyncProcess sync = startSync(work, "added", "added,added_later", "run-5",
                "tableIncludeList: \"added.second,added_later.third\"", renamed)) {
            source.execute("added", "INSERT INTO second VALUES (9003, 'after the restart')");
            await(sync, "the new mapping to be the one its rows reflect",
                    () -> digest(target, "added_copy", "second_v2", "true").equals(digest(source, "added", "second", "true")));
            assertEquals("SYNCING", status("added", "added.second"));
            sync.stop();
        }

        // Assignments added: second stops; its resync, under concurrent writes, rebuilds second_v2 with the assigned
        // columns, its rows as the stream writes them; a backfill then repairs only the rows its filter selects.
        port = SyncProcess.freePort();
        try (SyncProcess sync = startSync(work, "added", "added,added_later", "run-6", "tableIncludeList: \"added.second,added_later.third\"",
                renamed, "sink: assignments: \"RAW(origin varchar(16)='run-6';op varchar(16)=${operation})\"", "--http", "127.0.0.1:" + port)) {
            sync.awaitOutput("table added.second is stopped: its mapping", Duration.ofMinutes(2));
            await(sync, "the status to be committed", () -> "STOPPED".equals(status("added", "added.second")));
            String token = Files.readString(work.resolve("run-6.log.token")).strip();
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                for (int i = 0; writing.get(); i++) {
                    try {
                        source.execute("added", "UPDATE second SET v = 'during " + i + "' WHERE id = " + (1 + i % 900),
                                "INSERT INTO second VALUES (" + (20_000 + i) + ", 'new " + i + "')", "DELETE FROM second WHERE id = " + (1001 + i % 400));
                        Thread.sleep(5);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            writer.start();
            try {
                Thread.sleep(300);
                HttpResponse<String> resync = post(port, token, "/api/tasks/added/tables/added.second/resync", null);
                assertEquals(202, resync.statusCode(), resync.body());
                await(sync, "the resync with the new mapping", () -> "SYNCING".equals(status("added", "added.second")));
                Thread.sleep(500);
            } finally {
                writing.set(false);
                writer.join();
            }
            await(sync, "second_v2 to equal the source", () -> digest(target, "added_copy", "second_v2", "true")
                    .equals(digest(source, "added", "second", "true")));
            assertEquals(0L, count("second_v2", "NOT (origin <=> 'run-6') OR op NOT IN ('full_load', 'insert', 'update')"),
                    "every row has its assigned values");
            assertEquals(1L, count("second_v2", "id = 3000 AND op = 'full_load'"), "a row the resync copied is a full-load row");

            target.execute("added_copy", "UPDATE second_v2 SET v = 'drifted', origin = NULL WHERE id <= 20 OR id BETWEEN 3900 AND 3910");
            HttpResponse<String> backfill = post(port, token, "/api/tasks/added/tables/added.second/backfill", "{\"where\": \"id <= 20\"}");
            assertEquals(202, backfill.statusCode(), backfill.body());
            await(sync, "the backfill", () -> count("second_v2", "v = 'drifted'") == 11 && "SYNCING".equals(status("added", "added.second")));
            assertEquals(0L, count("second_v2", "id <= 20 AND NOT (origin <=> 'run-6' AND op = 'full_load')"), "backfilled rows carry the mapping");
            assertEquals(11L, count("second_v2", "id BETWEEN 3900 AND 3910 AND v = 'drifted' AND origin IS NULL"), "rows outside the filter stay");
        }
    }

    private static HttpResponse<String> post(int port, String token, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long count(String table, String where) throws Exception {
        try (Connection c = target.connect("added_copy"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String status(String task, String table) throws Exception {
        try (Connection c = target.connect("realtime_sync"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT status FROM table_status WHERE task = '" + task + "' AND source_table = '" + table + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * examples/mysql-to-mysql.yaml as {@code task}, from the {@code databases} into database {@code task_copy};
     * {@code parameters} are more source parameters, one a line, sink parameters ({@code sink: name: value}) and run
     * options ({@code --http}, its value).
     */
    private static SyncProcess startSync(Path work, String task, String databases, String name, String... parameters) throws Exception {
        String example = Files.readString(Path.of("examples/mysql-to-mysql.yaml"));
        String anchor = "        databaseIncludeList: \"{{SOURCE_DATABASE}}\"\n";
        List<String> options = new ArrayList<>(List.of("run"));
        StringBuilder lines = new StringBuilder();
        StringBuilder sinkLines = new StringBuilder();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].startsWith("--")) {
                options.add(parameters[i]);
                options.add(parameters[++i]);
            } else if (parameters[i].startsWith("sink: ")) {
                sinkLines.append("              ").append(parameters[i].substring("sink: ".length())).append('\n');
            } else {
                lines.append("        ").append(parameters[i]).append('\n');
            }
        }
        String sinkAnchor = "              password: \"RAW({{TARGET_PASSWORD}})\"\n";
        String yaml = example.replace("task: mysql-to-mysql", "task: " + task).replace(anchor, anchor + lines)
                .replace(sinkAnchor, sinkAnchor + sinkLines);
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        Map<String, String> env = source.sourceEnvironment(databases);
        env.put("TARGET_JDBC_URL", target.url(task + "_copy"));
        env.put("TARGET_USER", EmbeddedMariaDb.ADMIN);
        env.put("TARGET_PASSWORD", EmbeddedMariaDb.ADMIN_PASSWORD);
        options.add(1, file.toString());
        return SyncProcess.start(work.resolve(name + ".log"), env, options.toArray(String[]::new));
    }

    private static boolean same(String database, String table, String targetDatabase) throws Exception {
        return digest(source, database, table, "true").equals(digest(target, targetDatabase, table, "true"));
    }

    private static String digest(EmbeddedMariaDb server, String database, String table, String where) throws Exception {
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            s.execute("SET SESSION group_concat_max_len = 100000000");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(MD5(GROUP_CONCAT(id, ':', v ORDER BY id SEPARATOR '|')), '-') FROM "
                    + table + " WHERE " + where)) {
                rs.next();
                return rs.getString(1) + ":" + rs.getString(2);
            } catch (java.sql.SQLException missing) {
                return "missing";
            }
        }
    }

    private static String value(String database, String table, int id) throws Exception {
        try (Connection c = target.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM " + table + " WHERE id = " + id)) {
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
