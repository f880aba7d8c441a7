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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.demo.EmbeddedPostgresServer;

/**
 * The chunked full load from MariaDB into PostgreSQL (20,000 rows a chunk, two at a time, split along a column outside
 * the key that the workload changes, so a row can be read by two chunks) under a live workload:
 * kill -9 in the middle of the load, a restart that goes on with the chunks not done from the same binlog watermark,
 * kills during streaming, and at the end the target equals the source row for row and the transfers keep their sum.
 * The capture engine then streams from the watermark the load saved, reading the tables' structure but no rows.
 * (Every type's values are compared by TypeFidelityIT; these rows are compared in CanonicalRows' cross-engine form.)
 */
class MariaDbChunkedLoadIT {

    private static final int ORDERS = 200_000;
    private static final int ACCOUNTS = 100;

    private static EmbeddedMariaDb source;
    private static EmbeddedPostgresServer target;
    private static Path work;

    private static final Map<String, String[]> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("orders", new String[] {"shop.orders", "public.orders", "id"});
        TABLES.put("accounts", new String[] {"shop.accounts", "public.accounts", "id"});
    }

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("rs-it-mariadb-chunks");
        source = new EmbeddedMariaDb();
        target = EmbeddedPostgresServer.start(work.resolve("target"));
        target.createDatabase("warehouse");
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
        target.close();
    }

    @Test
    void killNineDuringChunkedLoadAndStreaming() throws Exception {
        Path task = taskFile();
        SyncProcess sync = startSync("run-1", task);
        awaitTargetOrders(sync, 1, ORDERS - 1);
        sync.kill9(); // in the middle of the full load
        long partial = targetCount("public.orders");
        assertTrue(partial > 0 && partial < ORDERS, "killed mid-load, target had " + partial);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong transactions = new AtomicLong();
        Thread workload = new Thread(() -> runWorkload(running, transactions));
        workload.start();
        try {
            for (int run = 2; run <= 3; run++) {
                sync = startSync("run-" + run, task);
                if (run == 2) {
                    awaitOutput(sync, "the full load goes on where it stopped");
                    assertTrue(targetCount("public.orders") >= partial, "the chunks copied before the kill were kept");
                }
                Thread.sleep(ThreadLocalRandom.current().nextLong(4_000, 10_000));
                assertTrue(sync.isAlive(), sync.output());
                sync.kill9(); // during the load's last chunks or streaming
            }
            sync = startSync("run-final", task);
            Thread.sleep(3_000);
        } finally {
            running.set(false);
            workload.join();
        }
        assertTrue(transactions.get() > 100, "the workload ran: " + transactions.get());
        try (SyncProcess last = sync) {
            assertEquals(Map.of(), CanonicalRows.awaitSame(last, () -> source.connect("shop"), () -> target.connect("warehouse"), TABLES,
                    Set.of("payload"), Duration.ofMinutes(4)));
            assertEquals(100_000L, targetSum("SELECT sum(balance) FROM public.accounts"), "transfers keep the total");
            assertEquals(1L, targetCount("realtime_sync.source_offsets"), "one position, handed over by the full load");
            assertEquals(0L, targetCount("realtime_sync.full_load_chunks"));
            assertFalse(last.output().contains("Exporting data from table"), "the capture engine read no rows itself:\n" + last.output());
            assertFalse(last.output().contains(EmbeddedMariaDb.ADMIN_PASSWORD), "a password was printed");
        }
    }

    /** Transfers between accounts (the sum stays) and inserts, updates and deletes of orders, in transactions. */
    private static void runWorkload(AtomicBoolean running, AtomicLong transactions) {
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
                s.execute("INSERT INTO orders (id, status, amount, created_at) VALUES (" + (1_000_000 + i) + ", 'new', 1.5, NOW(6))");
                s.execute("DELETE FROM orders WHERE id = " + (random.nextBoolean() ? 1_000_000 + i - 3 : id + 1));
                s.execute("COMMIT");
                transactions.incrementAndGet();
                Thread.sleep(2);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path taskFile() throws Exception {
        String yaml = """
                - route:
                    id: mariadb-chunks
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
                              task: mariadb-chunks
                              jdbcUrl: "%s"
                              username: postgres
                              password: "RAW(%s)"
                              targetSchema: public
                """.formatted(source.sourceParameters("mariadb-chunks", "        "), target.jdbcUrl("warehouse"), PostgresPair.PASSWORD);
        Path file = work.resolve("mariadb-chunks.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static SyncProcess startSync(String name, Path task) throws Exception {
        return SyncProcess.start(work.resolve(name + ".log"), Map.of(), "run", task.toString());
    }

    private static void awaitOutput(SyncProcess sync, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!sync.output().contains(text)) {
            assertTrue(sync.isAlive() && System.nanoTime() < deadline, "waiting for '" + text + "':\n" + sync.output());
            Thread.sleep(200);
        }
    }

    private static void awaitTargetOrders(SyncProcess sync, long atLeast, long atMost) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(sync.isAlive(), sync.output());
            long rows = targetCount("public.orders");
            if (rows >= atLeast && rows <= atMost) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("target never had between " + atLeast + " and " + atMost + " orders");
    }

    private static long targetCount(String table) throws Exception {
        try {
            return targetSum("SELECT count(*) FROM " + table);
        } catch (java.sql.SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return -1; // not created yet
            }
            throw e;
        }
    }

    private static long targetSum(String query) throws Exception {
        try (Connection c = target.connect("warehouse"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
