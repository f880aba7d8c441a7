package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.demo.EmbeddedPostgresServer;

/**
 * examples/mysql-to-postgres.yaml from a real MariaDB (binlog ROW/FULL, MariaDB connector) into PostgreSQL: full
 * load, every kind of change, and kill -9 under a live workload; rows compared value by value across engines.
 */
class MySqlToPostgresIT {

    private static EmbeddedMariaDb source;
    private static EmbeddedPostgresServer target;
    private static Path work;

    /** Source table (MariaDB name) -> target table (PostgreSQL name), both ordered by the key. */
    private static final Map<String, String[]> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("orders", new String[] {"shop.orders", "public.orders", "id"});
        TABLES.put("items", new String[] {"shop.`Order Items`", "public.\"Order Items\"", "1, 2"});
    }

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("rs-it-mysql");
        source = new EmbeddedMariaDb();
        target = EmbeddedPostgresServer.start(work.resolve("target"));
        target.createDatabase("warehouse");
        source.execute("", "CREATE DATABASE shop");
    }

    @AfterAll
    static void stopServers() throws Exception {
        source.close();
        target.close();
    }

    private static Map<String, String> environment() {
        Map<String, String> env = source.sourceEnvironment("shop");
        env.put("TARGET_JDBC_URL", target.jdbcUrl("warehouse"));
        env.put("TARGET_USER", "postgres");
        env.put("TARGET_PASSWORD", PostgresPair.PASSWORD);
        env.put("TZ", "America/New_York"); // the sync's own time zone must not matter
        return env;
    }

    private static Map<String, Object> awaitSame(SyncProcess sync, Duration timeout) throws Exception {
        return CanonicalRows.awaitSame(sync, () -> source.connect("shop"), () -> target.connect("warehouse"), TABLES,
                Set.of("payload"), timeout);
    }

    private static SyncProcess startSync(String name) throws Exception {
        return SyncProcess.start(work.resolve(name + ".log"), environment(), "run", "examples/mysql-to-postgres.yaml");
    }

    @Test
    void fullLoadChangesAndKillNine() throws Exception {
        source.execute("shop",
                """
                CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT, status VARCHAR(16), amount DECIMAL(12,2),
                                     qty INT, created_at DATETIME(6), updated_at DATETIME(6), note TEXT, flag BOOLEAN, payload JSON,
                                     paid_at TIMESTAMP(6) NULL, took TIME(6))""",
                """
                INSERT INTO orders SELECT seq, seq % 1000, ELT(1 + seq % 3, 'new', 'paid', 'shipped'),
                       IF(seq % 6 = 0, -seq * 1.01, seq * 0.37), seq % 7,
                       TIMESTAMP '2020-02-28 23:59:59.123456' + INTERVAL seq HOUR + INTERVAL seq MICROSECOND,
                       TIMESTAMP '2023-12-31 12:00:00' - INTERVAL seq MINUTE,
                       IF(seq % 100 = 0, NULL, MD5(seq)), seq % 2 = 0,
                       JSON_OBJECT('a', seq, 'b', MD5(seq), 'c', seq % 3 = 0),
                       TIMESTAMP '2024-03-10 06:30:00.5' + INTERVAL seq MINUTE,
                       SEC_TO_TIME(CAST(seq AS SIGNED) * 37 - 300000) + INTERVAL seq MICROSECOND
                  FROM seq_1_to_20000""",
                "CREATE TABLE `Order Items` (`order` BIGINT, `select` INT, `Größe` VARCHAR(40), `from` DECIMAL(10,1), PRIMARY KEY (`order`, `select`))",
                "INSERT INTO `Order Items` SELECT seq DIV 3, seq % 3, CONCAT('größe ', seq), seq * 1.5 FROM seq_1_to_3000",
                "CREATE TABLE page_views (url TEXT, viewed_at DATETIME)");

        SyncProcess sync = startSync("run-1");
        try {
            fullLoadChangesAndKillNine(sync);
        } finally {
            sync.close();
        }
    }

    private void fullLoadChangesAndKillNine(SyncProcess first) throws Exception {
        SyncProcess sync = first;
        assertEquals(Map.of(), awaitSame(sync, Duration.ofMinutes(3)), "after the full load");
        source.execute("shop",
                "INSERT INTO orders (id, status, amount) VALUES (900001, 'new', 1.00), (900002, NULL, NULL)",
                "UPDATE orders SET status = 'paid', qty = qty + 1, amount = amount + 0.01 WHERE id % 10 = 1",
                "UPDATE orders SET note = NULL, payload = NULL, took = '-838:59:59', paid_at = NULL WHERE id BETWEEN 100 AND 120",
                "UPDATE orders SET took = '838:59:59.999999', paid_at = '2038-01-19 03:14:07.999999' WHERE id = 121",
                "DELETE FROM orders WHERE id % 17 = 0",
                "UPDATE orders SET id = id + 1000000 WHERE id BETWEEN 500 AND 510",
                "UPDATE `Order Items` SET `Größe` = 'geändert', `from` = NULL WHERE `select` = 2",
                "DELETE FROM `Order Items` WHERE `order` < 10");
        assertEquals(Map.of(), awaitSame(sync, Duration.ofMinutes(2)), "after streaming changes");

        // full-database mirror: a table created while the task runs arrives with every row, then follows changes
        source.execute("shop", "CREATE TABLE created_later (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO created_later SELECT seq, CONCAT('v', seq) FROM seq_1_to_300", "DELETE FROM created_later WHERE id > 250");
        TABLES.put("later", new String[] {"shop.created_later", "public.created_later", "id"});
        assertEquals(Map.of(), awaitSame(sync, Duration.ofMinutes(2)), "a table created while running");
        assertTrue(sync.output().contains("table shop.page_views has no primary key"), sync.output());

        // kill -9 twice under a live workload, then let the last run catch up.
        Thread workload = new Thread(() -> {
            for (int i = 0; i < 3000; i++) {
                try {
                    source.execute("shop", "BEGIN",
                            "INSERT INTO orders (id, status, amount, updated_at) VALUES (" + (2_000_000 + i) + ", 'w', " + i + ".5, NOW(6))",
                            "UPDATE orders SET qty = qty + 1, updated_at = NOW(6) WHERE id = " + (1 + i * 7 % 20000),
                            "DELETE FROM orders WHERE id = " + (2_000_000 + i - 5),
                            "COMMIT");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        workload.start();
        Thread.sleep(3000);
        sync.kill9();
        try (SyncProcess second = startSync("run-2")) {
            Thread.sleep(6000);
            second.kill9();
        }
        try (SyncProcess last = startSync("run-3")) {
            workload.join();
            assertEquals(Map.of(), awaitSame(last, Duration.ofMinutes(3)), "after kill -9 and restarts");
            assertFalse(last.output().contains(EmbeddedMariaDb.ADMIN_PASSWORD), "a password was printed");
        }
    }
}
