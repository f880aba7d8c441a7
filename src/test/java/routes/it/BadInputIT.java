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
 * Wrong settings and unusable servers: the task stops at once with one line that says what is wrong and how to fix
 * it, and writes nothing to the target.
 */
class BadInputIT {

    private static PostgresPair pair;

    @BeforeAll
    static void servers() throws Exception {
        pair = new PostgresPair("bad");
        pair.source("CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t VALUES (1, 'one')");
    }

    @AfterAll
    static void stopServers() throws Exception {
        pair.close();
    }

    @Test
    void sourceWithoutLogicalDecoding() throws Exception {
        Path data = Files.createTempDirectory("rs-replica");
        try (EmbeddedPostgresServer replicaOnly = EmbeddedPostgresServer.start(data.resolve("pg"), "replica")) {
            replicaOnly.createDatabase("shop");
            String line = failingRun("wal-level", Map.of("SOURCE_PORT", String.valueOf(replicaOnly.port())));
            assertTrue(line.contains("wal_level=replica") && line.contains("ALTER SYSTEM SET wal_level = logical"), line);
        }
    }

    @Test
    void unreachableSource() throws Exception {
        String line = failingRun("no-source", Map.of("SOURCE_PORT", "1"));
        assertTrue(line.contains("Cannot connect to source PostgreSQL localhost:1/shop") && line.contains("SOURCE_HOST"), line);
    }

    @Test
    void unreachableTarget() throws Exception {
        String line = failingRun("no-target", Map.of("TARGET_JDBC_URL", "jdbc:postgresql://localhost:1/warehouse"));
        assertTrue(line.contains("Cannot use target jdbc:postgresql://localhost:1/warehouse") && line.contains("TARGET_JDBC_URL"), line);
    }

    @Test
    void wrongTargetPassword() throws Exception {
        requirePasswordOnTarget("loader", "right-password");
        try (SyncProcess sync = SyncProcess.start(pair.work.resolve("target-password.log"), withChanges(Map.of(
                "TARGET_USER", "loader", "TARGET_PASSWORD", "wrong-password")), "run", "examples/postgres-to-postgres.yaml")) {
            assertEquals(1, sync.awaitExit(Duration.ofMinutes(1)), sync.output());
            String output = sync.output();
            assertOneClearLine(output);
            assertTrue(lastLine(output).contains("password authentication failed for user \"loader\". Check TARGET_JDBC_URL, "
                    + "TARGET_USER and TARGET_PASSWORD."), output);
            assertFalse(output.contains("wrong-password"), "a password was printed");
        }
    }

    /** Makes the target ask {@code user} for its password over TCP, as a real server does (the tests' servers trust). */
    private static void requirePasswordOnTarget(String user, String password) throws Exception {
        try (Connection c = pair.target.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password + "'");
            Path hba = pair.work.resolve("target").resolve("pg_hba.conf");
            Files.writeString(hba, "host all " + user + " 127.0.0.1/32 scram-sha-256\nhost all " + user + " ::1/128 scram-sha-256\n"
                    + Files.readString(hba));
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private static Map<String, String> withChanges(Map<String, String> changes) {
        Map<String, String> env = new java.util.HashMap<>(pair.environment());
        env.putAll(changes);
        return env;
    }

    @Test
    void missingSetting() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(pair.environment());
        env.remove("SOURCE_HOST");
        try (SyncProcess sync = SyncProcess.start(pair.work.resolve("missing.log"), env, "run", "examples/postgres-to-postgres.yaml")) {
            assertEquals(1, sync.awaitExit(Duration.ofMinutes(1)), sync.output());
            assertTrue(lastLine(sync.output()).contains("the setting SOURCE_HOST is missing"), sync.output());
        }
        assertTargetUntouched();
    }

    @Test
    void slotAlreadyUsedByAnotherTask() throws Exception {
        pair.target.createDatabase("first");
        pair.target.createDatabase("other");
        Map<String, String> env = new java.util.HashMap<>(pair.environment());
        env.put("TARGET_JDBC_URL", pair.target.jdbcUrl("first"));
        try (SyncProcess first = SyncProcess.start(pair.work.resolve("slot-owner.log"), env, "run", "examples/postgres-to-postgres.yaml")) {
            awaitRows(first, "first");
            String line = failingRun("slot-second", Map.of("TARGET_JDBC_URL", pair.target.jdbcUrl("other")));
            assertTrue(line.contains("Replication slot 'realtime_sync'") && line.contains("in use") && line.contains("slotName"), line);
            assertTrue(first.isAlive(), "the first task is not disturbed");
            assertUntouched("other");
        }
    }

    /** A misspelt optional parameter would otherwise be dropped, and the task would sync every schema. */
    @Test
    void misspeltKameletParameter() throws Exception {
        String line = failingRun("misspelt", Map.of(), "schemaIncludeLists: other");
        assertTrue(line.contains("Route 'postgres-to-postgres' passes 'schemaIncludeLists' to kamelet postgres-cdc-source, which has no "
                + "such parameter: did you mean 'schemaIncludeList'?"), line);
    }

    @Test
    void sourceUserWhoMayNotReadTheTables() throws Exception {
        pair.source("CREATE ROLE no_select LOGIN REPLICATION");
        String line = failingRun("no-select", Map.of("SOURCE_USER", "no_select"), "tableIncludeList: \"RAW(public\\\\.t)\"",
                "publicationName: no_select", "slotName: no_select");
        assertTrue(line.contains("Source user 'no_select' may not read 1 of the task's tables")
                && line.contains("GRANT SELECT ON \"public\".\"t\" TO \"no_select\";"), line);
    }

    /** A publication may publish only tables its creator owns: the check refuses the start before the target is touched. */
    @Test
    void sourceUserWhoMayNotCreateThePublication() throws Exception {
        pair.source("CREATE ROLE not_owner LOGIN REPLICATION", "GRANT SELECT ON t TO not_owner");
        String line = failingRun("not-owner", Map.of("SOURCE_USER", "not_owner"), "tableIncludeList: \"RAW(public\\\\.t)\"",
                "publicationName: not_owner", "slotName: not_owner");
        assertTrue(line.contains("Source user 'not_owner' may not create publication 'not_owner'") && line.contains("does not own \"public\".\"t\"")
                && line.contains("run CREATE PUBLICATION \"not_owner\" FOR TABLE \"public\".\"t\";"), line);
    }

    @Test
    void sourceUserWithoutCreateOnTheDatabase() throws Exception {
        pair.source("CREATE ROLE table_owner LOGIN REPLICATION", "CREATE TABLE owned (id int PRIMARY KEY)",
                "ALTER TABLE owned OWNER TO table_owner");
        String line = failingRun("no-create", Map.of("SOURCE_USER", "table_owner"), "tableIncludeList: \"RAW(public\\\\.owned)\"",
                "publicationName: table_owner", "slotName: table_owner");
        assertTrue(line.contains("may not create publication 'table_owner'")
                && line.contains("GRANT CREATE ON DATABASE \"shop\" TO \"table_owner\";"), line);
    }

    private static void awaitRows(SyncProcess sync, String database) throws Exception {
        for (int i = 0; i < 240; i++) {
            assertTrue(sync.isAlive(), sync.output());
            try (Connection c = pair.target.connect(database); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 't'")) {
                rs.next();
                if (rs.getInt(1) == 1) {
                    return;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the first task never created its table");
    }

    /**
     * Runs the task with some settings changed (and more source kamelet parameters, {@code name: value}), expects exit
     * status 1 and returns the last line printed.
     */
    private static String failingRun(String name, Map<String, String> changes, String... sourceParameters) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(pair.environment());
        env.putAll(changes);
        try (SyncProcess sync = pair.startSync(name, env, sourceParameters)) {
            assertEquals(1, sync.awaitExit(Duration.ofMinutes(1)), sync.output());
            String output = sync.output();
            assertOneClearLine(output);
            assertFalse(output.contains(PostgresPair.PASSWORD), "a password was printed");
            if (!changes.containsKey("TARGET_JDBC_URL")) {
                assertTargetUntouched();
            }
            return lastLine(output);
        }
    }

    /** At most one ERROR line (the runner's last line says it again), no stack trace, no sentence ending in "..". */
    private static void assertOneClearLine(String output) {
        List<String> lines = output.lines().toList();
        assertTrue(lines.stream().filter(line -> line.contains(" ERROR ")).count() <= 1, output);
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by") || line.contains("Exception")),
                output);
        assertFalse(output.contains(".."), output);
    }

    private static void assertTargetUntouched() throws Exception {
        assertUntouched("warehouse");
    }

    /** No table, no realtime_sync schema (so no table_status saying SYNCING for a task that never ran). */
    private static void assertUntouched(String database) throws Exception {
        try (Connection c = pair.target.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "nothing may be written to target database " + database);
        }
        try (Connection c = pair.target.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = 'realtime_sync'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no state schema may be created in target database " + database);
        }
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }
}
