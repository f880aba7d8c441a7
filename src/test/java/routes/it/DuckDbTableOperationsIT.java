package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import routes.change.TableId;
import routes.demo.EmbeddedPostgresServer;
import routes.state.SyncTask;
import routes.state.TableState;
import routes.state.TaskPhase;
import routes.state.TaskRegistry;
import routes.state.TaskSink;

/**
 * Resync on a DuckDB target from a PostgreSQL source, while the task streams: a table that drifted from the source is
 * copied anew into a staging table and its rows replaced in one transaction, with the changes made meanwhile; a table
 * stopped by a column type the target could not follow is rebuilt with the source's new structure. Afterwards both
 * tables equal the source and stream on.
 */
class DuckDbTableOperationsIT {

    @Test
    void resyncRepairsADriftedTableAndRebuildsAStoppedOne() throws Exception {
        Path work = Files.createTempDirectory("rs-it-duckdb-ops");
        String duckDb = "jdbc:duckdb:" + work.resolve("warehouse.duckdb");
        try (EmbeddedPostgresServer source = EmbeddedPostgresServer.start(work.resolve("source"))) {
            source.createDatabase("shop");
            execute(source.connect("shop"), "CREATE TABLE hot (id int PRIMARY KEY, v int, note text)",
                    "CREATE TABLE narrowing (id int PRIMARY KEY, v bigint)",
                    "INSERT INTO hot SELECT i, i, md5(i::text) FROM generate_series(1, 8000) i",
                    "INSERT INTO narrowing SELECT i, i FROM generate_series(1, 2000) i");
            CamelContext context = new DefaultCamelContext();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("kamelet:postgres-cdc-source?task=duck&databaseHostname=localhost&databasePort=" + source.port()
                            + "&databaseDbname=shop&databaseUser=postgres&tableIncludeList=public.hot,public.narrowing"
                            + "&fullLoadChunkRows=1000&fullLoadParallelism=2")
                            .routeId("duck")
                            .to("kamelet:jdbc-merge-sink?task=duck&jdbcUrl=RAW(" + duckDb + ")");
                }
            });
            context.start();
            TableId hot = new TableId("public", "hot");
            TableId narrowing = new TableId("public", "narrowing");
            try (Workload workload = new Workload(source)) {
                SyncTask task = TaskRegistry.of(context).task("duck");
                await("the full load", () -> task.phase() == TaskPhase.STREAMING && same(source, duckDb, "hot")
                        && same(source, duckDb, "narrowing"));
                TaskSink writer = task.awaitWriter(10);

                // The target drifts (rows lost, values changed by hand); a resync repairs it under the workload.
                execute(DriverManager.getConnection(duckDb), "DELETE FROM main.hot WHERE id % 7 = 0",
                        "UPDATE main.hot SET note = 'drifted' WHERE id % 5 = 0");
                workload.start();
                writer.resync(hot);
                await("the resync", () -> task.tables().get(hot).state() == TableState.SYNCING);
                long done = workload.done();
                await("changes after the resync", () -> workload.done() > done + 100);

                // A narrowed column stops its table; a resync rebuilds it with the new type.
                execute(source.connect("shop"), "ALTER TABLE narrowing ALTER COLUMN v TYPE int", "UPDATE narrowing SET v = 0 WHERE id = 1");
                await("the table to stop", () -> task.tables().get(narrowing).state() == TableState.STOPPED);
                execute(source.connect("shop"), "DELETE FROM narrowing WHERE id > 1900", "UPDATE narrowing SET v = -v WHERE id <= 100");
                writer.resync(narrowing);
                execute(source.connect("shop"), "INSERT INTO narrowing VALUES (5000, 5000)");
                await("the rebuild", () -> task.tables().get(narrowing).state() == TableState.SYNCING);
                execute(source.connect("shop"), "UPDATE narrowing SET v = 2000000000 WHERE id = 2");

                workload.close();
                await("both tables to equal the source", () -> same(source, duckDb, "hot") && same(source, duckDb, "narrowing"));
                try (Connection c = DriverManager.getConnection(duckDb)) {
                    assertEquals("INTEGER", value(c, "SELECT data_type FROM information_schema.columns WHERE table_schema = 'main' "
                            + "AND table_name = 'narrowing' AND column_name = 'v'"));
                    assertEquals("0", value(c, "SELECT count(*) FROM realtime_sync.table_operations"));
                    assertEquals("0", value(c, "SELECT count(*) FROM realtime_sync.held_changes"));
                }
                assertTrue(workload.done() > 100);
            } finally {
                context.stop();
            }
        } finally {
            EmbeddedPostgresServer.deleteRecursively(work);
        }
    }

    private static boolean same(EmbeddedPostgresServer source, String duckDb, String table) throws SQLException {
        try (Connection s = source.connect("shop"); Connection t = DriverManager.getConnection(duckDb)) {
            return rows(s, "public." + table).equals(rows(t, "main." + table));
        } catch (SQLException missing) {
            return false;
        }
    }

    private static List<String> rows(Connection c, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(rs.getString(i)).append('|');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static String value(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void execute(Connection connection, String... statements) throws SQLException {
        try (Connection c = connection; Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** Updates, inserts and deletes of the hot table from one client, about 100 a second. */
    private static final class Workload implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicLong done = new AtomicLong();
        private final EmbeddedPostgresServer source;
        private Thread thread;

        Workload(EmbeddedPostgresServer source) {
            this.source = source;
        }

        void start() {
            running.set(true);
            thread = new Thread(() -> {
                Random random = new Random(3);
                int nextId = 100_000;
                try (Connection c = source.connect("shop"); Statement s = c.createStatement()) {
                    while (running.get()) {
                        int id = 1 + random.nextInt(8000);
                        switch (random.nextInt(3)) {
                            case 0 -> s.execute("UPDATE hot SET v = v + 1, note = md5(random()::text) WHERE id = " + id);
                            case 1 -> s.execute("INSERT INTO hot VALUES (" + nextId++ + ", 0, 'new')");
                            default -> s.execute("DELETE FROM hot WHERE id = " + id);
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

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.call()) {
            assertTrue(System.nanoTime() < deadline, "Gave up waiting for " + what);
            Thread.sleep(300);
        }
    }
}
