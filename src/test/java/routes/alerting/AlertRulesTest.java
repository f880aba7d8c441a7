package routes.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import routes.alerting.AlertMessage.Level;
import routes.change.SourcePosition;
import routes.change.TableId;
import routes.ops.TaskEvent;
import routes.state.SyncTask;
import routes.state.TaskRegistry;

/**
 * The rules no route test covers, on events and task state built here: engine restarts, refused rows, a stalled full
 * load, the source's retention, the heap. Times are given to the rules, so nothing waits.
 */
class AlertRulesTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final TableId ORDERS = new TableId("public", "orders");
    private static final TableId ITEMS = new TableId("public", "items");
    private static final AtomicLong COMMITS = new AtomicLong();

    private CamelContext context;
    private AlertRules rules;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        rules = new AlertRules();
        rules.setCamelContext(context);
        rules.heap(() -> new MemoryUsage(0, 100, 1000, 1000));
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void engineRestartsAlertOnceTheCountIsReachedWithinTheWindowAndSuppressionHoldsTheNextBack() throws Exception {
        rules.setEngineRestarts(3);
        rules.setEngineRestartsWindowMinutes(10);
        rules.setLevels("engine-restarts=CRITICAL");
        AlertHistory history = new AlertHistory(Files.createTempDirectory("rs-alert-rules"), Duration.ofHours(1));

        assertEquals(List.of(), rules.engineRestarted(restart(T0)));
        assertEquals(List.of(), rules.engineRestarted(restart(T0.plusSeconds(3 * 60))));
        // The first restart fell out of the window: still two within it.
        assertEquals(List.of(), rules.engineRestarted(restart(T0.plusSeconds(11 * 60))));
        List<AlertMessage> third = rules.engineRestarted(restart(T0.plusSeconds(12 * 60)));
        assertEquals(1, third.size());
        AlertMessage alert = third.get(0);
        assertEquals("engine-restarts", alert.rule());
        assertEquals(Level.CRITICAL, alert.level());
        assertEquals("3 restarts in 10 min", alert.value());
        assertEquals("3 restarts", alert.threshold());
        assertEquals(T0.plusSeconds(3 * 60), alert.since(), "the oldest restart within the window");

        assertTrue(history.admitsAt(alert, T0.plusSeconds(12 * 60)));
        history.recordAt(alert, T0.plusSeconds(12 * 60));
        List<AlertMessage> fourth = rules.engineRestarted(restart(T0.plusSeconds(13 * 60)));
        assertEquals("4 restarts in 10 min", fourth.get(0).value());
        assertTrue(!history.admitsAt(fourth.get(0), T0.plusSeconds(13 * 60)), "held back within the minimum interval");
    }

    @Test
    void engineRestartsLevelIsWarningByDefaultAndTheRuleCanBeOff() {
        rules.setEngineRestarts(1);
        assertEquals(Level.WARNING, rules.engineRestarted(restart(T0)).get(0).level());
        rules.setRules("task-status");
        assertEquals(List.of(), rules.engineRestarted(restart(T0.plusSeconds(1))));
    }

    @Test
    void refusedRowsAlertWhenTheLimitIsReachedWithinTheWindowPerTable() {
        rules.setRefusedRows(5);
        rules.setRefusedRowsWindowMinutes(10);

        assertEquals(List.of(), rules.rowsRefused(refused("public.orders", T0, 3)));
        assertEquals(List.of(), rules.rowsRefused(refused("public.items", T0.plusSeconds(60), 4)), "another table counts apart");
        List<AlertMessage> reached = rules.rowsRefused(refused("public.orders", T0.plusSeconds(120), 2));
        assertEquals(1, reached.size());
        AlertMessage alert = reached.get(0);
        assertEquals("refused-rows", alert.rule());
        assertEquals("public.orders", alert.table());
        assertEquals(Level.WARNING, alert.level());
        assertEquals("5 rows refused in 10 min (last: value too long)", alert.value());
        assertEquals("5 rows", alert.threshold());
        assertEquals(T0, alert.since());

        // Eleven minutes on, the first three are out of the window: 2 + 1 stays under the limit.
        assertEquals(List.of(), rules.rowsRefused(refused("public.orders", T0.plusSeconds(11 * 60), 1)));
    }

    @Test
    void refusedRowsLevelAsConfigured() {
        rules.setLevels("refused-rows=CRITICAL");
        assertEquals(Level.CRITICAL, rules.rowsRefused(refused("public.orders", T0, 1)).get(0).level());
    }

    @Test
    void aFullLoadWithoutProgressAlertsAfterTheStallAndRecoversWhenItMoves() {
        rules.setRules("full-load-stalled");
        rules.setFullLoadStallMinutes(5);
        SyncTask task = TaskRegistry.of(context).task("shop");
        TableId orders = new TableId("public", "orders");
        task.loadPlanned(orders, 10, 0, 0);
        task.chunkCommitted(orders, 100, 100);

        assertEquals(List.of(), rules.evaluateAt(T0), "the first look only notes the progress");
        assertEquals(List.of(), rules.evaluateAt(T0.plusSeconds(4 * 60)));
        List<AlertMessage> stalled = rules.evaluateAt(T0.plusSeconds(5 * 60));
        assertEquals(1, stalled.size());
        assertEquals("full-load-stalled", stalled.get(0).rule());
        assertEquals(false, stalled.get(0).recovery());
        assertEquals(Level.WARNING, stalled.get(0).level());
        assertEquals("no row copied for 5 min", stalled.get(0).value());
        assertEquals(T0, stalled.get(0).since());

        task.chunkCommitted(orders, 100, 100);
        List<AlertMessage> moved = rules.evaluateAt(T0.plusSeconds(6 * 60));
        assertEquals(1, moved.size());
        assertEquals(true, moved.get(0).recovery());
        assertEquals("200 rows copied", moved.get(0).value());
        assertEquals(List.of(), rules.evaluateAt(T0.plusSeconds(10 * 60)), "moved four minutes ago: not stalled yet");
    }

    @Test
    void aSourceUnreachableForLongerThanTheBoundAlertsOnceAndRecoversWhenItAnswers() {
        rules.setRules("task-status");
        rules.setSourceUnreachableSeconds(60);
        SyncTask task = TaskRegistry.of(context).task("shop");
        task.loadPlanned(new TableId("public", "orders"), 10, 0, 0); // the task runs: its full load
        task.sourceUnreachable("Connection to localhost:5432 refused");
        task.sourceUnreachable("a later failure keeps the first one's time and reason");
        Instant since = task.sourceTrouble().since();

        assertEquals(List.of(), rules.evaluateAt(since.plusSeconds(30)), "not for as long as the bound yet");
        AlertMessage alert = only(rules.evaluateAt(since.plusSeconds(60)));
        assertEquals("task-status", alert.rule());
        assertEquals(false, alert.recovery());
        assertEquals("SOURCE UNREACHABLE: Connection to localhost:5432 refused", alert.value());
        assertEquals(since, alert.since());

        task.sourceReachable();
        AlertMessage recovery = only(rules.evaluateAt(since.plusSeconds(90)));
        assertEquals(true, recovery.recovery());
        assertEquals("FULL_LOAD", recovery.value());
    }

    @Test
    void aFullLoadStallLevelAsConfigured() {
        rules.setRules("full-load-stalled");
        rules.setLevels("full-load-stalled=CRITICAL");
        rules.setFullLoadStallMinutes(1);
        TaskRegistry.of(context).task("shop").loadPlanned(new TableId("public", "orders"), 1, 0, 0);
        rules.evaluateAt(T0);
        assertEquals(Level.CRITICAL, rules.evaluateAt(T0.plusSeconds(60)).get(0).level());
    }

    @Test
    void postgresRetainedWalAboveTheSizeAlertsAndRecoversBelowIt() {
        rules.setRules("source-retention");
        rules.setRetainedWalBytes(1000);
        TaskRegistry.of(context).task("shop");
        Gauges gauges = new Gauges("shop");
        gauges.retained.set(999);

        AlertMessage below = only(rules.evaluateAt(T0));
        assertEquals(true, below.recovery());
        gauges.retained.set(1001);
        AlertMessage above = only(rules.evaluateAt(T0.plusSeconds(60)));
        assertEquals(false, above.recovery());
        assertEquals("source-retention", above.rule());
        assertEquals(Level.CRITICAL, above.level());
        assertEquals("1001 bytes of WAL retained", above.value());
        assertEquals("1000 bytes", above.threshold());
        gauges.retained.set(10);
        AlertMessage cleared = only(rules.evaluateAt(T0.plusSeconds(120)));
        assertEquals(true, cleared.recovery());
        assertEquals("10 bytes of WAL retained", cleared.value());
    }

    @Test
    void aSlotWithoutReservedWalAlertsWhateverItRetains() {
        rules.setRules("source-retention");
        rules.setLevels("source-retention=WARNING");
        TaskRegistry.of(context).task("shop");
        Gauges gauges = new Gauges("shop");
        gauges.retained.set(10);
        gauges.headroom.set(0); // what the probe reads for wal_status unreserved (safe_wal_size <= 0) and lost

        AlertMessage alert = only(rules.evaluateAt(T0));
        assertEquals(false, alert.recovery());
        assertEquals(Level.WARNING, alert.level());
        assertEquals("the slot's WAL is no longer reserved (wal_status unreserved or lost)", alert.value());
        gauges.headroom.set(5000);
        assertEquals(true, only(rules.evaluateAt(T0.plusSeconds(60))).recovery());
    }

    @Test
    void binlogHeadroomBelowTheDurationAlertsAndRecoversWhenItClears() {
        rules.setRules("source-retention");
        rules.setBinlogHeadroomSeconds(3600);
        TaskRegistry.of(context).task("shop");
        Gauges gauges = new Gauges("shop");
        gauges.binlog.set(3599);

        AlertMessage alert = only(rules.evaluateAt(T0));
        assertEquals(false, alert.recovery());
        assertEquals(Level.CRITICAL, alert.level());
        assertEquals("the oldest binlog the task needs expires in 3599 s", alert.value());
        assertEquals("3600 s", alert.threshold());
        gauges.binlog.set(7200);
        AlertMessage cleared = only(rules.evaluateAt(T0.plusSeconds(60)));
        assertEquals(true, cleared.recovery());
        assertEquals("binlog headroom 7200 s", cleared.value());
    }

    @Test
    void noProbeNoRetentionNotice() {
        rules.setRules("source-retention");
        TaskRegistry.of(context).task("shop");
        new Gauges("other");
        assertEquals(List.of(), rules.evaluateAt(T0));
    }

    @Test
    void heapAboveItsShareAlertsForEachTaskAndRecovers() {
        rules.setRules("jvm-memory");
        rules.setJvmMemoryShare(0.8);
        TaskRegistry.of(context).task("shop");
        TaskRegistry.of(context).task("crm");
        rules.heap(() -> new MemoryUsage(0, 850L << 20, 900L << 20, 1000L << 20));

        List<AlertMessage> above = rules.evaluateAt(T0);
        assertEquals(List.of("crm", "shop"), above.stream().map(AlertMessage::task).sorted().toList());
        for (AlertMessage alert : above) {
            assertEquals(false, alert.recovery());
            assertEquals("jvm-memory", alert.rule());
            assertEquals(Level.WARNING, alert.level());
            assertEquals("85% of 1000 MB heap", alert.value());
            assertEquals("80%", alert.threshold());
        }
        rules.heap(() -> new MemoryUsage(0, 100L << 20, 900L << 20, 1000L << 20));
        assertTrue(rules.evaluateAt(T0.plusSeconds(60)).stream().allMatch(AlertMessage::recovery));
        rules.setLevels("jvm-memory=CRITICAL");
        rules.setTask("shop");
        rules.heap(() -> new MemoryUsage(0, 990L << 20, 1000L << 20, 1000L << 20));
        AlertMessage only = only(rules.evaluateAt(T0.plusSeconds(120)));
        assertEquals("shop", only.task());
        assertEquals(Level.CRITICAL, only.level());
    }

    @Test
    void aHeapWithoutAMaximumSaysNothing() {
        rules.setRules("jvm-memory");
        TaskRegistry.of(context).task("shop");
        rules.heap(() -> new MemoryUsage(0, 100, 100, -1));
        assertEquals(List.of(), rules.evaluateAt(T0));
    }

    @Test
    void eachTablesLatencyAlertsNamingTheTableAndAnIdleTableIsNotLate() {
        rules.setRules("latency");
        rules.setLatencySeconds(60);
        rules.setLatencyScope("tables");
        SyncTask task = TaskRegistry.of(context).task("shop");
        commit(task, ORDERS, Duration.ofMinutes(5));
        commit(task, ITEMS, Duration.ZERO);

        assertEquals(List.of("latency public.items recovery", "latency public.orders alert"), describe(rules.evaluateAt(T0)),
                "no notice of the task itself");
        assertEquals(List.of("latency public.items recovery", "latency public.orders recovery"), describe(rules.evaluateAt(T0.plusSeconds(15))),
                "no change committed since: not late");
        commit(task, ORDERS, Duration.ofMinutes(2));
        AlertMessage again = rules.evaluateAt(T0.plusSeconds(30)).stream().filter(n -> !n.recovery()).findFirst().orElseThrow();
        assertEquals("public.orders", again.table());
        assertEquals(false, again.recovery());
        assertEquals(Level.WARNING, again.level());
        assertEquals("60 s", again.threshold());
        assertTrue(again.value().matches("1[12][0-9] s"), again.value());

        // A full-load chunk commits the table again without a newer change: its latency is no news.
        task.chunkCommitted(ORDERS, 10, 10);
        assertEquals(List.of("latency public.items recovery", "latency public.orders recovery"), describe(rules.evaluateAt(T0.plusSeconds(45))));
    }

    @Test
    void aTablesLatencyMustLastTheDurationAndRecoversOnItsOwn() {
        rules.setRules("latency");
        rules.setLatencySeconds(60);
        rules.setLatencyForSeconds(30);
        rules.setLatencyScope("tables");
        rules.setLevels("latency=CRITICAL");
        SyncTask task = TaskRegistry.of(context).task("shop");

        commit(task, ORDERS, Duration.ofMinutes(5));
        assertEquals(List.of(), rules.evaluateAt(T0));
        commit(task, ORDERS, Duration.ofMinutes(5));
        assertEquals(List.of(), rules.evaluateAt(T0.plusSeconds(15)));
        commit(task, ORDERS, Duration.ofMinutes(5));
        AlertMessage alert = rules.evaluateAt(T0.plusSeconds(30)).get(0);
        assertEquals("latency public.orders alert", describe(List.of(alert)).get(0));
        assertEquals(T0, alert.since());
        assertEquals(Level.CRITICAL, alert.level());
        assertEquals("60 s for 30 s", alert.threshold());
        commit(task, ORDERS, Duration.ofSeconds(1));
        AlertMessage recovery = rules.evaluateAt(T0.plusSeconds(45)).get(0);
        assertEquals("latency public.orders recovery", describe(List.of(recovery)).get(0));
        assertEquals(Level.CRITICAL, recovery.level());
    }

    @Test
    void theTaskScopeIsTheDefaultAndBothReadsTheTaskAndItsTables() {
        rules.setRules("latency");
        SyncTask task = TaskRegistry.of(context).task("shop");
        commit(task, ORDERS, Duration.ofMinutes(5));
        assertEquals(List.of("latency  alert"), describe(rules.evaluateAt(T0)));

        rules.setLatencyScope(" Both ");
        commit(task, ORDERS, Duration.ofMinutes(5));
        assertEquals(List.of("latency  alert", "latency public.orders alert"), describe(rules.evaluateAt(T0.plusSeconds(15))));
    }

    @Test
    void anUnknownLatencyScopeIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> rules.setLatencyScope("table"));
        assertEquals("realtime-sync-alert-rules: latencyScope is task, tables or both; 'table' is none of them", refused.getMessage());
    }

    // --- helpers

    /** The target commits a change of {@code table} made on the source {@code ago}. */
    private static void commit(SyncTask task, TableId table, Duration ago) {
        Instant made = Instant.now().minus(ago);
        task.rowRead(task.counters(table), made.toEpochMilli());
        task.rowsApplied(table, 1, new SourcePosition.Lsn(COMMITS.incrementAndGet()), made);
        task.committed(java.util.Map.of(), 1);
    }

    /** Rule, table and kind of each notice, sorted (tables are evaluated in no order). */
    /** Each rule of the set, those off included, with its level and the parameters that tune it as set. */
    @Test
    void theDescriptionListsEveryRuleAsConfigured() {
        rules.setTask("shop");
        rules.setRules("latency,ddl");
        rules.setLevels("latency=CRITICAL");
        rules.setLatencySeconds(45);
        rules.setLatencyForSeconds(30);
        rules.setLatencyScope("both");
        rules.setDdlOutcomes("declined");
        rules.setJvmMemoryShare(0.8);

        List<AlertRules.Rule> described = rules.describe();
        assertEquals(AlertRules.ALL, described.stream().map(AlertRules.Rule::rule).toList());
        AlertRules.Rule latency = described.get(AlertRules.ALL.indexOf(AlertRules.LATENCY));
        assertTrue(latency.enabled());
        assertEquals(Level.CRITICAL, latency.level());
        assertEquals(java.util.Map.of("latencySeconds", 45L, "latencyForSeconds", 30L, "latencyScope", "both"), latency.settings());
        AlertRules.Rule ddl = described.get(AlertRules.ALL.indexOf(AlertRules.DDL));
        assertEquals("declined", ddl.settings().get("ddlOutcomes"));
        AlertRules.Rule memory = described.get(AlertRules.ALL.indexOf(AlertRules.JVM_MEMORY));
        assertEquals(false, memory.enabled(), "off, but listed");
        assertEquals(Level.WARNING, memory.level());
        assertEquals(0.8, memory.settings().get("jvmMemoryShare"));
        assertEquals(3, described.get(AlertRules.ALL.indexOf(AlertRules.ENGINE_RESTARTS)).settings().get("engineRestarts"));
        assertEquals(60L, described.get(AlertRules.ALL.indexOf(AlertRules.TASK_STATUS)).settings().get("sourceUnreachableSeconds"));
        assertTrue(rules.appliesTo("shop"));
        assertEquals(false, rules.appliesTo("billing"), "a set with a task filter speaks of that task only");
        rules.setTask("");
        assertTrue(rules.appliesTo("billing"), "one without speaks of every task");
    }

    private static List<String> describe(List<AlertMessage> notices) {
        return notices.stream().map(n -> n.rule() + " " + (n.table() == null ? "" : n.table()) + " " + (n.recovery() ? "recovery" : "alert"))
                .sorted().toList();
    }

    private static TaskEvent.EngineRestarted restart(Instant time) {
        return new TaskEvent.EngineRestarted("shop", time, "the capture engine started again");
    }

    private static TaskEvent.RowsRefused refused(String table, Instant time, long rows) {
        return new TaskEvent.RowsRefused("shop", time, table, rows, "value too long", null);
    }

    private static AlertMessage only(List<AlertMessage> notices) {
        assertEquals(1, notices.size(), notices.toString());
        return notices.get(0);
    }

    /** The source probes' gauges of one task, as docs/metrics.md names them, each NaN until set. */
    private final class Gauges {
        final AtomicLong retained = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong headroom = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong binlog = new AtomicLong(Long.MIN_VALUE);

        Gauges(String task) {
            MeterRegistry meters = context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
            if (meters == null) {
                meters = new SimpleMeterRegistry();
                context.getRegistry().bind("metricsRegistry", meters);
            }
            register(meters, "realtime.sync.source.retained.bytes", task, retained);
            register(meters, "realtime.sync.source.retention.headroom.bytes", task, headroom);
            register(meters, "realtime.sync.binlog.headroom.seconds", task, binlog);
        }

        private void register(MeterRegistry meters, String name, String task, AtomicLong value) {
            Gauge.builder(name, value, v -> v.get() == Long.MIN_VALUE ? Double.NaN : v.get()).tag("task", task).register(meters);
        }
    }
}
