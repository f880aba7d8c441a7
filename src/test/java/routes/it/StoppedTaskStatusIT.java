package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A task that stops on an error after it started (here its target stops taking rows into one table) leaves no table
 * status saying SYNCING: each syncing table says TASK_STOPPED with the reason and the time, a table that had stopped on
 * its own stays STOPPED, and the next start, with the problem fixed, makes the others SYNCING again.
 */
class StoppedTaskStatusIT {

    private PostgresPair pair;
    private Map<String, String> environment;

    @BeforeEach
    void servers() throws Exception {
        pair = new PostgresPair("stopped-status");
        pair.source("CREATE TABLE items (id int PRIMARY KEY, v text)",
                "INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 200) i",
                "CREATE TABLE notes (id int PRIMARY KEY, v text)", "INSERT INTO notes VALUES (1, 'one')");
        // No superuser, so that a revoked privilege binds it; owning the database, it may create the tables it needs.
        target("CREATE ROLE sync_writer LOGIN", "ALTER DATABASE warehouse OWNER TO sync_writer");
        environment = pair.environment();
        environment.put("TARGET_USER", "sync_writer");
    }

    @AfterEach
    void stopServers() throws Exception {
        pair.close();
    }

    @Test
    void aTaskStoppedByAnErrorShowsNoTableSyncingAndItsRestartSyncsAgain() throws Exception {
        Map<String, String> tables = Map.of("public.items", "id", "public.notes", "id");
        String stoppedAfter;
        try (SyncProcess sync = pair.startSync("first", environment)) {
            assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(2)));
            // A table the filtered publication cannot hold stops on its own, and must stay STOPPED throughout.
            pair.source("CREATE TABLE late (id int PRIMARY KEY)", "INSERT INTO late VALUES (1)");
            for (int i = 0; i < 120 && !"STOPPED".equals(statuses().get("public.late")); i++) {
                pair.source("INSERT INTO notes VALUES (" + (100 + i) + ", 'tick')"); // keeps commits coming
                Thread.sleep(500);
            }
            assertEquals(Map.of("public.items", "SYNCING", "public.notes", "SYNCING", "public.late", "STOPPED"), statuses());

            stoppedAfter = targetNow();
            target("REVOKE INSERT, UPDATE ON public.items FROM sync_writer");
            pair.source("UPDATE items SET v = 'changed' WHERE id <= 10", "INSERT INTO items VALUES (201, 'new')");
            assertEquals(1, sync.awaitExit(Duration.ofMinutes(2)), "the task stops with the error:\n" + sync.output());
            assertTrue(sync.output().contains("permission denied for table items"), sync.output());
        }
        assertEquals(Map.of("public.items", "TASK_STOPPED", "public.notes", "TASK_STOPPED", "public.late", "STOPPED"), statuses());
        for (String table : List.of("public.items", "public.notes")) {
            String reason = column("reason", table);
            assertTrue(reason.contains("permission denied for table items"), table + ": " + reason);
            assertEquals("true", column("(updated_at >= '" + stoppedAfter + "')::text", table), table + " updated when the task stopped");
        }
        assertTrue(column("reason", "public.late").startsWith("table public.late was created on the source"), "its own reason kept");

        target("GRANT INSERT, UPDATE ON public.items TO sync_writer");
        pair.source("INSERT INTO notes VALUES (2, 'while stopped')");
        try (SyncProcess sync = pair.startSync("restart", environment)) {
            assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(2)));
            assertEquals(Map.of("public.items", "SYNCING", "public.notes", "SYNCING", "public.late", "STOPPED"), statuses());
            assertEquals("-", column("coalesce(reason, '-')", "public.items"));
            sync.stop();
        }
    }

    private void target(String... statements) throws Exception {
        try (Connection c = pair.target.connect("warehouse"); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private String targetNow() throws Exception {
        try (Connection c = pair.target.connect("warehouse"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT now()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Source table -> status, as an operator reads them (empty before the task created its state tables). */
    private Map<String, String> statuses() throws Exception {
        Map<String, String> statuses = new TreeMap<>();
        try (Connection c = pair.target.connect("warehouse"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT source_table, status FROM realtime_sync.table_status WHERE task = 'postgres-to-postgres'")) {
            while (rs.next()) {
                statuses.put(rs.getString(1), rs.getString(2));
            }
        } catch (java.sql.SQLException e) {
            if (!"42P01".equals(e.getSQLState())) {
                throw e;
            }
        }
        return statuses;
    }

    private String column(String expression, String table) throws Exception {
        try (Connection c = pair.target.connect("warehouse"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + expression + " FROM realtime_sync.table_status WHERE task = 'postgres-to-postgres' "
                        + "AND source_table = '" + table + "'")) {
            assertTrue(rs.next(), "no status for " + table);
            return rs.getString(1);
        }
    }
}
