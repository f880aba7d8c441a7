package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar as a newcomer runs it: usage, version, a bounded heap without JVM flags, a demo that leaves nothing behind. */
class CommandLineIT {

    private static final Pattern MAX_HEAP = Pattern.compile("max heap (\\d+) MiB");

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
        try (SyncProcess sync = SyncProcess.start(work.resolve(String.join("-", args) + ".log"), Map.of(), jvmOptions, args)) {
            assertEquals(expectedStatus, sync.awaitExit(Duration.ofMinutes(3)), sync.output());
            return sync.output();
        }
    }
}
