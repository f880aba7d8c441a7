package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * examples/postgres-append-log.yaml between two real PostgreSQL servers: every source change is in the log exactly
 * once, across a kill -9 in the middle of the stream, and replaying the log by sequence_id gives the source table.
 */
class AppendLogIT {

    private static final int ROUNDS = 1500;
    private static PostgresPair pair;

    @BeforeAll
    static void servers() throws Exception {
        pair = new PostgresPair("append");
    }

    @AfterAll
    static void stopServers() throws Exception {
        pair.close();
    }

    private SyncProcess start(String name, String format) throws Exception {
        Map<String, String> env = pair.environment();
        env.put("APPEND_LOG_FORMAT", format);
        return SyncProcess.start(pair.work.resolve(name + ".log"), env, "run", "examples/postgres-append-log.yaml");
    }

    /** The example as a task of another name, into another target database. */
    private SyncProcess startJournal(String name) throws Exception {
        Map<String, String> env = pair.environment();
        env.put("APPEND_LOG_FORMAT", "json");
        env.put("TARGET_JDBC_URL", pair.target.jdbcUrl("journal"));
        Path task = pair.work.resolve("journal.yaml");
        Files.writeString(task, Files.readString(Path.of("examples/postgres-append-log.yaml")).replace("task: postgres-append-log",
                "task: postgres-journal"));
        return SyncProcess.start(pair.work.resolve(name + ".log"), env, "run", task.toString());
    }

    @Test
    void everyChangeOnceAcrossACrash() throws Exception {
        pair.source(
                "CREATE TABLE items (id int PRIMARY KEY, qty int NOT NULL, note text)",
                "INSERT INTO items SELECT i, 0, 'loaded' FROM generate_series(1, 200) i",
                // With REPLICA IDENTITY FULL the source sends the row before each update and delete.
                "CREATE TABLE \"Full Rows\" (id int PRIMARY KEY, v text)",
                "ALTER TABLE \"Full Rows\" REPLICA IDENTITY FULL",
                "INSERT INTO \"Full Rows\" VALUES (1, 'one'), (2, 'two')");
        try (SyncProcess first = start("first", "flattened")) {
            awaitCount("public.items_log", 200, first);
            Thread feeder = new Thread(AppendLogIT::changes);
            feeder.start();
            awaitCount("public.items_log", 200 + 600, first);
            first.kill9(); // in the middle of the changes
            assertTrue(Long.parseLong(target("SELECT count(*) FROM public.items_log").get(0)) < 200 + 3 * ROUNDS,
                    "the crash came before the last change was written");
            feeder.join();
        }
        pair.source("UPDATE \"Full Rows\" SET v = 'uno' WHERE id = 1", "DELETE FROM \"Full Rows\" WHERE id = 2",
                "INSERT INTO items VALUES (-1, -1, 'fence')");
        try (SyncProcess second = start("second", "flattened")) {
            awaitRows("SELECT count(*) FROM public.items_log WHERE id = -1", 1, second);

            // Exactly one row per change: the full load's 200 inserts, then per round an insert, an update and a delete.
            assertEquals(List.of("D|Y|N|" + ROUNDS, "I|N|Y|" + (200 + ROUNDS + 1), "U|N|Y|" + ROUNDS), target(
                    "SELECT operation_type || '|' || before_image || '|' || after_image || '|' || count(*) FROM public.items_log "
                            + "GROUP BY operation_type, before_image, after_image ORDER BY 1"));
            // Replaying the log in sequence_id order gives the source table.
            List<String> replayed = target("SELECT id || '|' || qty || '|' || coalesce(note, '-') FROM (SELECT DISTINCT ON (id) * "
                    + "FROM public.items_log ORDER BY id, sequence_id DESC) last WHERE operation_type <> 'D' ORDER BY id");
            List<String> source = new ArrayList<>();
            try (Connection c = pair.source.connect("shop"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id || '|' || qty || '|' || coalesce(note, '-') FROM items ORDER BY id")) {
                while (rs.next()) {
                    source.add(rs.getString(1));
                }
            }
            assertEquals(source, replayed);
            // Before images where the source sends them: the update's before and after, the delete's whole row.
            assertEquals(List.of("I|N|Y|1|one", "I|N|Y|2|two", "U|Y|N|1|one", "U|N|Y|1|uno", "D|Y|N|2|two"), target(
                    "SELECT operation_type || '|' || before_image || '|' || after_image || '|' || id || '|' || v "
                            + "FROM public.\"Full Rows_log\" ORDER BY sequence_id"));
            assertEquals(List.of("postgres-append-log|shop|items"), target(
                    "SELECT DISTINCT src_datasource || '|' || src_database || '|' || src_table FROM public.items_log"));
            assertEquals(List.of("true"), target("SELECT bool_and(execute_time > now() - interval '1 hour')::text FROM public.items_log"));
        }
    }

    @Test
    void jsonFormatRecordsSchemaChangesAsRows() throws Exception {
        pair.target.createDatabase("journal");
        pair.source("CREATE TABLE evolving (id int PRIMARY KEY, a text)", "INSERT INTO evolving VALUES (1, 'x')");
        try (SyncProcess sync = startJournal("journal")) {
            awaitRows("journal", "SELECT count(*) FROM public.evolving_log", 1, sync);
            pair.source("ALTER TABLE evolving ADD COLUMN b int", "INSERT INTO evolving VALUES (2, 'y', 7)", "TRUNCATE evolving",
                    "INSERT INTO evolving VALUES (3, 'z', 8)");
            awaitRows("journal", "SELECT count(*) FROM public.evolving_log", 5, sync);
            assertEquals(List.of("I|-|{\"id\":1,\"a\":\"x\"}", "ALTER|ALTER TABLE public.evolving ADD COLUMN b integer|-",
                    "I|-|{\"id\":2,\"a\":\"y\",\"b\":7}", "TRUNCATE|TRUNCATE TABLE public.evolving|-", "I|-|{\"id\":3,\"a\":\"z\",\"b\":8}"),
                    target("journal", "SELECT operation_type || '|' || coalesce(ddl_sql, '-') || '|' || coalesce(data_columns::text, '-') "
                            + "FROM public.evolving_log ORDER BY sequence_id"));
        }
    }

    /** ROUNDS transactions, each inserting a row, updating it, and deleting an older one. */
    private static void changes() {
        try (Connection c = pair.source.connect("shop"); Statement s = c.createStatement()) {
            for (int i = 1; i <= ROUNDS; i++) {
                s.execute("BEGIN; INSERT INTO items VALUES (" + (1000 + i) + ", 0, 'new'); UPDATE items SET qty = qty + 1, note = NULL "
                        + "WHERE id = " + (1000 + i) + "; DELETE FROM items WHERE id = " + (i <= 200 ? i : 1000 + i - 200) + "; COMMIT");
                Thread.sleep(2);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> target(String sql) throws SQLException {
        return target("warehouse", sql);
    }

    private static List<String> target(String database, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = pair.target.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static void awaitCount(String table, long rows, SyncProcess sync) throws Exception {
        awaitRows("SELECT count(*) FROM " + table, rows, sync);
    }

    private static void awaitRows(String sql, long rows, SyncProcess sync) throws Exception {
        awaitRows("warehouse", sql, rows, sync);
    }

    private static void awaitRows(String database, String sql, long rows, SyncProcess sync) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            assertTrue(sync.isAlive(), sync.output());
            try {
                List<String> found = target(database, sql);
                if (Long.parseLong(found.get(0)) >= rows) {
                    return;
                }
            } catch (SQLException e) {
                // not created yet
            }
            assertTrue(System.nanoTime() < deadline, "waiting for " + sql + "\n" + sync.output());
            Thread.sleep(300);
        }
    }
}
