package routes.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sync as users run it: {@code java -jar target/realtime-sync.jar run TASK.yaml} in a JVM of its own, so that a
 * kill -9 is a real one. Output goes to a log file the test can read.
 */
final class SyncProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private SyncProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static SyncProcess start(Path log, Map<String, String> environment, String... args) throws IOException {
        return start(log, environment, List.of("-Xmx512m"), args);
    }

    /** The same with the given JVM options (none: as a user who knows no JVM flags runs it). */
    static SyncProcess start(Path log, Map<String, String> environment, List<String> jvmOptions, String... args) throws IOException {
        String jar = System.getProperty("realtime.sync.jar", "target/realtime-sync.jar");
        if (!new File(jar).isFile()) {
            throw new IllegalStateException("Build the jar first (mvn package): " + jar);
        }
        List<String> command = new java.util.ArrayList<>(List.of(javaBinary()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar));
        command.addAll(List.of(args));
        if (args.length > 0 && args[0].equals("run") && !List.of(args).contains("--http")) {
            // Tests run side by side: each task's operator API on a free port, not all on the default 8089.
            command.addAll(List.of("--http", "127.0.0.1:" + freePort()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The generated API token beside the log, not in the home folder.
        builder.environment().put("REALTIME_SYNC_TOKEN_FILE", log.resolveSibling(log.getFileName() + ".token").toString());
        builder.environment().putAll(environment);
        return new SyncProcess(builder.start(), log);
    }

    /** A port nothing listens on right now. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The process's id (to look at what it holds open). */
    long pid() {
        return process.pid();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** SIGKILL: the JVM gets no chance to flush, commit or clean up. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait for the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** Waits for the process to end by itself; returns its exit status, or -1 if it is still running. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until the process's output holds {@code text} (a line it logs after the work a test saw land, such as
     * "full load done", which follows the commit that made the rows visible); fails with the output otherwise.
     */
    void awaitOutput(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("'" + text + "' did not appear in the output:\n" + output());
            }
            Thread.sleep(200);
        }
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
