package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
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
import routes.state.TaskPhase;
import routes.state.TaskRegistry;

/**
 * The chunked full load from MariaDB into PostgreSQL (as COPY text) and into MariaDB (the rows as MariaDB writes them,
 * by multi-row upserts), 20,000 rows a chunk, two at a time, split along a column outside the key that the workload
 * changes, so a row can be read by two chunks, under a live workload: kill -9 in the middle of the load, a restart
 * that goes on with the chunks not done from the same binlog watermark, kills during streaming, and at the end the
 * target equals the source row for row and the transfers keep their sum. The capture engine then streams from the
 * watermark the load saved, reading the tables' structure but no rows.
 * (Every type's values are compared by TypeFidelityIT; these rows are compared in CanonicalRows' cross-engine form.)
 */
class MariaDbChunkedLoadIT {

    private static final int ORDERS = 200_000;
    private static final int ACCOUNTS = 100;

    private static EmbeddedMariaDb source;
    private static EmbeddedPostgresServer postgresTarget;
    private static EmbeddedMariaDb mariaDbTarget;
    private static Path work;

    /** Where a run syncs into: its connection, and the schema its tables land in. */
    private record Target(String jdbcUrl, String user, String schema, CanonicalRows.Side side) {

        String table(String name) {
            return schema + "." + name;
        }

        Map<String, String[]> tables() {
            Map<String, String[]> tables = new LinkedHashMap<>();
            tables.put("orders", new String[] {"shop.orders", table("orders"), "id"});
            tables.put("accounts", new String[] {"shop.accounts", table("accounts"), "id"});
            return tables;
        }
    }

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("rs-it-mariadb-chunks");
        source = new EmbeddedMariaDb();
        postgresTarget = EmbeddedPostgresServer.start(work.resolve("target"));
        postgresTarget.createDatabase("warehouse");
        mariaDbTarget = new EmbeddedMariaDb("--skip-log-bin");
        mariaDbTarget.execute("", "CREATE DATABASE warehouse");
        source.execute("", "CREATE DATABASE shop");
        source.execute("shop",
                """
                CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT, status VARCHAR(16), amount DECIMAL(12,2),
                                     created_at DATETIME(6), paid_at TIMESTAMP(6) NULL, took TIME(6), note TEXT,
                                     flag BOOLEAN, payload JSON)""",
                """
                INSERT INTO orders SELECT seq, seq % 1000, ELT(1 + seq % 3, 'new', 'paid', 'shipped'), seq * 0.37,
                       TIMESTAMP '2020-02-28 23:59:59.123456' + INTERVAL seq MINUTE,
                       IF(seq % 5 = 0, NULL, TIMESTAMP '2024-03-10 06:30:00.5' + INTERVAL seq SECOND),
                       SEC_TO_TIME(CAST(seq AS SIGNED) * 29 % 6000000 - 3000000), IF(seq % 100 = 0, NULL, CONCAT('tab\\t', MD5(seq), '\\\\n')),
                       seq % 2 = 0, JSON_OBJECT('a', seq)
                  FROM seq_1_to_200000""",
                "CREATE TABLE accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)",
                "INSERT INTO accounts SELECT seq, 1000 FROM seq_1_to_100");
    }

    @AfterAll
    static void stopServers() throws Exception {
        source.close();
        postgresTarget.close();
        mariaDbTarget.close();
    }

    @Test
    void intoPostgres() throws Exception {
        killNineDuringChunkedLoadAndStreaming("mariadb-chunks-pg", 1_000_000, new Target(postgresTarget.jdbcUrl("warehouse"), "postgres", "public",
                () -> postgresTarget.connect("warehouse")));
    }

    @Test
    void intoMariaDb() throws Exception {
        killNineDuringChunkedLoadAndStreaming("mariadb-chunks-mariadb", 2_000_000, new Target(mariaDbTarget.url("warehouse"), EmbeddedMariaDb.ADMIN,
                "warehouse", () -> mariaDbTarget.connect("warehouse")));
    }

    /**
     * Run inside this JVM, the task's registry counts the rows the chunks copy (they never pass the route) as read and
     * written, and shows each table's chunks done and rows copied.
     */
    @Test
    void registryCountsTheChunkedLoad() throws Exception {
        postgresTarget.createDatabase("registry");
        long orders = sourceCount("orders");
        long accounts = sourceCount("accounts");
        CamelContext context = new DefaultCamelContext();
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("kamelet:mysql-cdc-source?task=registry&flavour=mariadb&databaseHostname=127.0.0.1&databasePort=" + source.port()
                            + "&databaseUser=" + EmbeddedMariaDb.ADMIN + "&databasePassword=RAW(" + EmbeddedMariaDb.ADMIN_PASSWORD + ")"
                            + "&databaseIncludeList=shop&fullLoadChunkRows=20000&fullLoadParallelism=2")
                            .routeId("registry")
                            .to("kamelet:jdbc-merge-sink?task=registry&jdbcUrl=RAW(" + postgresTarget.jdbcUrl("registry") + ")&username=postgres"
                                    + "&password=RAW(" + PostgresPair.PASSWORD + ")&targetSchema=public");
                }
            });
            context.start();
            SyncTask task = TaskRegistry.of(context).task("registry");
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (task.phase() != TaskPhase.STREAMING) {
                assertTrue(task.failure() == null && System.nanoTime() < deadline, "waiting for the load: " + task);
                Thread.sleep(100);
            }
            assertEquals(orders + accounts, task.rowsRead(), "the rows the chunks read");
            assertEquals(orders + accounts, task.rowsWritten(), "the rows the chunks wrote");
            assertEquals(0, task.rowsRefused());
            SyncTask.TableLoad ordersLoad = task.loads().get(new TableId("shop", "orders"));
            SyncTask.TableLoad accountsLoad = task.loads().get(new TableId("shop", "accounts"));
            assertTrue(ordersLoad.chunks() > 1 && ordersLoad.done(), ordersLoad.toString());
            assertEquals(orders, ordersLoad.rowsCopied());
            assertEquals(new SyncTask.TableLoad(1, 1, accounts), accountsLoad);
            assertEquals(orders, targetSum(new Target(null, null, "public", () -> postgresTarget.connect("registry")),
                    "SELECT count(*) FROM public.orders"));
        } finally {
            context.stop();
        }
    }

    private static long sourceCount(String table) throws Exception {
        try (Connection c = source.connect("shop"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** {@code firstNewId}: the first id the workload inserts, apart for each run on the shared source. */
    private void killNineDuringChunkedLoadAndStreaming(String name, long firstNewId, Target target) throws Exception {
        Path task = taskFile(name, target);
        List<SyncProcess> started = new ArrayList<>();
        try {
            SyncProcess sync = startSync(started, name + "-1", task);
            awaitTargetOrders(sync, target, 1, ORDERS - 1);
            sync.kill9(); // in the middle of the full load
            long partial = targetCount(target, target.table("orders"));
            assertTrue(partial > 0 && partial < ORDERS, "killed mid-load, target had " + partial);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong transactions = new AtomicLong();
            Thread workload = new Thread(() -> runWorkload(firstNewId, running, transactions));
            workload.start();
            try {
                for (int run = 2; run <= 3; run++) {
                    sync = startSync(started, name + "-" + run, task);
                    if (run == 2) {
                        sync.awaitOutput("the full load goes on where it stopped", Duration.ofMinutes(1));
                        assertTrue(targetCount(target, target.table("orders")) >= partial, "the chunks copied before the kill were kept");
                    }
                    Thread.sleep(ThreadLocalRandom.current().nextLong(4_000, 10_000));
                    assertTrue(sync.isAlive(), sync.output());
                    sync.kill9(); // during the load's last chunks or streaming
                }
                sync = startSync(started, name + "-final", task);
                Thread.sleep(3_000);
            } finally {
                running.set(false);
                workload.join();
            }
            assertTrue(transactions.get() > 100, "the workload ran: " + transactions.get());
            assertEquals(Map.of(), CanonicalRows.awaitSame(sync, () -> source.connect("shop"), target.side(), target.tables(),
                    Set.of("payload"), Duration.ofMinutes(4)));
            assertEquals(100_000L, targetSum(target, "SELECT sum(balance) FROM " + target.table("accounts")), "transfers keep the total");
            assertEquals(1L, targetCount(target, "realtime_sync.source_offsets"), "one position, handed over by the full load");
            assertEquals(0L, targetCount(target, "realtime_sync.full_load_chunks"));
            assertFalse(sync.output().contains("Exporting data from table"), "the capture engine read no rows itself:\n" + sync.output());
            assertFalse(sync.output().contains(EmbeddedMariaDb.ADMIN_PASSWORD), "a password was printed");
        } finally {
            for (SyncProcess process : started) {
                process.close(); // a failed check must not leave a sync running
            }
        }
    }

    /** Transfers between accounts (the sum stays) and inserts (ids from firstNewId), updates and deletes of orders, in transactions. */
    private static void runWorkload(long firstNewId, AtomicBoolean running, AtomicLong transactions) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Connection c = source.connect("shop"); Statement s = c.createStatement()) {
            for (long i = 0; running.get(); i++) {
                int from = 1 + random.nextInt(ACCOUNTS);
                int to = 1 + random.nextInt(ACCOUNTS);
                long id = 1 + random.nextInt(ORDERS);
                s.execute("BEGIN");
                s.execute("UPDATE accounts SET balance = balance - 7 WHERE id = " + from);
                s.execute("UPDATE accounts SET balance = balance + 7 WHERE id = " + to);
                // a new customer_id moves the row to another chunk of the load, which may read it a second time
                s.execute("UPDATE orders SET status = 'w" + i % 10 + "', amount = amount + 1, paid_at = NOW(6), customer_id = "
                        + random.nextInt(1000) + " WHERE id = " + id);
                s.execute("INSERT INTO orders (id, status, amount, created_at) VALUES (" + (firstNewId + i) + ", 'new', 1.5, NOW(6))");
                s.execute("DELETE FROM orders WHERE id = " + (random.nextBoolean() ? firstNewId + i - 3 : id + 1));
                s.execute("COMMIT");
                transactions.incrementAndGet();
                Thread.sleep(2);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path taskFile(String name, Target target) throws Exception {
        String yaml = """
                - route:
                    id: %s
                    from:
                      uri: "kamelet:mysql-cdc-source"
                      parameters:
                %s        databaseIncludeList: shop
                        fullLoadChunkRows: 20000
                        fullLoadParallelism: 2
                        fullLoadSplitKeys: "shop.orders=customer_id"
                      steps:
                        - to:
                            uri: "kamelet:jdbc-merge-sink"
                            parameters:
                              task: %s
                              jdbcUrl: "%s"
                              username: %s
                              password: "RAW(%s)"
                              targetSchema: %s
                """.formatted(name, source.sourceParameters(name, "        "), name, target.jdbcUrl(), target.user(), PostgresPair.PASSWORD,
                        target.schema());
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static SyncProcess startSync(List<SyncProcess> started, String name, Path task) throws Exception {
        SyncProcess sync = SyncProcess.start(work.resolve(name + ".log"), Map.of(), "run", task.toString());
        started.add(sync);
        return sync;
    }

    private static void awaitTargetOrders(SyncProcess sync, Target target, long atLeast, long atMost) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(sync.isAlive(), sync.output());
            long rows = targetCount(target, target.table("orders"));
            if (rows >= atLeast && rows <= atMost) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("target never had between " + atLeast + " and " + atMost + " orders");
    }

    /** Rows of schema.table on the target, or -1 while it does not exist (asked first: a failed query logs a warning). */
    private static long targetCount(Target target, String table) throws Exception {
        String[] name = table.split("\\.");
        if (targetSum(target, "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + name[0]
                + "' AND table_name = '" + name[1] + "'") == 0) {
            return -1; // not created yet
        }
        return targetSum(target, "SELECT count(*) FROM " + table);
    }

    private static long targetSum(Target target, String query) throws Exception {
        try (Connection c = target.side().open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
