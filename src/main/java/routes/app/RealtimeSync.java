package routes.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TimeZone;

import org.apache.camel.main.Main;

import routes.demo.Demo;
import routes.ops.TaskProblem;
import routes.ops.TaskStatus;

/**
 * The command line: {@code run TASK.yaml...} runs tasks until stopped; {@code demo} runs a sync from an embedded
 * PostgreSQL server into DuckDB. The exit status is 1 when a task stopped on an error, whose reason is the last line.
 */
public final class RealtimeSync {

    private RealtimeSync() {
    }

    public static void main(String[] args) throws Exception {
        // Debezium's MySQL/MariaDB connector turns the driver's TIMESTAMP values into instants through the JVM's time
        // zone during the full load: anywhere but UTC they come out shifted. Our own code does not depend on it.
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println("""
                    Usage: realtime-sync run TASK.yaml [TASK.yaml ...]   run sync tasks (Camel YAML routes)
                           realtime-sync demo [--seconds N] [--target duckdb|postgres]  sync an embedded PostgreSQL server into DuckDB (default) or a second one""");
            return;
        }
        int status = switch (args[0]) {
            case "run" -> run(Arrays.asList(args).subList(1, args.length));
            case "demo" -> Demo.run(Arrays.asList(args).subList(1, args.length));
            default -> {
                System.err.println("realtime-sync: unknown command '" + args[0] + "' (try --help)");
                yield 2;
            }
        };
        System.exit(status);
    }

    static int run(List<String> files) throws Exception {
        if (files.isEmpty()) {
            System.err.println("realtime-sync: name the task file(s) to run, e.g. run examples/postgres-to-postgres.yaml");
            return 2;
        }
        List<String> routes = new ArrayList<>();
        for (String file : files) {
            Path path = Path.of(file).toAbsolutePath();
            if (!Files.isReadable(path)) {
                System.err.println("realtime-sync: cannot read task file " + path);
                return 2;
            }
            routes.add("file:" + path);
        }
        return runRoutes(String.join(",", routes));
    }

    /** Runs the routes until the process is stopped or a task fails; returns the exit status. */
    public static int runRoutes(String routesIncludePattern) {
        Main main = new Main();
        main.configure().withRoutesIncludePattern(routesIncludePattern);
        List<String> failures = new ArrayList<>();
        TaskStatus.onFailure((task, reason) -> {
            synchronized (failures) {
                failures.add("realtime-sync: task '" + task + "' stopped: " + reason);
            }
            main.completed();
        });
        try {
            main.run();
        } catch (Exception e) {
            System.err.println("realtime-sync: " + explain(e));
            return 1;
        }
        synchronized (failures) {
            failures.forEach(System.err::println);
            return failures.isEmpty() ? 0 : 1;
        }
    }

    /** The one line a person needs: our own explanation when there is one, else the innermost cause. */
    static String explain(Throwable error) {
        Throwable root = error;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof TaskProblem) {
                return t.getMessage();
            }
            root = t;
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (message.contains("Property with key [")) {
            String key = message.replaceAll("(?s).*Property with key \\[([^\\]]+)\\].*", "$1");
            return "the setting " + key + " is missing: set the environment variable " + key + " (or pass -D" + key + "=...)";
        }
        return message;
    }
}
