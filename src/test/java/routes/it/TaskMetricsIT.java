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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import routes.demo.EmbeddedPostgresServer;
import routes.ops.metrics.PrometheusSamples;
import routes.ops.metrics.TaskMetrics;

/**
 * The tasks' Prometheus metrics against real servers, read from the scrape output of the context's Prometheus
 * registry (the one camel.metrics.enabled=true binds, which /observe/metrics serves): row counters per table equal the
 * rows the workload wrote, a table's state gauge follows it when it stops, the latency histogram fills, and the source
 * probes show the slot's retained WAL and headroom (PostgreSQL) and the binlog headroom (MariaDB).
 */
class TaskMetricsIT {

    private final List<AutoCloseable> closing = new ArrayList<>();
    private PrometheusMeterRegistry meters;

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void postgresTaskCountsEveryTableAndShowsItsSlot() throws Exception {
        Path work = Files.createTempDirectory("rs-it-metrics");
        EmbeddedPostgresServer source = EmbeddedPostgresServer.start(work.resolve("source"));
        closing.add(source);
        EmbeddedPostgresServer target = EmbeddedPostgresServer.start(work.resolve("target"));
        closing.add(target);
        source.createDatabase("shop");
        target.createDatabase("warehouse");
        sql(source, "postgres", "ALTER SYSTEM SET max_slot_wal_keep_size = '1GB'", "SELECT pg_reload_conf()");
        sql(source, "shop", "CREATE TABLE items (id int PRIMARY KEY, v text)", "CREATE TABLE notes (id int PRIMARY KEY, v text)",
                "INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 100) i", "INSERT INTO notes VALUES (1, 'one')");

        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:postgres-cdc-source?task=shop&databaseHostname=localhost&databasePort=" + source.port()
                        + "&databaseDbname=shop&databaseUser=postgres&databasePassword=RAW(" + PostgresPair.PASSWORD + ")"
                        + "&schemaIncludeList=public")
                        .routeId("shop")
                        .to("kamelet:jdbc-merge-sink?task=shop&jdbcUrl=RAW(" + target.jdbcUrl("warehouse") + ")&username=postgres"
                                + "&password=RAW(" + PostgresPair.PASSWORD + ")");
            }
        });
        await("the full load", () -> count(target, "items") == 100 && count(target, "notes") == 1);
        sql(source, "shop", "INSERT INTO items SELECT i, 'new ' || i FROM generate_series(101, 150) i",
                "UPDATE items SET v = 'changed' WHERE id <= 10", "DELETE FROM items WHERE id BETWEEN 141 AND 150",
                "INSERT INTO notes SELECT i, 'n' || i FROM generate_series(2, 6) i");
        // 100 loaded + 50 inserts + 10 updates + 10 deletes on items; 1 loaded + 5 inserts on notes.
        await("every change counted", () -> value("realtime_sync_rows_written_total", "shop", "public.items") == 170
                && value("realtime_sync_rows_written_total", "shop", "public.notes") == 6);
        assertEquals(170, value("realtime_sync_rows_read_total", "shop", "public.items"));
        assertEquals(6, value("realtime_sync_rows_read_total", "shop", "public.notes"));
        assertEquals(0, value("realtime_sync_rows_refused_total", "shop", "public.items"));
        assertEquals(100, value("realtime_sync_full_load_rows", "shop", "public.items"));
        assertTrue(value("realtime_sync_full_load_rows_estimated", "shop", "public.items") > 0, scrape());
        assertTrue(value("realtime_sync_latency_seconds_count", "shop", null) > 0, "latency observed at commits");
        assertTrue(value("realtime_sync_latency_seconds_bucket", "shop", null, "le=\"+Inf\"") > 0, scrape());
        assertEquals(0, value("realtime_sync_engine_restarts_total", "shop", null));
        assertTrue(value("realtime_sync_source_position_age_seconds", "shop", null) >= 0, scrape());
        double fill = value("realtime_sync_capture_queue_fill_ratio", "shop", null);
        assertTrue(fill >= 0 && fill <= 1, "queue fill " + fill);
        assertEquals(1, value("realtime_sync_table_state", "shop", "public.items", "state=\"SYNCING\""));

        await("the slot probed", () -> value("realtime_sync_source_retained_bytes", "shop", null) > 0
                && value("realtime_sync_source_retention_headroom_bytes", "shop", null) > 0);

        // A table the filtered publication cannot hold stops on its own: its state gauge flips to STOPPED.
        sql(source, "shop", "CREATE TABLE late (id int PRIMARY KEY)", "INSERT INTO late VALUES (1)");
        for (int i = 0; i < 120 && Double.isNaN(value("realtime_sync_table_state", "shop", "public.late", "state=\"STOPPED\"")); i++) {
            sql(source, "shop", "INSERT INTO notes VALUES (" + (100 + i) + ", 'tick')"); // keeps commits coming
            Thread.sleep(500);
        }
        assertEquals(1, value("realtime_sync_table_state", "shop", "public.late", "state=\"STOPPED\""), scrape());
        assertEquals(0, value("realtime_sync_table_state", "shop", "public.late", "state=\"SYNCING\""), "0 for the other states");
        assertFalse(scrape().contains(PostgresPair.PASSWORD), "no password in the metrics");
    }

    @Test
    void mariaDbTaskShowsItsBinlogHeadroom() throws Exception {
        EmbeddedMariaDb source = new EmbeddedMariaDb();
        closing.add(source);
        Path work = Files.createTempDirectory("rs-it-metrics-mariadb");
        EmbeddedPostgresServer target = EmbeddedPostgresServer.start(work.resolve("target"));
        closing.add(target);
        target.createDatabase("warehouse");
        source.execute("", "CREATE DATABASE shop", "SET GLOBAL binlog_expire_logs_seconds = 86400");
        source.execute("shop", "CREATE TABLE orders (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO orders SELECT seq, CONCAT('o', seq) FROM seq_1_to_200");

        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:mysql-cdc-source?task=orders&flavour=mariadb&databaseHostname=127.0.0.1&databasePort=" + source.port()
                        + "&databaseUser=" + EmbeddedMariaDb.ADMIN + "&databasePassword=RAW(" + EmbeddedMariaDb.ADMIN_PASSWORD + ")"
                        // No heartbeats: the stored position stays in the binlog file of the last change.
                        + "&databaseIncludeList=shop&heartbeatIntervalMs=0")
                        .routeId("orders")
                        .to("kamelet:jdbc-merge-sink?task=orders&jdbcUrl=RAW(" + target.jdbcUrl("warehouse") + ")&username=postgres"
                                + "&password=RAW(" + PostgresPair.PASSWORD + ")");
            }
        });
        await("the full load", () -> value("realtime_sync_full_load_rows", "orders", "shop.orders") == 200);
        source.execute("shop", "UPDATE orders SET v = 'changed' WHERE id <= 20", "INSERT INTO orders VALUES (201, 'new')");
        await("the changes counted", () -> value("realtime_sync_rows_written_total", "orders", "shop.orders") == 221);
        assertEquals(221, value("realtime_sync_rows_read_total", "orders", "shop.orders"));
        assertTrue(value("realtime_sync_latency_seconds_count", "orders", null) > 0, "latency observed at commits");
        assertEquals(1, value("realtime_sync_table_state", "orders", "shop.orders", "state=\"SYNCING\""));
        assertEquals(0, value("realtime_sync_table_state", "orders", "shop.orders", "state=\"STOPPED\""));
        // The task's file is the one being written: it has the whole period ahead once it closes.
        await("the binlog probed", () -> value("realtime_sync_binlog_headroom_seconds", "orders", null) == 86400);

        // Once the server moved on to a new file (the task has no change since, so it still needs the old one), the
        // task's file counts down from when it closed.
        source.execute("", "FLUSH BINARY LOGS");
        await("the closed file's headroom", () -> {
            double headroom = value("realtime_sync_binlog_headroom_seconds", "orders", null);
            return headroom < 86400 && headroom > 86400 - 600;
        });
        assertFalse(scrape().contains(EmbeddedMariaDb.ADMIN_PASSWORD), "no password in the metrics");
    }

    private void start(RouteBuilder task) throws Exception {
        CamelContext context = new DefaultCamelContext();
        // What camel.metrics.enabled=true binds (camel-micrometer-prometheus), without the HTTP server.
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        context.getRegistry().bind(TaskMetrics.METER_REGISTRY, meters);
        context.addRoutes(task);
        context.start();
        closing.add(context::stop);
    }

    private String scrape() {
        return meters.scrape();
    }

    /** The sample of a metric with these labels (table and extra ones optional); NaN when there is none. */
    private double value(String metric, String task, String table, String... labels) {
        String[] all = new String[labels.length + 2];
        all[0] = "task=\"" + task + "\"";
        all[1] = table == null ? null : "table=\"" + table + "\"";
        System.arraycopy(labels, 0, all, 2, labels.length);
        return PrometheusSamples.sample(scrape(), metric, all);
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up waiting for " + what);
            }
            Thread.sleep(300);
        }
    }

    private static long count(EmbeddedPostgresServer server, String table) throws Exception {
        try (Connection c = server.connect("warehouse"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return -1;
            }
            throw e;
        }
    }

    private static void sql(EmbeddedPostgresServer server, String database, String... statements) throws Exception {
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
