package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MySQL's special values in a MariaDB-to-MariaDB mirror, as {@code mariadb-dump | mariadb} copies them: zero dates
 * (0000-00-00, a zero day) and an ENUM's error value '' (index 0, which a non-strict insert leaves for a value that is
 * no member). The target server refuses zero dates by default (NO_ZERO_DATE, as MySQL's default sql_mode) and is
 * strict, so both arrive only if the writer's session allows them.
 */
class MySqlSpecialValuesIT {

    /** Non-strict, as the applications that leave these values behind run. */
    private static final String LEGACY_MODE = "SET SESSION sql_mode = ''";

    private static EmbeddedMariaDb source;
    private static EmbeddedMariaDb target;
    private static Path work;

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("rs-it-mysql-special");
        source = new EmbeddedMariaDb();
        target = new EmbeddedMariaDb("--skip-log-bin",
                "--sql-mode=STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION");
        source.execute("", "CREATE DATABASE shop");
        target.execute("", "CREATE DATABASE warehouse");
    }

    @AfterAll
    static void stopServers() throws Exception {
        source.close();
        target.close();
    }

    /**
     * Each value as the server's text, and each ENUM also as its index (the error value and a member '' both read
     * as ''). {@code hidden}: the rows whose zero dates were written by a streamed change that Debezium's binlog
     * reader handed over as a stand-in (NULL; in a NOT NULL DATE or DATETIME, the epoch), which the target then holds.
     */
    private static String rows(String database, String hidden) {
        String date = "IF(" + hidden + " AND (YEAR(%1$s) = 0 OR MONTH(%1$s) = 0 OR DAYOFMONTH(%1$s) = 0), %2$s, CAST(%1$s AS CHAR)) AS %1$s";
        return "(SELECT id, " + date.formatted("d", "NULL") + ", " + date.formatted("dt", "NULL") + ", " + date.formatted("part", "NULL")
                + ", " + date.formatted("ts", "NULL") + ", " + date.formatted("d_req", "'1970-01-01'") + ", "
                + date.formatted("dt_req", "'1970-01-01 00:00:00'") + ", "
                + "e, e + 0 AS e_index, e_req, e_req + 0 AS e_req_index, e_empty, e_empty + 0 AS e_empty_index FROM "
                + database + ".legacy) t";
    }

    private static Map<String, Object> awaitSame(SyncProcess sync, String hiddenOnSource) throws Exception {
        Map<String, String[]> tables = new LinkedHashMap<>();
        tables.put("legacy", new String[] {rows("shop", hiddenOnSource), rows("warehouse", "FALSE"), "id"});
        return CanonicalRows.awaitSame(sync, () -> source.connect("shop"), () -> target.connect("warehouse"), tables, Set.of(),
                Duration.ofMinutes(2));
    }

    @Test
    void zeroDatesAndEnumErrorValuesArriveAsTheyAre() throws Exception {
        source.execute("shop", LEGACY_MODE,
                """
                CREATE TABLE legacy (id INT PRIMARY KEY, d DATE, dt DATETIME(6), part DATE, ts TIMESTAMP(6) NULL,
                                     d_req DATE NOT NULL, dt_req DATETIME NOT NULL,
                                     e ENUM('a', 'b c'), e_req ENUM('x', 'y') NOT NULL, e_empty ENUM('', 'z'))""",
                """
                INSERT INTO legacy VALUES
                  (1, '0000-00-00', '0000-00-00 00:00:00', '2024-05-00', '0000-00-00 00:00:00', '0000-00-00',
                   '0000-00-00 00:00:00', 'no such label', 'neither', ''),
                  (2, '2024-02-30', '2024-02-30 10:00:00', '0000-01-01', NULL, '2024-02-30', '2024-13-01 00:00:00',
                   '', '', 'z'),
                  (3, '2024-03-15', '2024-03-15 13:45:30.123456', NULL, '2024-03-15 13:45:30.123456', '2024-03-15',
                   '2024-03-15 13:45:30', 'b c', 'y', NULL),
                  (4, NULL, NULL, NULL, NULL, '1000-01-01', '1000-01-01 00:00:00', NULL, 'x', '')""");
        Map<String, String> env = source.sourceEnvironment("shop");
        env.put("TARGET_JDBC_URL", target.url("warehouse"));
        env.put("TARGET_USER", EmbeddedMariaDb.ADMIN);
        env.put("TARGET_PASSWORD", EmbeddedMariaDb.ADMIN_PASSWORD);
        try (SyncProcess sync = SyncProcess.start(work.resolve("run.log"), env, "run", "examples/mysql-to-mysql.yaml")) {
            assertEquals(Map.of(), awaitSame(sync, "FALSE"), "after the chunked full load");

            source.execute("shop", LEGACY_MODE,
                    "INSERT INTO legacy SELECT id + 100, d, dt, part, ts, d_req, dt_req, e, e_req, e_empty FROM legacy WHERE id < 100",
                    "UPDATE legacy SET e = 'gone', e_req = 'gone', d_req = '0000-00-00' WHERE id = 3",
                    // changes to other columns leave the zero dates the full load copied as they are
                    "UPDATE legacy SET e = 'a', e_req = 'x', e_empty = 'z' WHERE id = 1",
                    "UPDATE legacy SET e_empty = '' WHERE id = 2");
            assertEquals(Map.of(), awaitSame(sync, "(id > 100 OR id = 3)"), "after streaming");
        }
    }
}
