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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as a newcomer runs it: usage, version, a bounded heap without JVM flags, a demo that leaves nothing behind,
 * and {@code check} of a task against real servers.
 */
class CommandLineIT {

    private static final Pattern MAX_HEAP = Pattern.compile("max heap (\\d+) MiB");
    /** The servers of the check tests, started by the first of them. */
    private static PostgresPair pair;

    @TempDir
    Path work;

    @Test
    void withoutArgumentsPrintsUsageAndFails() throws Exception {
        String output = finishedRun(List.of("-Xmx64m"), 2);
        assertTrue(output.contains("Usage: realtime-sync") && output.contains("SOURCE_HOST") && output.contains("demo"), output);
    }

    @Test
    void helpListsCommandsAndEnvironment() throws Exception {
        String output = finishedRun(List.of("-Xmx64m"), 0, "--help");
        for (String word : List.of("run TASK.yaml", "demo", "--version", "TARGET_JDBC_URL", "KAFKA_BOOTSTRAP_SERVERS", "REALTIME_SYNC_LOG_LEVEL")) {
            assertTrue(output.contains(word), word + " in " + output);
        }
    }

    @Test
    void helpListsTheCheckAndApiCommands() throws Exception {
        String output = finishedRun(List.of("-Xmx64m"), 0, "--help");
        for (String word : List.of("check TASK.yaml", "status [TASK]", "tables TASK", "pause TASK TABLE", "resume TASK TABLE",
                "resync TASK TABLE", "backfill TASK TABLE --where", "prioritize TASK TABLE", "cancel TASK TABLE", "stop TASK",
                "start TASK [--from")) {
            assertTrue(output.contains(word), word + " in " + output);
        }
    }

    /**
     * A source and a target with several problems at once: every one is a line of its own with its fix, the exit status
     * is 1, and nothing is written on either server (no slot, no publication, no state, no table).
     */
    @Test
    void checkReportsEveryProblemWithItsFixAndWritesNothing() throws Exception {
        PostgresPair servers = servers();
        servers.source.createDatabase("messy");
        try (Connection c = servers.source.connect("messy"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE checker LOGIN");
            s.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
            s.execute("CREATE TABLE no_key (v text)");
            s.execute("CREATE TABLE no_identity (id int PRIMARY KEY)");
            s.execute("ALTER TABLE no_identity REPLICA IDENTITY NOTHING");
            s.execute("GRANT SELECT ON no_key, no_identity TO checker");
        }
        Map<String, String> env = new java.util.HashMap<>(servers.environment());
        env.put("SOURCE_DATABASE", "messy");
        env.put("SOURCE_USER", "checker");
        env.put("TARGET_JDBC_URL", "jdbc:postgresql://localhost:1/warehouse");
        Path task = taskWith("messy", "schemaIncludeLists: other");
        String output = finishedRun(env, 1, "check", task.toString());
        for (String expected : List.of(
                "problem: Route 'postgres-to-postgres' passes 'schemaIncludeLists' to kamelet postgres-cdc-source, which has no such "
                        + "parameter: did you mean 'schemaIncludeList'?",
                "problem: task 'postgres-to-postgres': Cannot use target jdbc:postgresql://localhost:1/warehouse",
                "problem: task 'postgres-to-postgres': Source user 'checker' may not stream changes: run ALTER ROLE \"checker\" REPLICATION;",
                "problem: task 'postgres-to-postgres': Source user 'checker' may not read 1 of the task's tables",
                "GRANT SELECT ON \"public\".\"t\" TO \"checker\";",
                "problem: task 'postgres-to-postgres': Source user 'checker' may not create publication 'realtime_sync'",
                "problem: task 'postgres-to-postgres': Table \"public\".\"no_key\" on PostgreSQL localhost:" + servers.source.port()
                        + "/messy has no primary key, so the task leaves it out: run ALTER TABLE \"public\".\"no_key\" ADD PRIMARY KEY",
                "has REPLICA IDENTITY NOTHING: once published, the source refuses its UPDATEs and DELETEs: run ALTER TABLE "
                        + "\"public\".\"no_identity\" REPLICA IDENTITY DEFAULT;",
                "realtime-sync: 7 problems found; nothing was written anywhere")) {
            assertTrue(output.contains(expected), expected + " in:\n" + output);
        }
        assertEquals(7, output.lines().filter(line -> line.startsWith("problem: ")).count(), output);
        assertFalse(output.contains(PostgresPair.PASSWORD), "a password was printed");
        assertSourceUntouched(servers, "messy");
    }

    /** A user who may not create the task's state schema on the target is told the GRANT; a good task is ready. */
    @Test
    void checkOfAReadyTaskIsOneLineAndWritesNothing() throws Exception {
        PostgresPair servers = servers();
        try (Connection c = servers.target.connect("warehouse"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE loader LOGIN");
        }
        Map<String, String> env = new java.util.HashMap<>(servers.environment());
        env.put("TARGET_USER", "loader");
        String refused = finishedRun(env, 1, "check", taskWith("ready-loader").toString());
        assertTrue(refused.contains("problem: task 'postgres-to-postgres': Target user 'loader' may not create schema realtime_sync on "
                + servers.target.jdbcUrl("warehouse") + " (the task keeps its positions there, and creates the target tables): "
                + "run GRANT CREATE ON DATABASE \"warehouse\" TO \"loader\";"), refused);
        assertTrue(refused.contains("realtime-sync: 1 problem found"), refused);

        String output = finishedRun(servers.environment(), 0, "check", taskWith("ready").toString());
        assertTrue(output.contains("ready: task 'postgres-to-postgres': 2 tables from PostgreSQL localhost:" + servers.source.port()
                + "/shop into " + servers.target.jdbcUrl("warehouse")), output);
        assertFalse(output.contains("problem: "), output);
        assertSourceUntouched(servers, "shop");
        try (Connection c = servers.target.connect("warehouse"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "nothing may be written to the target");
        }
    }

    private static synchronized PostgresPair servers() throws Exception {
        if (pair == null) {
            pair = new PostgresPair("check");
            pair.source("CREATE TABLE a (id int PRIMARY KEY)", "CREATE TABLE b (id int PRIMARY KEY, v text)");
        }
        return pair;
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    /** The example PostgreSQL task with more source kamelet parameters ({@code name: value} lines). */
    private Path taskWith(String name, String... sourceParameters) throws Exception {
        String anchor = "        schemaIncludeList: public\n";
        String task = Files.readString(Path.of("examples/postgres-to-postgres.yaml")).replace(anchor, anchor
                + String.join("", java.util.Arrays.stream(sourceParameters).map(p -> "        " + p + "\n").toList()));
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, task);
        return file;
    }

    /** No replication slot, no publication: a check creates neither. */
    private static void assertSourceUntouched(PostgresPair servers, String database) throws Exception {
        try (Connection c = servers.source.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM pg_replication_slots) + (SELECT count(*) FROM pg_publication)")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "a check creates no slot and no publication");
        }
    }

    @Test
    void versionIsTheProjectVersion() throws Exception {
        String output = finishedRun(List.of("-Xmx64m"), 0, "--version");
        assertTrue(output.strip().matches("realtime-sync \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), output);
    }

    @Test
    void withoutHeapOptionTheJarBoundsItsHeap() throws Exception {
        String output = finishedRun(List.of(), 2, "run", "no-such-task.yaml");
        Matcher heap = MAX_HEAP.matcher(output);
        assertTrue(heap.find(), output);
        assertTrue(Integer.parseInt(heap.group(1)) <= 256, output);
        assertTrue(output.contains("-Xmx256m -XX:+UseParallelGC"), output);
        assertTrue(output.contains("cannot read task file"), output);
    }

    @Test
    void aChosenHeapIsKept() throws Exception {
        String output = finishedRun(List.of("-Xmx300m"), 2, "run", "no-such-task.yaml");
        assertFalse(MAX_HEAP.matcher(output).find(), output);
        assertTrue(output.contains("cannot read task file"), output);
    }

    @Test
    void timedDemoRemovesItsFolder() throws Exception {
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        String output = finishedRun(List.of("-Djava.io.tmpdir=" + tmp), 0, "demo", "--seconds", "15");
        assertTrue(output.contains("Demo: customers source="), output);
        assertFalse(output.contains("Ctrl-C"), output);
        assertFalse(output.contains("triggered by SIGTERM"), output);
        assertFalse(output.contains("Demo workload:"), output);
        assertNoDemoFolder(tmp);
    }

    @Test
    void stoppedDemoRemovesItsFolder() throws Exception {
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        try (SyncProcess demo = SyncProcess.start(work.resolve("demo.log"), Map.of(), List.of("-Djava.io.tmpdir=" + tmp), "demo")) {
            for (int i = 0; i < 240 && !demo.output().contains("Demo: customers source="); i++) {
                assertTrue(demo.isAlive(), demo.output());
                Thread.sleep(500);
            }
            assertTrue(demo.output().contains("Demo: runs until Ctrl-C"), demo.output());
            demo.stop();
            assertFalse(demo.output().contains("Demo workload:"), demo.output());
            assertFalse(demo.output().contains("Exception in thread"), demo.output()); // the JVM that relaunched itself with a bounded heap
        }
        assertNoDemoFolder(tmp);
    }

    private static void assertNoDemoFolder(Path tmp) throws Exception {
        try (Stream<Path> left = Files.list(tmp)) {
            List<String> demoFolders = left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("realtime-sync-demo")).toList();
            assertEquals(List.of(), demoFolders, "the demo's folder is removed at exit");
        }
    }

    private String finishedRun(List<String> jvmOptions, int expectedStatus, String... args) throws Exception {
        return finishedRun(Map.of(), jvmOptions, expectedStatus, args);
    }

    private String finishedRun(Map<String, String> environment, int expectedStatus, String... args) throws Exception {
        return finishedRun(environment, List.of("-Xmx256m"), expectedStatus, args);
    }

    private String finishedRun(Map<String, String> environment, List<String> jvmOptions, int expectedStatus, String... args) throws Exception {
        Path log = Files.createTempFile(work, args.length == 0 ? "no-command" : args[0], ".log");
        try (SyncProcess sync = SyncProcess.start(log, environment, jvmOptions, args)) {
            assertEquals(expectedStatus, sync.awaitExit(Duration.ofMinutes(3)), sync.output());
            return sync.output();
        }
    }
}
