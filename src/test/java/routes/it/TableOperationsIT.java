package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.change.TableId;
import routes.demo.EmbeddedPostgresServer;
import routes.state.SyncTask;
import routes.state.TableOperationRefused;
import routes.state.TableState;
import routes.state.TaskPhase;
import routes.state.TaskRegistry;

/**
 * Pause, resume and resync of one table of a running PostgreSQL -> PostgreSQL task, under a live workload on that table
 * and another: the other table goes on, the paused one stays as it was until resumed, a backfill and a resync repair a
 * target table that drifted from the source, and afterwards both tables equal the source. During a chunked full load,
 * a table moves first (prioritize) and another is taken out (cancel), stopped visibly until a resync loads it.
 */
class TableOperationsIT {

    private static final TableId HOT = new TableId("public", "hot");
    private static final TableId QUIET = new TableId("public", "quiet");
    private static EmbeddedPostgresServer source;
    private static EmbeddedPostgresServer target;

    @BeforeAll
    static void servers() throws Exception {
        Path work = Files.createTempDirectory("rs-it-table-ops");
        source = EmbeddedPostgresServer.start(work.resolve("source"));
        target = EmbeddedPostgresServer.start(work.resolve("target"));
        source.createDatabase("shop");
        target.createDatabase("warehouse");
        sql(source, "shop", "CREATE TABLE hot (id int PRIMARY KEY, v int, note text)", "CREATE TABLE quiet (id int PRIMARY KEY, v int)",
                "INSERT INTO hot SELECT i, i, md5(i::text) FROM generate_series(1, 20000) i",
                "INSERT INTO quiet SELECT i, i FROM generate_series(1, 1000) i");
    }

    @AfterAll
    static void stopServers() throws Exception {
        target.close();
        source.close();
    }

    @Test
    void pauseResumeAndResyncOneTableWhileTheTaskStreams() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:postgres-cdc-source?task=ops&databaseHostname=localhost&databasePort=" + source.port()
                        + "&databaseDbname=shop&databaseUser=postgres&tableIncludeList=public.hot,public.quiet"
                        + "&fullLoadChunkRows=3000&fullLoadParallelism=2")
                        .routeId("ops")
                        .to("kamelet:jdbc-merge-sink?task=ops&jdbcUrl=RAW(" + target.jdbcUrl("warehouse") + ")&username=postgres");
            }
        });
        context.start();
        try (Workload workload = new Workload()) {
            SyncTask task = TaskRegistry.of(context).find("ops");
            await("the full load", () -> task.phase() == TaskPhase.STREAMING && count("hot") == 20000);
            workload.start();
            await("changes to stream", () -> workload.done() > 200);

            // Pause: the hot table stays as it was while the quiet one goes on.
            task.awaitWriter(10).pause(HOT);
            await("the pause to commit", () -> "PAUSED".equals(status(HOT)));
            String pausedHot = digest(target, "warehouse", "hot");
            String quietBefore = digest(target, "warehouse", "quiet");
            long done = workload.done();
            await("more changes", () -> workload.done() > done + 300);
            await("the quiet table to move on", () -> !digest(target, "warehouse", "quiet").equals(quietBefore));
            assertEquals(pausedHot, digest(target, "warehouse", "hot"), "a paused table does not change");
            assertTrue(held() > 0, "its changes are held");
            assertEquals(TableState.PAUSED, task.tables().get(HOT).state());

            task.awaitWriter(10).resume(HOT);
            await("the resume to commit", () -> "SYNCING".equals(status(HOT)));
            assertEquals(0, held());

            // A backfill copies anew the source rows its filter selects, merged with the changes made meanwhile; rows
            // outside it stay as they are (here: as drifted by hand).
            sql(target, "warehouse", "UPDATE hot SET note = 'drifted' WHERE id BETWEEN 1000 AND 3000 OR id BETWEEN 9000 AND 11000",
                    "DELETE FROM hot WHERE id BETWEEN 2000 AND 2100");
            TableOperationRefused badFilter = assertThrows(TableOperationRefused.class,
                    () -> task.awaitWriter(10).backfill(HOT, "id = 1; DROP TABLE hot"));
            assertTrue(badFilter.getMessage().contains("one condition"), badFilter.getMessage());
            badFilter = assertThrows(TableOperationRefused.class, () -> task.awaitWriter(10).backfill(HOT, "no_such_column = 1"));
            assertTrue(badFilter.getMessage().contains("no_such_column"), badFilter.getMessage());
            task.awaitWriter(10).backfill(HOT, "id BETWEEN 1000 AND 3000");
            assertEquals(TableState.BACKFILLING, task.tables().get(HOT).state());
            await("the backfill to finish", () -> task.tables().get(HOT).state() == TableState.SYNCING && held() == 0);
            workload.pause();
            await("the backfilled rows to equal the source", () -> digest(source, "shop", "hot", "id BETWEEN 1000 AND 3000")
                    .equals(digest(target, "warehouse", "hot", "id BETWEEN 1000 AND 3000")));
            assertTrue(count("hot WHERE id BETWEEN 9000 AND 11000 AND note = 'drifted'") > 1000, "rows outside the filter stay");
            workload.resume();

            // The target drifts from the source (rows lost, values changed by hand); a resync repairs it while the
            // workload goes on, and the table stays readable meanwhile.
            sql(target, "warehouse", "DELETE FROM hot WHERE id % 7 = 0", "UPDATE hot SET note = 'drifted' WHERE id % 5 = 0");
            long drifted = count("hot");
            AtomicLong fewest = new AtomicLong(Long.MAX_VALUE);
            task.awaitWriter(10).resync(HOT);
            await("the resync to finish", () -> {
                fewest.accumulateAndGet(count("hot"), Math::min);
                return task.tables().get(HOT).state() == TableState.SYNCING && held() == 0;
            });
            assertTrue(fewest.get() >= drifted - 500, "readers never see the table half loaded: " + fewest + " rows of " + drifted);
            assertEquals("SYNCING", status(HOT));

            workload.close();
            await("both tables to equal the source", () -> digest(source, "shop", "hot").equals(digest(target, "warehouse", "hot"))
                    && digest(source, "shop", "quiet").equals(digest(target, "warehouse", "quiet")));
            assertNotEquals(0, count("hot"));
            assertEquals(0, count("realtime_sync.table_operations"));
        } finally {
            context.stop();
        }
    }

    @Test
    void prioritizeAndCancelTablesOfTheRunningFullLoad() throws Exception {
        sql(source, "shop", "CREATE SCHEMA load",
                "CREATE TABLE load.first (id int PRIMARY KEY, note text)", "CREATE TABLE load.second (id int PRIMARY KEY, note text)",
                "CREATE TABLE load.third (id int PRIMARY KEY, note text)",
                "INSERT INTO load.first SELECT i, repeat(md5(i::text), 4) FROM generate_series(1, 1000000) i",
                "INSERT INTO load.second SELECT i, md5(i::text) FROM generate_series(1, 50000) i",
                "INSERT INTO load.third SELECT i, md5(i::text) FROM generate_series(1, 2000) i", "ANALYZE");
        TableId first = new TableId("load", "first");
        TableId second = new TableId("load", "second");
        TableId third = new TableId("load", "third");
        target.createDatabase("loaded");
        context = loadTask();
        context.start();
        try {
            SyncTask task = TaskRegistry.of(context).find("load");
            var writer = task.awaitWriter(30);
            // As soon as the load runs (one chunk at a time, tables in name order: the first table's 200 chunks first): the small third table
            // goes first, the second is taken out.
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (true) {
                try {
                    writer.prioritize(third);
                    break;
                } catch (TableOperationRefused notYet) {
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                    Thread.sleep(10);
                }
            }
            writer.cancel(second);
            assertEquals(TableState.STOPPED, task.tables().get(second).state());
            await("the third table's rows", () -> count("loaded", "load.third") == 2000);
            assertTrue(count("loaded", "load.first") < 1000000, "the prioritized table was loaded before the first one");
            TableOperationRefused refused = assertThrows(TableOperationRefused.class, () -> writer.cancel(third));
            assertTrue(refused.getMessage().contains("not loading"), refused.getMessage());

            await("the full load", () -> task.phase() == TaskPhase.STREAMING);
            assertEquals(1000000, count("loaded", "load.first"));
            assertEquals(TableState.STOPPED, task.tables().get(second).state());
            assertTrue(count("loaded", "load.second") < 50000);
            assertTrue(statusIn("loaded", "load", second).startsWith("STOPPED full load cancelled"), statusIn("loaded", "load", second));

            // Changes to the stopped table wait for its resync, which loads it and then streams it; it stays stopped
            // across a restart, and the resync works after one.
            sql(source, "shop", "UPDATE load.second SET note = 'changed' WHERE id <= 100", "DELETE FROM load.second WHERE id > 49000",
                    "UPDATE load.third SET note = 'changed' WHERE id <= 10");
            await("the third table's changes", () -> digest(source, "shop", "load.third").equals(digest(target, "loaded", "load.third")));
            context.stop();
            context = loadTask();
            context.start();
            SyncTask restarted = TaskRegistry.of(context).find("load");
            await("the restart", () -> restarted.phase() == TaskPhase.STREAMING);
            assertEquals(TableState.STOPPED, restarted.tables().get(second).state());
            restarted.awaitWriter(10).resync(second);
            await("the resync", () -> restarted.tables().get(second).state() == TableState.SYNCING);
            sql(source, "shop", "INSERT INTO load.second VALUES (60000, 'after')");
            await("every table to equal the source", () -> digest(source, "shop", "load.second").equals(digest(target, "loaded", "load.second"))
                    && digest(source, "shop", "load.third").equals(digest(target, "loaded", "load.third")));
        } finally {
            context.stop();
        }
    }

    private CamelContext context;

    private static CamelContext loadTask() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:postgres-cdc-source?task=load&databaseHostname=localhost&databasePort=" + source.port()
                        + "&databaseDbname=shop&databaseUser=postgres&schemaIncludeList=load&tableIncludeList=load.first,load.second,load.third"
                        + "&fullLoadChunkRows=5000&fullLoadParallelism=1&slotName=load_slot&publicationName=load_pub")
                        .routeId("load")
                        .to("kamelet:jdbc-merge-sink?task=load&jdbcUrl=RAW(" + target.jdbcUrl("loaded") + ")&username=postgres");
            }
        });
        return context;
    }

    /** Transactions on both tables from one client, about 100 a second: updates, inserts and deletes. */
    private static final class Workload implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicBoolean paused = new AtomicBoolean();
        private final AtomicLong done = new AtomicLong();
        private Thread thread;

        void start() {
            running.set(true);
            thread = new Thread(() -> {
                Random random = new Random(7);
                int nextId = 100_000;
                try (Connection c = source.connect("shop"); Statement s = c.createStatement()) {
                    while (running.get()) {
                        if (paused.get()) {
                            Thread.sleep(20);
                            continue;
                        }
                        int id = 1 + random.nextInt(20000);
                        switch (random.nextInt(4)) {
                            case 0 -> s.execute("UPDATE hot SET v = v + 1, note = md5(random()::text) WHERE id = " + id);
                            case 1 -> s.execute("INSERT INTO hot VALUES (" + nextId++ + ", 0, 'new')");
                            case 2 -> s.execute("DELETE FROM hot WHERE id = " + id);
                            default -> s.execute("UPDATE quiet SET v = v + 1 WHERE id = " + (1 + random.nextInt(1000)));
                        }
                        done.incrementAndGet();
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "workload");
            thread.start();
        }

        /** Stops writing for a while, so the target can be compared with the source. */
        void pause() {
            paused.set(true);
        }

        void resume() {
            paused.set(false);
        }

        long done() {
            return done.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                thread.join();
            }
        }
    }

    private static String digest(EmbeddedPostgresServer server, String database, String table) throws Exception {
        return digest(server, database, table, "true");
    }

    private static String digest(EmbeddedPostgresServer server, String database, String table, String where) throws Exception {
        try (Connection c = server.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY id), '')) FROM " + table + " t WHERE " + where)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String status(TableId table) throws Exception {
        try (Connection c = target.connect("warehouse"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT status FROM realtime_sync.table_status WHERE task = 'ops' AND source_table = '" + table + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String statusIn(String database, String task, TableId table) throws Exception {
        try (Connection c = target.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT status || ' ' || coalesce(reason, '') FROM realtime_sync.table_status WHERE task = '" + task
                        + "' AND source_table = '" + table + "'")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    private static long count(String database, String table) throws Exception {
        try (Connection c = target.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long held() throws Exception {
        return count("realtime_sync.held_changes");
    }

    private static long count(String table) throws Exception {
        try (Connection c = target.connect("warehouse"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up waiting for " + what);
            }
            Thread.sleep(300);
        }
    }

    private static void sql(EmbeddedPostgresServer server, String database, String... statements) throws Exception {
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
