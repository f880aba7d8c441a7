package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * examples/mysql-to-mysql.yaml from a real MariaDB (binlog ROW/FULL, MariaDB connector) into a second MariaDB: full
 * load with the source's own column types, every kind of change, and kill -9 under a live workload; rows compared
 * value by value. The target server runs in time zone +05:30, so TIMESTAMP values only come out right because the
 * writer's session is UTC.
 */
class MySqlToMySqlIT {

    private static EmbeddedMariaDb source;
    private static EmbeddedMariaDb target;
    private static Path work;

    /** Table -> {source rows, target rows, ORDER BY}; binary values as hex and TIMESTAMP as its instant. */
    private static final Map<String, String[]> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("orders", new String[] {"shop.orders", "warehouse.orders", "id"});
        TABLES.put("items", new String[] {"shop.`Order Items`", "warehouse.`Order Items`", "1, 2"});
        TABLES.put("types", new String[] {typesOf("shop"), typesOf("warehouse"), "id"});
    }

    private static String typesOf(String database) {
        return "(SELECT id, tiny, flag, HEX(bits) AS bits, bit1 + 0 AS bit1, e, s, y, t, UNIX_TIMESTAMP(ts) AS ts, d, f, dbl, ub, "
                + "HEX(bin) AS bin, HEX(vb) AS vb, HEX(bl) AS bl, med, `dec`, ch, txt FROM " + database + ".types) t";
    }

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("rs-it-mysql-mysql");
        source = new EmbeddedMariaDb();
        target = new EmbeddedMariaDb("--skip-log-bin", "--default-time-zone=+05:30");
        source.execute("", "CREATE DATABASE shop");
        target.execute("", "CREATE DATABASE warehouse");
    }

    @AfterAll
    static void stopServers() throws Exception {
        source.close();
        target.close();
    }

    private static Map<String, String> environment() {
        Map<String, String> env = source.sourceEnvironment("shop");
        env.put("TARGET_JDBC_URL", target.url("warehouse"));
        env.put("TARGET_USER", EmbeddedMariaDb.ADMIN);
        env.put("TARGET_PASSWORD", EmbeddedMariaDb.ADMIN_PASSWORD);
        return env;
    }

    private static Map<String, Object> awaitSame(SyncProcess sync, Duration timeout) throws Exception {
        return CanonicalRows.awaitSame(sync, () -> source.connect("shop"), () -> target.connect("warehouse"), TABLES,
                Set.of("payload"), timeout);
    }

    private static SyncProcess startSync(String name) throws Exception {
        return SyncProcess.start(work.resolve(name + ".log"), environment(), "run", "examples/mysql-to-mysql.yaml");
    }

    /** Column names, types and nullability of a database's tables, for comparing definitions. */
    private static List<String> columns(EmbeddedMariaDb server, String database) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection c = server.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT CONCAT_WS(' ', TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_KEY) "
                        + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'page_views' "
                        + "ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        return columns;
    }

    @Test
    void fullLoadChangesAndKillNine() throws Exception {
        source.execute("shop",
                """
                CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT, status VARCHAR(16), amount DECIMAL(12,2),
                                     qty INT, created_at DATETIME(6), updated_at DATETIME(6), note TEXT, flag BOOLEAN, payload JSON)""",
                """
                INSERT INTO orders SELECT seq, seq % 1000, ELT(1 + seq % 3, 'new', 'paid', 'shipped'),
                       IF(seq % 6 = 0, -seq * 1.01, seq * 0.37), seq % 7,
                       TIMESTAMP '2020-02-28 23:59:59.123456' + INTERVAL seq HOUR + INTERVAL seq MICROSECOND,
                       TIMESTAMP '2023-12-31 12:00:00' - INTERVAL seq MINUTE,
                       IF(seq % 100 = 0, NULL, MD5(seq)), seq % 2 = 0,
                       JSON_OBJECT('a', seq, 'b', MD5(seq), 'c', seq % 3 = 0)
                  FROM seq_1_to_20000""",
                "CREATE TABLE `Order Items` (`order` BIGINT, `select` INT, `Größe` VARCHAR(40), `from` DECIMAL(10,1), PRIMARY KEY (`order`, `select`))",
                "INSERT INTO `Order Items` SELECT seq DIV 3, seq % 3, CONCAT('größe ', seq), seq * 1.5 FROM seq_1_to_3000",
                """
                CREATE TABLE types (id INT UNSIGNED PRIMARY KEY, tiny TINYINT, flag TINYINT(1), bits BIT(12), bit1 BIT(1),
                                    e ENUM('a', 'b c'), s SET('x', 'y'), y YEAR, t TIME(3), ts TIMESTAMP(6) NULL, d DATE, f FLOAT,
                                    dbl DOUBLE, ub BIGINT UNSIGNED, bin BINARY(4), vb VARBINARY(10), bl BLOB, med MEDIUMINT UNSIGNED,
                                    `dec` DECIMAL(30,10), ch CHAR(3), txt TEXT NOT NULL)""",
                """
                INSERT INTO types VALUES
                  (1, -128, 1, b'101000000001', b'1', 'b c', 'x,y', 2155, '23:59:59.999', '2038-01-19 03:14:07.999999',
                   '1000-01-01', 1.17549e-38, -1.7976931348623157e308, 18446744073709551615, x'00FF27', x'5C00', x'00010203',
                   16777215, '-12345678901234567890.0123456789', 'ab ', 'emoji 😀 ✓ \\\\ ''q''')""",
                """
                INSERT INTO types SELECT seq, seq % 100, seq % 2, seq, seq % 2, ELT(1 + seq % 2, 'a', 'b c'), 'y', 1901 + seq % 250,
                       SEC_TO_TIME(seq * 17.123), TIMESTAMP '1970-01-01 00:00:01' + INTERVAL seq DAY, DATE '2000-01-01' + INTERVAL seq DAY,
                       seq / 7, seq / 3, seq * 1000003, UNHEX(LPAD(HEX(seq), 8, '0')), UNHEX(HEX(seq)), REPEAT(UNHEX('FE'), seq % 50),
                       seq, seq / 9, LEFT(MD5(seq), 3), REPEAT('ü', seq % 300)
                  FROM seq_2_to_1000""",
                "CREATE TABLE page_views (url TEXT, viewed_at DATETIME)");

        // The live workload for the kill -9 part below.
        Thread workload = new Thread(() -> {
            for (int i = 0; i < 3000; i++) {
                try {
                    source.execute("shop", "BEGIN",
                            "INSERT INTO orders (id, status, amount, updated_at) VALUES (" + (2_000_000 + i) + ", 'w', " + i + ".5, NOW(6))",
                            "UPDATE orders SET qty = qty + 1, updated_at = NOW(6) WHERE id = " + (1 + i * 7 % 20000),
                            "DELETE FROM orders WHERE id = " + (2_000_000 + i - 5),
                            "UPDATE types SET ts = NOW(6), tiny = " + (i % 100) + " WHERE id = " + (2 + i % 999),
                            "COMMIT");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        try (SyncProcess sync = startSync("run-1")) {
            assertEquals(Map.of(), awaitSame(sync, Duration.ofMinutes(3)), "after the full load");
            assertEquals(columns(source, "shop"), columns(target, "warehouse"), "target tables keep the source's column types");
            source.execute("shop",
                    "INSERT INTO orders (id, status, amount) VALUES (900001, 'new', 1.00), (900002, NULL, NULL)",
                    "UPDATE orders SET status = 'paid', qty = qty + 1, amount = amount + 0.01 WHERE id % 10 = 1",
                    "UPDATE orders SET note = NULL, payload = NULL WHERE id BETWEEN 100 AND 120",
                    "DELETE FROM orders WHERE id % 17 = 0",
                    "UPDATE orders SET id = id + 1000000 WHERE id BETWEEN 500 AND 510",
                    "UPDATE `Order Items` SET `Größe` = 'geändert', `from` = NULL WHERE `select` = 2",
                    "DELETE FROM `Order Items` WHERE `order` < 10",
                    "UPDATE types SET bits = bits ^ 4095, ts = NOW(6), t = '00:00:00.001', txt = CONCAT(txt, ' geändert') WHERE id % 3 = 0",
                    "UPDATE types SET tiny = NULL, bits = NULL, e = NULL, ts = NULL, bl = NULL WHERE id % 5 = 0",
                    "DELETE FROM types WHERE id % 7 = 0");
            assertEquals(Map.of(), awaitSame(sync, Duration.ofMinutes(2)), "after streaming changes");
            assertTrue(sync.output().contains("table shop.page_views has no primary key"), sync.output());
            assertFalse(sync.output().contains(EmbeddedMariaDb.ADMIN_PASSWORD), "a password was printed");

            // kill -9 twice under a live workload, then let the last run catch up.
            workload.start();
            Thread.sleep(3000);
            sync.kill9();
        }
        try (SyncProcess sync = startSync("run-2")) {
            Thread.sleep(6000);
            sync.kill9();
        }
        try (SyncProcess last = startSync("run-3")) {
            workload.join();
            assertEquals(Map.of(), awaitSame(last, Duration.ofMinutes(3)), "after kill -9 and restarts");
            assertFalse(last.output().contains(EmbeddedMariaDb.ADMIN_PASSWORD), "a password was printed");
        }
    }
}
