package routes.ops.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import routes.capture.SourceDatabase;
import routes.change.TableId;
import routes.state.SyncTask;
import routes.state.TableState;
import routes.state.TaskRegistry;
import routes.state.TaskSink;
import routes.state.TransactionBoundary;

/** The names, labels and meaning of the task metrics in the Prometheus text, fed through the task registry. */
class TaskMetricsTest {

    private static final TableId ITEMS = new TableId("public", "items");
    private static final TableId NOTES = new TableId("public", "notes");

    private final CamelContext context = new DefaultCamelContext();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TaskRegistry tasks;
    private final TaskMetrics metrics;

    TaskMetricsTest() {
        context.getRegistry().bind(TaskMetrics.METER_REGISTRY, meters);
        tasks = TaskRegistry.of(context);
        metrics = new TaskMetrics(context, tasks);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void everyMetricHasItsPrometheusNameLabelsAndMeaning() {
        SyncTask task = tasks.task("shop");
        task.writerStarted(new Writer());
        task.captureSettings(Map.of("connector.class", "io.debezium.connector.postgresql.PostgresConnector"));
        task.engineStarted();
        task.table(ITEMS, TableState.SYNCING, null);
        task.table(NOTES, TableState.SYNCING, null);
        task.loadPlanned(ITEMS, 2, 0, 0);
        task.loadEstimated(ITEMS, 120);
        task.chunkCommitted(ITEMS, 60, 59);
        task.rowRefused(ITEMS, "value too long", null);
        long sourceCommit = System.currentTimeMillis() - 2_000;
        for (int i = 0; i < 3; i++) {
            task.rowRead(task.counters(NOTES), sourceCommit);
        }
        task.rowsApplied(NOTES, 3);
        metrics.refresh();

        assertEquals(3, value("realtime_sync_rows_read_total", "table=\"public.notes\""));
        assertEquals(0, value("realtime_sync_rows_written_total", "table=\"public.notes\""), "applied, not yet committed");
        task.committed(Map.of("{\"server\":\"shop\"}", "{\"lsn\":10}"), 3);
        assertEquals(3, value("realtime_sync_rows_written_total", "table=\"public.notes\""));
        assertEquals(60, value("realtime_sync_rows_read_total", "table=\"public.items\""));
        assertEquals(59, value("realtime_sync_rows_written_total", "table=\"public.items\""));
        assertEquals(1, value("realtime_sync_rows_refused_total", "table=\"public.items\""));
        assertEquals(59, value("realtime_sync_full_load_rows", "table=\"public.items\""));
        assertEquals(120, value("realtime_sync_full_load_rows_estimated", "table=\"public.items\""));
        assertEquals(1, value("realtime_sync_latency_seconds_count"));
        assertEquals(1, value("realtime_sync_latency_seconds_bucket", "le=\"+Inf\""));
        assertEquals(0, value("realtime_sync_latency_seconds_bucket", "le=\"1.0\""), "2 s from commit to visible");
        assertEquals(1, value("realtime_sync_latency_seconds_bucket", "le=\"2.5\""));
        assertTrue(value("realtime_sync_source_position_age_seconds") >= 2, scrape());
        assertEquals(0, value("realtime_sync_engine_restarts_total"));
        task.engineStarted();
        assertEquals(1, value("realtime_sync_engine_restarts_total"));

        assertEquals(1, value("realtime_sync_table_state", "table=\"public.items\"", "state=\"SYNCING\""));
        assertEquals(0, value("realtime_sync_table_state", "table=\"public.items\"", "state=\"STOPPED\""));
        task.table(ITEMS, TableState.STOPPED, "column v was narrowed");
        assertEquals(0, value("realtime_sync_table_state", "table=\"public.items\"", "state=\"SYNCING\""));
        assertEquals(1, value("realtime_sync_table_state", "table=\"public.items\"", "state=\"STOPPED\""));
        assertEquals(1, value("realtime_sync_table_state", "table=\"public.notes\"", "state=\"SYNCING\""));

        String text = scrape();
        Map<String, String> families = Map.ofEntries(Map.entry("rows_read_total", "counter"),
                Map.entry("rows_written_total", "counter"), Map.entry("rows_refused_total", "counter"),
                Map.entry("latency_seconds", "histogram"), Map.entry("table_state", "gauge"), Map.entry("full_load_rows", "gauge"),
                Map.entry("full_load_rows_estimated", "gauge"), Map.entry("source_position_age_seconds", "gauge"),
                Map.entry("engine_restarts_total", "counter"), Map.entry("capture_queue_fill_ratio", "gauge"),
                Map.entry("source_retained_bytes", "gauge"), Map.entry("source_retention_headroom_bytes", "gauge"));
        families.forEach((name, type) -> {
            String family = "realtime_sync_" + name.replaceAll("_total$", "");
            assertTrue(text.contains("# TYPE " + family + " " + type + "\n") || text.contains("# TYPE " + family + "_total " + type + "\n"),
                    family + " " + type + " in\n" + text);
            assertTrue(text.contains("\nrealtime_sync_" + name + (type.equals("histogram") ? "_count{" : "{")), name + " in\n" + text);
        });
        assertTrue(text.lines().filter(l -> l.startsWith("realtime_sync_")).allMatch(l -> l.contains("task=\"shop\"")),
                "every sample has its task label");
        assertFalse(text.contains("_total_total"), text);
        assertFalse(text.contains("binlog_headroom"), "a PostgreSQL task has no binlog");
    }

    @Test
    void aBinlogSourceHasItsHeadroomGauge() {
        SyncTask task = tasks.task("orders");
        task.captureSettings(Map.of("connector.class", "io.debezium.connector.mariadb.MariaDbConnector"));
        metrics.refresh();

        assertTrue(scrape().contains("# TYPE realtime_sync_binlog_headroom_seconds gauge"), scrape());
        assertFalse(scrape().contains("source_retained_bytes"), "a binlog source has no slot");
    }

    @Test
    void rowsAppliedByARunThatNeverCommittedAreNotCountedAsWritten() {
        SyncTask task = tasks.task("shop");
        task.writerStarted(new Writer());
        task.rowsApplied(ITEMS, 5);
        // The target failed before its commit; the writer starts again and the capture reads those rows again.
        task.writerStarted(new Writer());
        task.rowsApplied(ITEMS, 5);
        task.committed(Map.of("{\"server\":\"shop\"}", "{\"lsn\":10}"), 5);
        metrics.refresh();

        assertEquals(5, value("realtime_sync_rows_written_total", "table=\"public.items\""));
    }

    @Test
    void theLatencyOfACommitIsItsOldestChangesWait() {
        SyncTask task = tasks.task("shop");
        task.writerStarted(new Writer());
        metrics.refresh();
        long now = System.currentTimeMillis();
        task.rowRead(task.counters(ITEMS), now - 5_000);
        task.rowRead(task.counters(ITEMS), now - 1_000);
        task.rowsApplied(ITEMS, 2);
        task.committed(Map.of("{\"server\":\"shop\"}", "{\"lsn\":10}"), 2);

        assertEquals(1, value("realtime_sync_latency_seconds_count"));
        assertEquals(0, value("realtime_sync_latency_seconds_bucket", "le=\"2.5\""), "the change committed 5 s ago waited 5 s");
        assertEquals(1, value("realtime_sync_latency_seconds_bucket", "le=\"10.0\""));

        task.rowRead(task.counters(ITEMS), System.currentTimeMillis() - 100);
        task.rowsApplied(ITEMS, 1);
        task.committed(Map.of("{\"server\":\"shop\"}", "{\"lsn\":11}"), 1);
        assertEquals(2, value("realtime_sync_latency_seconds_count"));
        assertEquals(1, value("realtime_sync_latency_seconds_bucket", "le=\"1.0\""), "the next commit starts afresh");
    }

    private String scrape() {
        return meters.scrape();
    }

    /** The sample of a metric whose line has these labels besides its task's; NaN when there is none. */
    private double value(String metric, String... labels) {
        return PrometheusSamples.sample(scrape(), metric, labels);
    }

    private static final class Writer implements TaskSink {
        @Override
        public Map<String, String> open(SourceDatabase source, boolean fullLoadWanted) {
            return Map.of();
        }

        @Override
        public void commit(Map<String, String> offsets) {
        }

        @Override
        public List<String> schemaHistory() {
            return List.of();
        }

        @Override
        public void appendSchemaHistory(String record) {
        }

        @Override
        public void captureStopped() {
        }

        @Override
        public TransactionBoundary transactionBoundary() {
            return new TransactionBoundary();
        }
    }
}
