package routes.app;

import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.slf4j.LoggerFactory;

/**
 * Gives {@code java -jar realtime-sync.jar run ...} a bounded heap when the user chose none. Memory use is bounded by
 * design, but without -Xmx Java lets the heap grow to a quarter of the machine before collecting (1.3 GB resident on a
 * 1M-row load). The jar then starts itself again with {@link #OPTIONS} and passes the exit status on.
 */
final class BoundedHeap {

    /** What the benchmark measured with: a peak of 213-408 MiB resident, and the parallel collector for throughput. */
    static final List<String> OPTIONS = List.of("-Xmx256m", "-XX:+UseParallelGC");

    /** Set in the JVM started with {@link #OPTIONS}, so that it neither starts another nor outlives its parent. */
    private static final String RELAUNCHED = "realtime-sync.relaunched";

    private BoundedHeap() {
    }

    /** Runs the command in a JVM with a bounded heap and returns its exit status, or empty to run it in this one. */
    static Optional<Integer> relaunchIfUnbounded(String[] args) throws Exception {
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        Optional<Path> jar = runningJar();
        if (Boolean.getBoolean(RELAUNCHED) || jar.isEmpty() || heapChosen(jvmOptions)) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(OPTIONS);
        command.add("-D" + RELAUNCHED + "=true");
        command.addAll(List.of("-cp", jar.get().toString(), RealtimeSync.class.getName()));
        command.addAll(Arrays.asList(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        // Ctrl-C reaches both JVMs; a SIGTERM sent to this one alone is passed on, and this one waits for the other.
        Thread forward = new Thread(() -> {
            child.destroy();
            try {
                child.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "realtime-sync-stop-child");
        Runtime.getRuntime().addShutdownHook(forward);
        int status = child.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(forward);
        } catch (IllegalStateException stopping) {
            // a SIGTERM to this JVM: the hook is already passing it on, and the JVM ends with the signal's status
        }
        return Optional.of(status);
    }

    /** In the relaunched JVM: say so once, and end at once when the JVM that started it is killed. */
    static void reportIfRelaunched() {
        if (!Boolean.getBoolean(RELAUNCHED)) {
            return;
        }
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(1)));
        LoggerFactory.getLogger(RealtimeSync.class).info("No heap limit given: running with {} (max heap {} MiB); pass -Xmx to "
                + "choose another", String.join(" ", OPTIONS), Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    private static boolean heapChosen(List<String> jvmOptions) {
        List<String> all = new ArrayList<>(jvmOptions);
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            all.addAll(Arrays.asList(System.getenv().getOrDefault(variable, "").split("\\s+")));
        }
        return all.stream().anyMatch(o -> o.startsWith("-Xmx") || o.startsWith("-XX:MaxHeapSize=")
                || o.startsWith("-XX:MaxRAMPercentage=") || o.startsWith("-XX:MaxRAM="));
    }

    /** The jar this class was loaded from; empty when run from classes (tests, an embedding application's IDE). */
    private static Optional<Path> runningJar() throws URISyntaxException {
        var source = RealtimeSync.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            return Optional.empty();
        }
        Path location = Path.of(source.getLocation().toURI());
        return Files.isRegularFile(location) ? Optional.of(location) : Optional.empty();
    }
}
