package routes.ops.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.change.TableId;
import routes.ops.TaskEvent;
import routes.state.SyncTask;
import routes.state.TableState;
import routes.state.TaskRegistry;

/**
 * The Prometheus metrics of a CamelContext's tasks (docs/metrics.md), registered in the context's Micrometer registry
 * (the one {@code camel.metrics.enabled=true} creates, bean {@value #METER_REGISTRY}), so that whatever serves
 * {@code /observe/metrics} shows them. Counters and gauges read the task registry when scraped; this class only keeps
 * the set of meters in step with the tasks and tables (every few seconds, and at once when a table changes state) and
 * runs the source probes on their own schedule. Nothing here is on the data path. Without a meter registry it does
 * nothing.
 */
public final class TaskMetrics extends ServiceSupport {

    /** The bean camel-micrometer-prometheus binds its registry as. */
    public static final String METER_REGISTRY = "metricsRegistry";
    static final String PREFIX = "realtime.sync.";
    /** Latency buckets: from a poll interval to a long catch-up. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1)};
    private static final long REFRESH_SECONDS = 5;
    private static final long PROBE_SECONDS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(TaskMetrics.class);

    private final CamelContext context;
    private final TaskRegistry tasks;
    private ScheduledExecutorService scheduler;
    private volatile MeterRegistry meters;
    private final Set<String> tasksBound = ConcurrentHashMap.newKeySet();
    /** Meters registered once (Micrometer warns of a second registration): task, table and which. */
    private final Set<String> bound = new HashSet<>();
    private final Map<String, CaptureQueue> queues = new ConcurrentHashMap<>();
    private final Map<String, SourceProbe> probes = new ConcurrentHashMap<>();
    /** The table_state gauges of each task's table (one per state), by task and table. */
    private final Map<String, Map<TableId, List<Meter>>> stateMeters = new ConcurrentHashMap<>();

    TaskMetrics(CamelContext context, TaskRegistry tasks) {
        this.context = context;
        this.tasks = tasks;
    }

    /** Starts the metrics of this context's tasks beside its task registry (once per context). */
    public static void start(CamelContext context, TaskRegistry tasks) {
        TaskMetrics metrics = new TaskMetrics(context, tasks);
        tasks.onEvent(metrics::onEvent);
        try {
            context.addService(metrics, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the task metrics: " + e.getMessage(), e);
        }
    }

    @Override
    protected void doStart() {
        scheduler = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "realtime-sync-metrics");
        scheduler.scheduleWithFixedDelay(this::refreshQuietly, 1, REFRESH_SECONDS, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::probeQuietly, 2, PROBE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            context.getExecutorServiceManager().shutdownNow(scheduler);
            scheduler = null;
        }
        probes.values().forEach(SourceProbe::close);
    }

    /**
     * A table's state changed (or it is new): the task's latency timer exists at once, on the reporting thread (a table
     * is reported before the first commit, whose latency would else go unrecorded), its state gauges off it.
     */
    private void onEvent(TaskEvent event) {
        ScheduledExecutorService running = scheduler;
        MeterRegistry registry = event instanceof TaskEvent.TableStateChanged && running != null ? meterRegistry() : null;
        if (registry != null) {
            SyncTask task = tasks.find(event.task());
            if (task != null) {
                bindTaskOnce(registry, task);
            }
            try {
                running.execute(this::refreshQuietly);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopping
            }
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("Task metrics: cannot update the meters: {}", e.toString());
        }
    }

    /** Brings the meters in step with the tasks and their tables. */
    synchronized void refresh() {
        MeterRegistry registry = meterRegistry();
        if (registry == null) {
            return;
        }
        for (SyncTask task : tasks.tasks().values()) {
            bindTaskOnce(registry, task);
            Tags taskTags = Tags.of("task", task.name());
            for (Map.Entry<TableId, SyncTask.TableCounters> entry : task.counters().entrySet()) {
                if (!bound.add(task.name() + "\u0000rows\u0000" + entry.getKey())) {
                    continue;
                }
                Tags tags = taskTags.and("table", entry.getKey().toString());
                SyncTask.TableCounters counted = entry.getValue();
                FunctionCounter.builder(PREFIX + "rows.read", counted, SyncTask.TableCounters::read).tags(tags)
                        .description("Row changes read from the source (capture and full load)").register(registry);
                FunctionCounter.builder(PREFIX + "rows.written", counted, SyncTask.TableCounters::written).tags(tags)
                        .description("Row changes committed on the target").register(registry);
                FunctionCounter.builder(PREFIX + "rows.refused", counted, SyncTask.TableCounters::refused).tags(tags)
                        .description("Rows the target refused, kept as dirty rows or dead letters").register(registry);
            }
            for (TableId table : task.loads().keySet()) {
                if (!bound.add(task.name() + "\u0000load\u0000" + table)) {
                    continue;
                }
                Tags tags = taskTags.and("table", table.toString());
                Gauge.builder(PREFIX + "full.load.rows", task, t -> rowsCopied(t, table)).tags(tags).strongReference(true)
                        .description("Rows the full load copied").register(registry);
                Gauge.builder(PREFIX + "full.load.rows.estimated", task, t -> estimated(t, table)).tags(tags).strongReference(true)
                        .description("The source's estimate of the table's rows at the full load's start").register(registry);
            }
            refreshStates(registry, task, taskTags);
            if (!task.captureSettings().isEmpty()) {
                probes.computeIfAbsent(task.name(), n -> SourceProbe.of(task)).bind(registry, task, taskTags);
            }
        }
    }

    /** Not under the refresh's lock: the reporting thread may hold the task's (a concurrent set says who binds). */
    private void bindTaskOnce(MeterRegistry registry, SyncTask task) {
        if (tasksBound.add(task.name())) {
            bindTask(registry, task);
        }
    }

    private void bindTask(MeterRegistry registry, SyncTask task) {
        Tags tags = Tags.of("task", task.name());
        Timer latency = Timer.builder(PREFIX + "latency").tags(tags).serviceLevelObjectives(LATENCY_BUCKETS)
                .description("From the commit on the source to visible on the target, at each target commit").register(registry);
        task.onCommitLatency(latency::record);
        Gauge.builder(PREFIX + "source.position.age.seconds", task, TaskMetrics::positionAge).tags(tags).strongReference(true)
                .description("Age of the source commit time of the newest change the target committed").register(registry);
        FunctionCounter.builder(PREFIX + "engine.restarts", task, SyncTask::engineRestarts).tags(tags)
                .description("Times the capture engine started again").register(registry);
        CaptureQueue queue = queues.computeIfAbsent(task.name(), n -> new CaptureQueue(context, task));
        Gauge.builder(PREFIX + "capture.queue.fill.ratio", queue, CaptureQueue::fillRatio).tags(tags).strongReference(true)
                .description("How full the capture engine's queue is (0 to 1)").register(registry);
    }

    /**
     * One table_state gauge per table and state, 1 for the table's current state and 0 for the others (so that a query
     * for a state sees every table); none for a table the task no longer has.
     */
    private void refreshStates(MeterRegistry registry, SyncTask task, Tags taskTags) {
        Map<TableId, List<Meter>> current = stateMeters.computeIfAbsent(task.name(), n -> new ConcurrentHashMap<>());
        Map<TableId, SyncTask.TableStatus> tables = task.tables();
        for (TableId table : tables.keySet()) {
            current.computeIfAbsent(table, t -> {
                List<Meter> gauges = new ArrayList<>();
                for (TableState state : TableState.values()) {
                    gauges.add(Gauge.builder(PREFIX + "table.state", task, s -> isIn(s, t, state))
                            .tags(taskTags.and("table", t.toString()).and("state", state.name())).strongReference(true)
                            .description("1 for the table's current state, 0 for the others").register(registry));
                }
                return gauges;
            });
        }
        for (TableId gone : new HashSet<>(current.keySet())) {
            if (!tables.containsKey(gone)) {
                current.remove(gone).forEach(registry::remove);
            }
        }
    }

    private static double isIn(SyncTask task, TableId table, TableState state) {
        SyncTask.TableStatus status = task.tableStatus(table);
        return status == null ? Double.NaN : status.state() == state ? 1 : 0;
    }

    private void probeQuietly() {
        if (meters == null) {
            return;
        }
        for (SourceProbe probe : probes.values()) {
            probe.run();
        }
    }

    private MeterRegistry meterRegistry() {
        if (meters == null) {
            MeterRegistry found = context.getRegistry().lookupByNameAndType(METER_REGISTRY, MeterRegistry.class);
            if (found == null) {
                Set<MeterRegistry> all = context.getRegistry().findByType(MeterRegistry.class);
                found = all.size() == 1 ? all.iterator().next() : null;
            }
            meters = found;
        }
        return meters;
    }

    private static double rowsCopied(SyncTask task, TableId table) {
        SyncTask.TableLoad load = task.load(table);
        return load == null ? Double.NaN : load.rowsCopied();
    }

    private static double estimated(SyncTask task, TableId table) {
        Long rows = task.loadEstimate(table);
        return rows == null ? Double.NaN : rows;
    }

    private static double positionAge(SyncTask task) {
        java.time.Instant time = task.positionTime();
        return time == null ? Double.NaN : Math.max(0, (System.currentTimeMillis() - time.toEpochMilli()) / 1000.0);
    }
}
