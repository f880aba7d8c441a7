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
 * A table stopped by a schema change its target could not follow (a column's type narrowed, the primary key changed)
 * is brought back by a resync, which rebuilds it with the source's current structure and swaps it in, while the
 * task's other table streams throughout and the stopped tables' source keeps changing; afterwards every table equals
 * the source and the rebuilt ones stream their changes again. PostgreSQL -> PostgreSQL and MariaDB -> MariaDB.
 */
class StoppedTableRecoveryIT {

    @Test
    void postgresResyncRebuildsATableStoppedByAnIncompatibleChange() throws Exception {
        Path work = Files.createTempDirectory("rs-it-recovery");
        try (EmbeddedPostgresServer source = EmbeddedPostgresServer.start(work.resolve("source"));
                EmbeddedPostgresServer target = EmbeddedPostgresServer.start(work.resolve("target"))) {
            source.createDatabase("shop");
            target.createDatabase("warehouse");
            Server from = new Server(source::connect, "shop");
            Server to = new Server(target::connect, "warehouse");
            from.execute("CREATE TABLE narrowing (id int PRIMARY KEY, v bigint, note text)",
                    "CREATE TABLE rekeyed (id int PRIMARY KEY, k int NOT NULL, note text)", "CREATE TABLE steady (id int PRIMARY KEY, v int)",
                    "INSERT INTO narrowing SELECT i, i, md5(i::text) FROM generate_series(1, 5000) i",
                    "INSERT INTO rekeyed SELECT i, 1, md5(i::text) FROM generate_series(1, 3000) i",
                    "INSERT INTO steady SELECT i, i FROM generate_series(1, 1000) i");
            CamelContext context = new DefaultCamelContext();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("kamelet:postgres-cdc-source?task=recover&databaseHostname=localhost&databasePort=" + source.port()
                            + "&databaseDbname=shop&databaseUser=postgres&tableIncludeList=public.narrowing,public.rekeyed,public.steady"
                            + "&fullLoadChunkRows=1000&fullLoadParallelism=2")
                            .routeId("recover")
                            .to("kamelet:jdbc-merge-sink?task=recover&jdbcUrl=RAW(" + target.jdbcUrl("warehouse") + ")&username=postgres");
                }
            });
            recover(context, from, to, new Dialect("public", "ALTER TABLE narrowing ALTER COLUMN v TYPE int",
                    "ALTER TABLE rekeyed DROP CONSTRAINT rekeyed_pkey, ADD PRIMARY KEY (id, k)",
                    "SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'narrowing' "
                            + "AND column_name = 'v'", "integer",
                    "SELECT string_agg(a.attname, ',' ORDER BY array_position(i.indkey, a.attnum)) FROM pg_index i "
                            + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                            + "WHERE i.indrelid = 'public.rekeyed'::regclass AND i.indisprimary"));
        } finally {
            EmbeddedPostgresServer.deleteRecursively(work);
        }
    }

    @Test
    void mariaDbResyncRebuildsATableStoppedByAnIncompatibleChange() throws Exception {
        try (EmbeddedMariaDb source = new EmbeddedMariaDb(); EmbeddedMariaDb target = new EmbeddedMariaDb("--skip-log-bin")) {
            source.execute("", "CREATE DATABASE shop");
            target.execute("", "CREATE DATABASE warehouse");
            Server from = new Server(source::connect, "shop");
            Server to = new Server(target::connect, "warehouse");
            from.execute("CREATE TABLE narrowing (id INT PRIMARY KEY, v BIGINT, note VARCHAR(40))",
                    "CREATE TABLE rekeyed (id INT PRIMARY KEY, k INT NOT NULL, note VARCHAR(40))",
                    "CREATE TABLE steady (id INT PRIMARY KEY, v INT)",
                    "INSERT INTO narrowing SELECT seq, seq, MD5(seq) FROM seq_1_to_5000",
                    "INSERT INTO rekeyed SELECT seq, 1, MD5(seq) FROM seq_1_to_3000",
                    "INSERT INTO steady SELECT seq, seq FROM seq_1_to_1000");
            CamelContext context = new DefaultCamelContext();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("kamelet:mysql-cdc-source?task=recover&flavour=mariadb&databaseHostname=127.0.0.1&databasePort=" + source.port()
                            + "&databaseUser=" + EmbeddedMariaDb.ADMIN + "&databasePassword=RAW(" + EmbeddedMariaDb.ADMIN_PASSWORD + ")"
                            + "&databaseIncludeList=shop&fullLoadChunkRows=1000&fullLoadParallelism=2")
                            .routeId("recover")
                            .to("kamelet:jdbc-merge-sink?task=recover&jdbcUrl=RAW(" + target.url("warehouse") + ")&username="
                                    + EmbeddedMariaDb.ADMIN + "&password=RAW(" + EmbeddedMariaDb.ADMIN_PASSWORD + ")");
                }
            });
            recover(context, from, to, new Dialect("shop", "ALTER TABLE narrowing MODIFY COLUMN v INT",
                    "ALTER TABLE rekeyed DROP PRIMARY KEY, ADD PRIMARY KEY (id, k)",
                    "SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'warehouse' AND TABLE_NAME = 'narrowing' "
                            + "AND COLUMN_NAME = 'v'", "int",
                    "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS "
                            + "WHERE TABLE_SCHEMA = 'warehouse' AND TABLE_NAME = 'rekeyed' AND INDEX_NAME = 'PRIMARY'"));
        }
    }

    /** What differs between the two servers: the schema the tables are in, the changes, and how the target's structure is read. */
    private record Dialect(String schema, String narrow, String rekey, String narrowedType, String expectedType, String keyColumns) {
    }

    private static void recover(CamelContext context, Server source, Server target, Dialect dialect) throws Exception {
        TableId narrowing = new TableId(dialect.schema(), "narrowing");
        TableId rekeyed = new TableId(dialect.schema(), "rekeyed");
        context.start();
        try (Workload steady = new Workload(source, "UPDATE steady SET v = v + 1 WHERE id = %d", 1000)) {
            SyncTask task = TaskRegistry.of(context).task("recover");
            await("the full load", () -> task.phase() == TaskPhase.STREAMING && same(source, target, "narrowing")
                    && same(source, target, "rekeyed") && same(source, target, "steady"));
            TaskSink writer = task.awaitWriter(10);
            steady.start();

            // Rows of both tables stream before the changes the target cannot follow, which stop their tables; the
            // other one goes on.
            source.execute("UPDATE narrowing SET note = 'before' WHERE id = 3", "UPDATE rekeyed SET note = 'before' WHERE id = 3");
            await("rows before the changes", () -> same(source, target, "narrowing") && same(source, target, "rekeyed"));
            source.execute(dialect.narrow(), "UPDATE narrowing SET v = 7 WHERE id = 1");
            source.execute(dialect.rekey(), "INSERT INTO rekeyed VALUES (1, 2, 'second row of key 1')");
            await("both tables to stop", () -> task.tables().get(narrowing).state() == TableState.STOPPED
                    && task.tables().get(rekeyed).state() == TableState.STOPPED);
            String before = target.value("SELECT SUM(v) FROM steady");
            await("the other table to go on", () -> !before.equals(target.value("SELECT SUM(v) FROM steady")));
            source.execute("UPDATE narrowing SET note = 'while stopped' WHERE id <= 300", "DELETE FROM narrowing WHERE id > 4900",
                    "INSERT INTO rekeyed SELECT id, 3, note FROM rekeyed WHERE k = 1 AND id <= 200");

            // Each resync rebuilds its table with the source's structure while the source keeps changing it.
            try (Workload narrowed = new Workload(source, "UPDATE narrowing SET v = v + 1, note = 'during' WHERE id = %d", 4900);
                    Workload rekeying = new Workload(source, "INSERT INTO rekeyed VALUES (%d, 9, 'during')", 3000)) {
                narrowed.start();
                rekeying.start();
                writer.resync(narrowing);
                writer.resync(rekeyed);
                await("the resyncs", () -> task.tables().get(narrowing).state() == TableState.SYNCING
                        && task.tables().get(rekeyed).state() == TableState.SYNCING);
                long during = narrowed.done();
                await("changes after the resync", () -> narrowed.done() > during + 100);
            }
            source.execute("UPDATE narrowing SET v = 2000000000 WHERE id = 2", "INSERT INTO rekeyed VALUES (2, 4, 'after')");
            steady.close();
            await("every table to equal the source", () -> same(source, target, "narrowing") && same(source, target, "rekeyed")
                    && same(source, target, "steady"));
            assertEquals(dialect.expectedType(), target.value(dialect.narrowedType()), "the rebuilt table has the source's new type");
            assertEquals("id,k", target.value(dialect.keyColumns()), "the rebuilt table has the source's new key");
            assertTrue(steady.done() > 0);
            assertEquals("0", target.value("SELECT COUNT(*) FROM realtime_sync.table_operations"));
            assertEquals("0", target.value("SELECT COUNT(*) FROM realtime_sync.held_changes"));
        } finally {
            context.stop();
        }
    }

    /** A database on one of the servers. */
    private record Server(Connect connect, String database) {

        interface Connect {
            Connection to(String database) throws SQLException;
        }

        void execute(String... statements) throws SQLException {
            try (Connection c = connect.to(database); Statement s = c.createStatement()) {
                for (String statement : statements) {
                    s.execute(statement);
                }
            }
        }

        String value(String query) throws SQLException {
            try (Connection c = connect.to(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
                return rs.next() ? rs.getString(1) : null;
            }
        }

        /** Every row, ordered by its key, each value as its text. */
        List<String> rows(String table) throws SQLException {
            List<String> rows = new ArrayList<>();
            try (Connection c = connect.to(database); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2")) {
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
    }

    private static boolean same(Server source, Server target, String table) throws SQLException {
        try {
            return source.rows(table).equals(target.rows(table));
        } catch (SQLException missing) {
            return false;
        }
    }

    /** One statement over and over from one client, about 100 a second, {@code %d} a random id up to {@code ids}. */
    private static final class Workload implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicLong done = new AtomicLong();
        private final Server server;
        private final String statement;
        private final int ids;
        private Thread thread;

        Workload(Server server, String statement, int ids) {
            this.server = server;
            this.statement = statement;
            this.ids = ids;
        }

        void start() {
            running.set(true);
            thread = new Thread(() -> {
                Random random = new Random(11);
                int next = ids;
                try (Connection c = server.connect().to(server.database()); Statement s = c.createStatement()) {
                    while (running.get()) {
                        // An INSERT takes new ids; the others pick one of the table's.
                        int id = statement.startsWith("INSERT") ? ++next + 100_000 : 1 + random.nextInt(ids);
                        s.execute(String.format(statement, id));
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
