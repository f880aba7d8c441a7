package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Full-database mirror from PostgreSQL: a table created on the source while the task runs is created on the target
 * and synced with every row, without a restart (publicationAutocreateMode all_tables).
 */
class PostgresNewTablesIT {

    private PostgresPair pair;

    @BeforeEach
    void servers() throws Exception {
        pair = new PostgresPair("newtables");
        pair.source("CREATE TABLE first (id int PRIMARY KEY, v text)", "INSERT INTO first VALUES (1, 'one')");
    }

    @AfterEach
    void stopServers() throws Exception {
        pair.close();
    }

    @Test
    void tableCreatedWhileRunningIsSynced() throws Exception {
        Path task = pair.work.resolve("mirror-all.yaml");
        Files.writeString(task, Files.readString(Path.of("examples/postgres-to-postgres.yaml"))
                .replace("        schemaIncludeList: public\n", "        schemaIncludeList: public\n        publicationAutocreateMode: all_tables\n"));
        try (SyncProcess sync = SyncProcess.start(pair.work.resolve("mirror-all.log"), pair.environment(), "run", task.toString())) {
            Map<String, String> tables = new LinkedHashMap<>();
            tables.put("public.first", "id");
            assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(2)));

            pair.source("BEGIN; CREATE TABLE \"Later Table\" (id bigint PRIMARY KEY, amount numeric(10,2), at timestamptz); "
                    + "INSERT INTO \"Later Table\" SELECT i, i / 7.0, timestamptz '2024-02-29 12:00:00+05:45' + i * interval '1 minute' "
                    + "FROM generate_series(1, 500) i; COMMIT",
                    "UPDATE \"Later Table\" SET amount = NULL WHERE id % 10 = 0", "DELETE FROM \"Later Table\" WHERE id > 450",
                    "INSERT INTO first VALUES (2, 'two')");
            tables.put("public.\"Later Table\"", "id");
            assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(2)));
        }
    }

    @Test
    void tableTheFilteredPublicationCannotHoldIsStoppedVisibly() throws Exception {
        try (SyncProcess sync = pair.startSync("filtered")) {
            Map<String, String> tables = Map.of("public.first", "id");
            assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(2)));
            pair.source("CREATE TABLE late (id int PRIMARY KEY)", "INSERT INTO late VALUES (1)");
            String status = null;
            for (int i = 0; i < 120 && status == null; i++) {
                pair.source("INSERT INTO first VALUES (" + (100 + i) + ", 'tick')"); // keeps commits coming
                Thread.sleep(500);
                try (var c = pair.target.connect("warehouse"); var s = c.createStatement();
                        var rs = s.executeQuery("SELECT status || ': ' || reason FROM realtime_sync.table_status WHERE source_table = 'public.late'")) {
                    status = rs.next() ? rs.getString(1) : null;
                }
            }
            assertTrue(status != null && status.startsWith("STOPPED: table public.late was created on the source"), String.valueOf(status));
            assertTrue(sync.output().contains("ERROR") && sync.output().contains("publicationAutocreateMode all_tables"), sync.output());
            assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(1)), "the other tables go on");
            sync.stop();
        }
        // While the task is away a table appears: after the restart it is copied (a resync) while its changes stream;
        // the table stopped before stays stopped.
        pair.source("CREATE TABLE later2 (id int PRIMARY KEY)", "INSERT INTO later2 VALUES (1), (2)", "INSERT INTO late VALUES (2)",
                "INSERT INTO first VALUES (1000, 'while away')");
        try (SyncProcess sync = pair.startSync("filtered-restart")) {
            assertEquals(List.of(), pair.awaitSameContents(sync, Map.of("public.first", "id"), Duration.ofMinutes(2)));
            pair.source("INSERT INTO later2 VALUES (3)", "INSERT INTO late VALUES (3)", "INSERT INTO first VALUES (1001, 'after')");
            assertEquals(List.of(), pair.awaitSameContents(sync, Map.of("public.first", "id", "public.later2", "id"), Duration.ofMinutes(1)));
            assertTrue(pair.count(false, "public.late") <= 0, "a stopped table stays stopped: none of its rows are synced");
            try (var c = pair.target.connect("warehouse"); var s = c.createStatement();
                    var rs = s.executeQuery("SELECT status FROM realtime_sync.table_status WHERE source_table = 'public.late'")) {
                assertTrue(rs.next() && rs.getString(1).equals("STOPPED"));
            }
            sync.awaitOutput("table public.later2 is new to the task since its last run", Duration.ofSeconds(10));
        }
    }

    @Test
    void tableAddedToTheSelectionIsLoadedWhileTheOthersResume() throws Exception {
        pair.source("CREATE TABLE second (id int PRIMARY KEY, v text)",
                "INSERT INTO second SELECT i, 'row ' || i FROM generate_series(1, 5000) i");
        try (SyncProcess sync = pair.startSync("only-first", "tableIncludeList: public.first")) {
            assertEquals(List.of(), pair.awaitSameContents(sync, Map.of("public.first", "id"), Duration.ofMinutes(2)));
            sync.stop();
        }
        pair.source("UPDATE second SET v = 'changed while away' WHERE id <= 100", "INSERT INTO first VALUES (3, 'while away')");
        Map<String, String> both = Map.of("public.first", "id", "public.second", "id");
        try (SyncProcess sync = pair.startSync("both", "tableIncludeList: \"public.first,public.second\"")) {
            pair.source("DELETE FROM second WHERE id > 4900", "INSERT INTO second VALUES (9000, 'after the restart')");
            assertEquals(List.of(), pair.awaitSameContents(sync, both, Duration.ofMinutes(2)));
            String output = sync.output();
            assertTrue(output.contains("resuming from the position the target holds"), output);
            assertTrue(output.contains("table public.second is new to the task since its last run"), output);
            assertFalse(output.contains("full load starts"), "the other tables are not loaded again");
        }
    }
}
