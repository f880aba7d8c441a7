package routes.app;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.logging.log4j.jul.Log4jBridgeHandler;

import routes.ops.TaskProblem;
import routes.ops.api.ApiToken;
import routes.ops.api.OperatorApi;
import routes.ops.console.ConsoleRoutes;
import routes.ops.TaskEvent;
import routes.state.StartPosition;
import routes.state.TaskRegistry;

/**
 * The command line: {@code run TASK.yaml...} runs tasks until stopped; {@code check TASK.yaml...} checks them without
 * running them; {@code alerts test FILE...} sends a test message through each alert channel ({@link AlertTestMessages});
 * {@link ApiCommands} ask a running task's API; {@code demo} runs a sync from an embedded PostgreSQL server into DuckDB.
 * The exit status is 1 when a task stopped on an error, whose reason is the last line.
 */
public final class RealtimeSync {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RealtimeSync.class);

    private RealtimeSync() {
    }

    static final String USAGE = """
            Usage: realtime-sync COMMAND
              run TASK.yaml [TASK.yaml ...] [--http HOST:PORT|off] [--start-from POSITION]
                                               run sync tasks (Camel YAML routes) until stopped; exit status 1 when
                                               a task stops on an error, whose reason is the last line. The operator
                                               API (docs/operating.md) listens on 127.0.0.1:8089 unless moved or off.
                                               --start-from latest|initial|lsn:X/Y|binlog:FILE:POS|gtid:SET|timestamp:ISO
                                               starts reading the source there once (docs/start-positions.md)
              check TASK.yaml [TASK.yaml ...]  check the task(s) without running them or writing anything: every
                                               problem found, one a line with its fix (SQL to paste for grants and
                                               settings); exit status 0 and one line "ready" when there is none
              alerts test FILE [FILE ...]      send one test message through each alert channel of alerting route
                                               files (examples/alerts*.yaml): one line per channel, OK or FAILED with
                                               the vendor's reason; exit status 1 when one failed (docs/alerting.md)
              demo [--seconds N] [--target duckdb|postgres]
                                               sync an embedded PostgreSQL server with a live workload into DuckDB
                                               (default) or a second PostgreSQL, printing progress every 3 s
              --version                        print the version
              --help                           print this
            The commands below ask a running task's operator API, at --http HOST:PORT (default 127.0.0.1:8089),
            with the token from REALTIME_SYNC_TOKEN or the token file; exit status 1 with the API's reason when it
            refuses. TABLE is schema.table (PostgreSQL) or database.table (MySQL family):
              status [TASK]                    each task's phase, counters, latency and last error
              tables TASK                      each table's state, since when and why
              pause TASK TABLE                 hold the table's changes (kept on the target) while the others go on
              resume TASK TABLE                apply the held changes; the table streams again
              resync TASK TABLE                reload the table while the task streams (also brings back a stopped one)
              backfill TASK TABLE --where CONDITION
                                               copy anew the source rows the condition selects
              prioritize TASK TABLE            move the table to the front of the running full load
              cancel TASK TABLE                take the table out of the running full load (stopped until a resync)
              stop TASK                        stop the task's capture; the process and its API stay up
              start TASK [--from POSITION]     start a stopped task again (from its committed position)

            The example tasks (examples/*.yaml) read their connections from the environment (or -DNAME=value):
              SOURCE_HOST, SOURCE_PORT, SOURCE_DATABASE, SOURCE_USER, SOURCE_PASSWORD   the source database
              SOURCE_FLAVOUR                   mysql or mariadb (MySQL-family sources)
              TARGET_JDBC_URL, TARGET_USER, TARGET_PASSWORD                             the target database
              KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG
                                               the Kafka target (examples/postgres-to-kafka.yaml)
              DORIS_FE_HTTP, DORIS_FE_JDBC, TARGET_DATABASE, DORIS_USER, DORIS_PASSWORD,
              STATE_JDBC_URL, STATE_USER, STATE_PASSWORD  the Doris target and its state (examples/mysql-to-doris.yaml)
              TARGET_WRITE_STATEMENT           upsert or merge (examples/postgres-to-duckdb.yaml)
              APPEND_LOG_FORMAT                flattened or json (examples/postgres-append-log.yaml)
              REALTIME_SYNC_LOG_LEVEL          DEBUG adds stack traces to the one-line problems (default INFO)
              REALTIME_SYNC_TOKEN              the operator API's bearer token; without it run generates one and
                                               writes it to REALTIME_SYNC_TOKEN_FILE (default ~/.realtime-sync/token-PORT)

            Without -Xmx the jar runs itself with -Xmx256m -XX:+UseParallelGC. Documentation: README.md and docs/.""";

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        if (args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return;
        }
        if (args[0].equals("--version")) {
            System.out.println("realtime-sync " + version());
            return;
        }
        if (ApiCommands.COMMANDS.contains(args[0])) {
            System.exit(ask(args[0], Arrays.asList(args).subList(1, args.length)));
        }
        if (args[0].equals("run")) {
            // Before the JVM runs itself again with a bounded heap: a bad --http is this one line and nothing else.
            String problem = httpProblem(new ArrayList<>(Arrays.asList(args).subList(1, args.length)));
            if (problem != null) {
                System.err.println("realtime-sync: " + problem);
                System.exit(2);
            }
        }
        Optional<Integer> relaunched = BoundedHeap.relaunchIfUnbounded(args);
        if (relaunched.isPresent()) {
            System.exit(relaunched.get());
        }
        // Debezium's MySQL/MariaDB connector turns the driver's TIMESTAMP values into instants through the JVM's time
        // zone during the full load: anywhere but UTC they come out shifted. Our own code does not depend on it.
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        ReportedProblemFilter.install();
        // The binlog client logs through java.util.logging, its reconnect tries among them: into the same log.
        Log4jBridgeHandler.install(true, null, true);
        BoundedHeap.reportIfRelaunched();
        int status = switch (args[0]) {
            case "run" -> run(Arrays.asList(args).subList(1, args.length));
            case "demo" -> demo(Arrays.asList(args).subList(1, args.length));
            case "check" -> check(Arrays.asList(args).subList(1, args.length));
            case "alerts" -> new AlertTestMessages(System.out, System.err).run(Arrays.asList(args).subList(1, args.length));
            default -> {
                System.err.println("realtime-sync: unknown command '" + args[0] + "' (try --help)");
                yield 2;
            }
        };
        System.exit(status);
    }

    /** The version the jar was built as (its manifest's Implementation-Version). */
    static String version() {
        String version = RealtimeSync.class.getPackage().getImplementationVersion();
        return version == null ? "(not built as a jar)" : version;
    }

    /**
     * The demo (src/demo) is in the runnable jar only, so that applications embedding the routes get neither it nor
     * its PostgreSQL binaries: it is looked up by name.
     */
    static int demo(List<String> args) throws Exception {
        Class<?> demo;
        try {
            demo = Class.forName("routes.demo.Demo");
        } catch (ClassNotFoundException e) {
            System.err.println("realtime-sync: the demo is only in the runnable jar: mvn package, then java -jar target/realtime-sync.jar demo");
            return 2;
        }
        try {
            return (Integer) demo.getMethod("run", List.class).invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    static int run(List<String> arguments) throws Exception {
        List<String> files = new ArrayList<>(arguments);
        String problem = httpProblem(new ArrayList<>(arguments));
        if (problem != null) {
            System.err.println("realtime-sync: " + problem);
            return 2;
        }
        HttpAddress http = HttpAddress.take(files);
        StartPosition startFrom;
        try {
            startFrom = StartFrom.take(files);
        } catch (IllegalArgumentException e) {
            System.err.println("realtime-sync: " + e.getMessage());
            return 2;
        }
        String routes = routesOf(files, "run");
        return routes == null ? 2 : runRoutes(routes, 0, http, startFrom);
    }

    /** {@code check TASK.yaml...}: every problem the tasks would meet, without running them ({@link TaskCheck}). */
    static int check(List<String> files) {
        String routes = routesOf(files, "check");
        return routes == null ? 2 : new TaskCheck(System.out).check(routes);
    }

    /** The task files as camel-main's routes include pattern; null after saying on stderr why there is none. */
    private static String routesOf(List<String> files, String command) {
        if (files.isEmpty()) {
            System.err.println("realtime-sync: name the task file(s) to " + command + ", e.g. " + command + " examples/postgres-to-postgres.yaml");
            return null;
        }
        List<String> routes = new ArrayList<>();
        for (String file : files) {
            Path path = Path.of(file).toAbsolutePath();
            if (!Files.isReadable(path)) {
                System.err.println("realtime-sync: cannot read task file " + path);
                return null;
            }
            routes.add("file:" + path);
        }
        return String.join(",", routes);
    }

    /** What is wrong with run's {@code --http} (bad address, port in use); null when it can be served or is off. */
    static String httpProblem(List<String> runArguments) {
        try {
            HttpAddress http = HttpAddress.take(runArguments);
            if (http != null) {
                http.checkFree();
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** {@link ApiCommands#COMMANDS}: through the operator API of a running task. */
    static int ask(String command, List<String> arguments) throws Exception {
        List<String> args = new ArrayList<>(arguments);
        HttpAddress http;
        try {
            http = HttpAddress.take(args);
        } catch (IllegalArgumentException e) {
            System.err.println("realtime-sync: " + e.getMessage());
            return 2;
        }
        if (http == null) {
            System.err.println("realtime-sync: " + command + " asks a task's API: name its address with --http HOST:PORT");
            return 2;
        }
        return new ApiCommands(http, System.out, System.err).run(command, args);
    }

    /** Runs the routes until the process is stopped or a task fails; returns the exit status. */
    public static int runRoutes(String routesIncludePattern) {
        return runRoutes(routesIncludePattern, 0);
    }

    /** The same, stopping on its own after the given number of seconds when it is above 0 (no operator API). */
    public static int runRoutes(String routesIncludePattern, int maxSeconds) {
        return runRoutes(routesIncludePattern, maxSeconds, null);
    }

    /** The same, serving the operator API at {@code http} unless it is null. */
    static int runRoutes(String routesIncludePattern, int maxSeconds, HttpAddress http) {
        return runRoutes(routesIncludePattern, maxSeconds, http, null);
    }

    /** The same, every task starting from {@code startFrom} (unless null) instead of its committed position. */
    static int runRoutes(String routesIncludePattern, int maxSeconds, HttpAddress http, StartPosition startFrom) {
        Main main = new Main();
        main.configure().withRoutesIncludePattern(routesIncludePattern);
        if (http != null) {
            try {
                serveApi(main, http);
            } catch (IllegalStateException e) {
                System.err.println("realtime-sync: " + e.getMessage());
                return 2;
            }
        }
        if (maxSeconds > 0) {
            main.configure().withDurationMaxSeconds(maxSeconds);
        }
        List<String> failures = new ArrayList<>();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                if (startFrom != null) {
                    TaskRegistry.of(configured.getCamelContext()).startEveryTaskFrom(new StartPosition.Request(startFrom, true));
                }
                TaskRegistry.of(configured.getCamelContext()).onEvent(event -> {
                    if (event instanceof TaskEvent.TaskFailed failed) {
                        synchronized (failures) {
                            failures.add("realtime-sync: task '" + failed.task() + "' stopped: " + failed.reason());
                        }
                        main.completed();
                    }
                });
            }
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

    /**
     * Camel's embedded server (camel.server.*) with the operator API's REST routes, and Camel's management server
     * (camel.management.*: /observe/metrics once metrics are on the classpath) on the same address, so that one
     * token check covers both. Health is the API's own (/observe/health/live and /ready), not management's.
     */
    private static void serveApi(Main main, HttpAddress http) {
        ApiToken token = ApiToken.forPort(http.port());
        main.configure().httpServer().withEnabled(true).withHost(http.host()).withPort(http.port());
        main.configure().httpManagementServer().withEnabled(true).withHost(http.host()).withPort(http.port())
                .withHealthCheckEnabled(false).withJolokiaEnabled(false).withInfoEnabled(false).withDevConsoleEnabled(false)
                .withMetricsEnabled(true);
        // The task meters (routes.ops.metrics) go into the registry camel.metrics creates. Camel's own per-exchange
        // timers would sit on the data path, so they stay off (as properties: camel-main reads only "enabled" from
        // the typed metrics configuration).
        main.addInitialProperty("camel.metrics.enabled", "true");
        main.addInitialProperty("camel.metrics.enableRoutePolicy", "false");
        main.addInitialProperty("camel.metrics.enableExchangeEventNotifier", "false");
        main.configure().addRoutesBuilder(new OperatorApi(token));
        main.configure().addRoutesBuilder(new ConsoleRoutes(token));
        LOG.info("Operator API on {} (docs/operating.md), web console on {}/console/; its token is {}", http.url(), http.url(), token.source());
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
