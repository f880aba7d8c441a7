package routes.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import routes.app.RealtimeSync;

/**
 * Needs nothing installed: starts an embedded PostgreSQL server, fills it with sample tables, runs the example task
 * examples/postgres-to-duckdb.yaml into a DuckDB file (or, with {@code --target postgres}, examples/postgres-to-postgres.yaml
 * into a second embedded PostgreSQL server), keeps changing the source, and prints every few seconds how the target
 * compares with the source.
 */
public final class Demo {

    private static final List<String> TABLES = List.of("customers", "orders");
    private static volatile boolean finishing;

    private Demo() {
    }

    /** Where the demo's target rows are counted. */
    private interface Target extends AutoCloseable {
        Connection connect() throws SQLException;

        String table(String name);

        @Override
        void close();
    }

    public static int run(List<String> args) throws Exception {
        int seconds = option(args, "--seconds").map(Integer::parseInt).orElse(0);
        boolean postgresTarget = option(args, "--target").map("postgres"::equals).orElse(false);
        Path work = Files.createTempDirectory("realtime-sync-demo");
        // Ctrl-C ends the JVM once its shutdown hooks are done: hold it until the servers stopped and the folder is gone.
        CountDownLatch cleanedUp = new CountDownLatch(1);
        Thread awaitCleanUp = new Thread(() -> {
            try {
                cleanedUp.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "realtime-sync-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(awaitCleanUp);
        try {
            return run(work, seconds, postgresTarget);
        } finally {
            finishing = true;
            EmbeddedPostgresServer.deleteRecursively(work);
            cleanedUp.countDown();
        }
    }

    private static int run(Path work, int seconds, boolean postgresTarget) throws Exception {
        try (EmbeddedPostgresServer source = EmbeddedPostgresServer.start(work.resolve("source"));
                Target target = postgresTarget ? postgresTarget(work) : duckDbTarget(work)) {
            source.createDatabase("shop");
            try (Connection c = source.connect("shop")) {
                createSampleData(c);
            }
            System.setProperty("SOURCE_HOST", "localhost");
            System.setProperty("SOURCE_PORT", String.valueOf(source.port()));
            System.setProperty("SOURCE_DATABASE", "shop");
            System.setProperty("SOURCE_USER", "postgres");
            System.setProperty("SOURCE_PASSWORD", "demo");
            System.out.printf("Demo: source PostgreSQL on port %d (database shop), target %s%n", source.port(),
                    System.getProperty("TARGET_JDBC_URL"));
            if (seconds == 0) {
                System.out.println("Demo: runs until Ctrl-C (or give --seconds N); it prints source and target row counts every 3 s");
            }

            ScheduledExecutorService background = Executors.newScheduledThreadPool(2);
            Connection workload = source.connect("shop");
            background.scheduleAtFixedRate(() -> change(workload), 2, 20, TimeUnit.MILLISECONDS);
            background.scheduleAtFixedRate(() -> report(source, target), 3, 3, TimeUnit.SECONDS);
            try {
                int status = RealtimeSync.runRoutes(postgresTarget ? "classpath:examples/postgres-to-postgres.yaml"
                        : "classpath:examples/postgres-to-duckdb.yaml", seconds);
                if (seconds > 0) {
                    report(source, target);
                }
                finishing = true;
                return status;
            } finally {
                background.shutdownNow();
                background.awaitTermination(10, TimeUnit.SECONDS);
                workload.close();
            }
        }
    }

    private static java.util.Optional<String> option(List<String> args, String name) {
        int at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? java.util.Optional.of(args.get(at + 1)) : java.util.Optional.empty();
    }

    /** The default target: a DuckDB file, read by the demo through the task's own DuckDB instance (same JVM). */
    private static Target duckDbTarget(Path work) {
        String url = "jdbc:duckdb:" + work.resolve("warehouse.duckdb");
        System.setProperty("TARGET_JDBC_URL", url);
        return new Target() {
            public Connection connect() throws SQLException {
                return java.sql.DriverManager.getConnection(url);
            }

            public String table(String name) {
                return "main." + name;
            }

            public void close() {
            }
        };
    }

    private static Target postgresTarget(Path work) throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(work.resolve("target"));
        server.createDatabase("warehouse");
        System.setProperty("TARGET_JDBC_URL", server.jdbcUrl("warehouse"));
        System.setProperty("TARGET_USER", "postgres");
        System.setProperty("TARGET_PASSWORD", "demo");
        return new Target() {
            public Connection connect() throws SQLException {
                return server.connect("warehouse");
            }

            public String table(String name) {
                return "public." + name;
            }

            public void close() {
                try {
                    server.close();
                } catch (java.io.IOException e) {
                    System.out.println("Demo: target server did not stop cleanly: " + e.getMessage());
                }
            }
        };
    }

    private static void createSampleData(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, email varchar(120),
                                            created_at timestamptz NOT NULL DEFAULT now())""");
            s.execute("""
                    CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int, status varchar(16),
                                         amount numeric(12,2), qty int, created_at timestamp, updated_at timestamp,
                                         note text, flag boolean, payload jsonb)""");
            s.execute("CREATE TABLE page_views (url text, viewed_at timestamptz)"); // no primary key: reported, skipped
            s.execute("""
                    INSERT INTO customers (name, email)
                    SELECT 'customer ' || i, 'c' || i || '@example.com' FROM generate_series(1, 2000) i""");
            s.execute("""
                    INSERT INTO orders (customer_id, status, amount, qty, created_at, updated_at, note, flag, payload)
                    SELECT 1 + i % 2000, (ARRAY['new','paid','shipped'])[1 + i % 3], round((i % 997) * 1.37, 2), 1 + i % 5,
                           timestamp '2024-01-01' + i * interval '37 seconds', timestamp '2024-01-01' + i * interval '41 seconds',
                           CASE WHEN i % 100 = 0 THEN NULL ELSE md5(i::text) END, i % 2 = 0,
                           jsonb_build_object('a', i, 'b', md5(i::text))
                      FROM generate_series(1, 50000) i""");
        }
    }

    /** One random insert, update or delete, like a busy shop. */
    private static void change(Connection c) {
        int pick = ThreadLocalRandom.current().nextInt(10);
        long id = 1 + ThreadLocalRandom.current().nextLong(50_000);
        String sql = switch (pick) {
            case 0, 1, 2, 3 -> "INSERT INTO orders (customer_id, status, amount, qty, created_at, updated_at, flag) "
                    + "VALUES (" + (1 + id % 2000) + ", 'new', 9.99, 1, now(), now(), true)";
            case 4, 5, 6, 7 -> "UPDATE orders SET status = 'paid', qty = qty + 1, updated_at = now() WHERE id = " + id;
            case 8 -> "DELETE FROM orders WHERE id = " + id;
            default -> "UPDATE customers SET email = 'new" + id + "@example.com' WHERE id = " + (1 + id % 2000);
        };
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            if (!finishing && !serverStopping(e)) {
                System.out.println("Demo workload: " + e.getMessage());
            }
        }
    }

    private static void report(EmbeddedPostgresServer source, Target target) {
        StringBuilder line = new StringBuilder("Demo:");
        for (String table : TABLES) {
            line.append(String.format(" %s source=%d target=%d", table, count(() -> source.connect("shop"), "public." + table),
                    count(target::connect, target.table(table))));
        }
        System.out.println(line);
    }

    /** Ctrl-C reaches the embedded servers too, which then end their sessions: that is the demo ending, not an error. */
    private static boolean serverStopping(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("08") || state.startsWith("57");
    }

    private interface Connector {
        Connection connect() throws SQLException;
    }

    private static long count(Connector server, String table) {
        try (Connection c = server.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if (!finishing && !serverStopping(e)) {
                System.out.println("Demo: cannot count " + table + ": " + e.getMessage());
            }
            return -1;
        }
    }
}
