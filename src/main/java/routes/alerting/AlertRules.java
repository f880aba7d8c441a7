package routes.alerting;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

import routes.alerting.AlertMessage.Level;
import routes.ops.TaskEvent;
import routes.state.SyncTask;
import routes.state.TableState;
import routes.state.TaskPhase;
import routes.state.TaskRegistry;

/**
 * The alert rules of one rule set, each enabled and tuned by the rule-set kamelet's parameters
 * (docs/alerting-rules.md). Event rules turn a task event into notices; the periodic evaluation reads the tasks' state
 * and says, for each condition rule, either alert (again at every evaluation while it holds: suppression lets one
 * through per interval) or recovered (which suppression lets through only after an alert). Called by one route
 * thread only (the rule-set route), so the rules' own memory needs no locks.
 */
public final class AlertRules implements org.apache.camel.CamelContextAware {

    public static final String TASK_STATUS = "task-status";
    public static final String ENGINE_RESTARTS = "engine-restarts";
    public static final String LATENCY = "latency";
    public static final String DDL = "ddl";
    public static final String TABLE_STOPPED = "table-stopped";
    public static final String REFUSED_ROWS = "refused-rows";
    public static final String FULL_LOAD_STALLED = "full-load-stalled";
    public static final String SOURCE_RETENTION = "source-retention";
    public static final String JVM_MEMORY = "jvm-memory";
    static final List<String> ALL = List.of(TASK_STATUS, ENGINE_RESTARTS, LATENCY, DDL, TABLE_STOPPED, REFUSED_ROWS,
            FULL_LOAD_STALLED, SOURCE_RETENTION, JVM_MEMORY);
    private static final Map<String, Level> DEFAULT_LEVELS = Map.of(TASK_STATUS, Level.CRITICAL, ENGINE_RESTARTS, Level.WARNING,
            LATENCY, Level.WARNING, DDL, Level.WARNING, TABLE_STOPPED, Level.CRITICAL, REFUSED_ROWS, Level.WARNING,
            FULL_LOAD_STALLED, Level.WARNING, SOURCE_RETENTION, Level.CRITICAL, JVM_MEMORY, Level.WARNING);
    /** The schema-change kinds, as the task's schemaChanges parameter names them ("other": a change without a kind). */
    private static final Set<String> DDL_KINDS = Set.of("createTable", "addColumn", "dropColumn", "renameColumn",
            "modifyColumnType", "truncate", "dropTable", "renameTable", "other");

    private CamelContext context;
    private String task = "";
    private Set<String> rules = new LinkedHashSet<>(ALL);
    private final Map<String, Level> levels = new HashMap<>(DEFAULT_LEVELS);
    private Duration latency = Duration.ofSeconds(60);
    private Duration latencyFor = Duration.ZERO;
    private String latencyScope = "task";
    private int engineRestarts = 3;
    private Duration engineRestartsWindow = Duration.ofMinutes(10);
    private Set<String> ddlOutcomes = Set.of("applied", "declined");
    private Set<String> ddlKinds = DDL_KINDS;
    private long refusedRows = 1;
    private Duration refusedRowsWindow = Duration.ofMinutes(10);
    private Duration fullLoadStall = Duration.ofMinutes(10);
    private long retainedWalBytes = 10L << 30;
    private Duration binlogHeadroom = Duration.ofHours(1);
    private double jvmMemoryShare = 0.9;
    private Duration sourceUnreachable = Duration.ofSeconds(60);
    private Supplier<MemoryUsage> heap = () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();

    /** Per task (and table, task|table): when latency went above its threshold; per task: when the full load last copied a row, and how many by then. */
    private final Map<String, Instant> latencyAbove = new HashMap<>();
    private final Map<String, Instant> lastEvaluatedCommit = new HashMap<>();
    /** Per task and table: the newest change of the table's last commit seen (position@time). */
    private final Map<String, String> lastEvaluatedTableCommit = new HashMap<>();
    private final Map<String, long[]> loadRows = new HashMap<>();
    private final Map<String, Instant> loadMoved = new HashMap<>();
    /** Per task (and table): when each recent restart or refused row happened, for the windows. */
    private final Map<String, Deque<Instant>> restarts = new HashMap<>();
    private final Map<String, Deque<Instant>> refused = new HashMap<>();

    // --- event rules (body: the TaskEvent)

    /** The task stopped on an error. */
    public List<AlertMessage> taskFailed(TaskEvent.TaskFailed event) {
        if (!applies(TASK_STATUS, event.task())) {
            return List.of();
        }
        return List.of(AlertMessage.alert(event.task(), "", TASK_STATUS, level(TASK_STATUS), "FAILED: " + event.reason(), "",
                event.time(), "fix what the reason says, then run the task again: it resumes from its committed position"));
    }

    /** A table stopped (alert), or syncs again (recovery of a stop). */
    public List<AlertMessage> tableState(TaskEvent.TableStateChanged event) {
        if (!applies(TABLE_STOPPED, event.task())) {
            return List.of();
        }
        if (event.state() == TableState.STOPPED) {
            return List.of(AlertMessage.alert(event.task(), event.table(), TABLE_STOPPED, level(TABLE_STOPPED),
                    "STOPPED: " + event.message(), "", event.time(),
                    "fix what the reason says, then reload the table: realtime-sync resync " + event.task() + " " + event.table()));
        }
        if (event.state() == TableState.SYNCING) {
            return List.of(AlertMessage.recovery(event.task(), event.table(), TABLE_STOPPED, level(TABLE_STOPPED), "SYNCING", "",
                    event.time()));
        }
        return List.of();
    }

    /** A schema change the target followed or was left without, of a kind and outcome the rule names. */
    public List<AlertMessage> schemaChange(TaskEvent event) {
        String outcome = event instanceof TaskEvent.SchemaChangeApplied ? "applied" : "declined";
        if (!applies(DDL, event.task()) || !ddlOutcomes.contains(outcome) || !ddlKinds.contains(ddlKind(event.message()))) {
            return List.of();
        }
        String action = outcome.equals("applied") ? "nothing on the target, which followed; tell the people who read it"
                : "change the target by hand or the task's schemaChanges policy (docs/schema-changes.md)";
        return List.of(AlertMessage.alert(event.task(), event.table() == null ? "" : event.table(), DDL, level(DDL),
                event.message() + " (" + outcome + ")", "", event.time(), action));
    }

    /** Rows the target refused, counted per table within the window. */
    public List<AlertMessage> rowsRefused(TaskEvent.RowsRefused event) {
        if (!applies(REFUSED_ROWS, event.task())) {
            return List.of();
        }
        Deque<Instant> times = refused.computeIfAbsent(event.task() + "|" + event.table(), k -> new ArrayDeque<>());
        for (long i = 0; i < event.rows(); i++) {
            times.addLast(event.time());
        }
        int count = inWindow(times, refusedRowsWindow, event.time());
        if (count < refusedRows) {
            return List.of();
        }
        return List.of(AlertMessage.alert(event.task(), event.table(), REFUSED_ROWS, level(REFUSED_ROWS),
                count + " rows refused in " + minutes(refusedRowsWindow) + " (last: " + event.reason() + ")",
                refusedRows + " rows", times.peekFirst(),
                "read the refused rows (dirty rows or dead letters), fix their cause, then backfill them"));
    }

    /** The capture engine started again: an alert once it did so often within the window. */
    public List<AlertMessage> engineRestarted(TaskEvent.EngineRestarted event) {
        if (!applies(ENGINE_RESTARTS, event.task())) {
            return List.of();
        }
        Deque<Instant> times = restarts.computeIfAbsent(event.task(), k -> new ArrayDeque<>());
        times.addLast(event.time());
        int count = inWindow(times, engineRestartsWindow, event.time());
        if (count < engineRestarts) {
            return List.of();
        }
        return List.of(AlertMessage.alert(event.task(), "", ENGINE_RESTARTS, level(ENGINE_RESTARTS),
                count + " restarts in " + minutes(engineRestartsWindow), engineRestarts + " restarts", times.peekFirst(),
                "look in the log for why the capture engine stops (the source going away, a network, a failover)"));
    }

    // --- the periodic evaluation of every task's state

    /** Each condition rule on each task: an alert while it holds, a recovery otherwise. */
    public List<AlertMessage> evaluate() {
        return evaluateAt(Instant.now());
    }

    /** {@link #evaluate()} at {@code now}. */
    List<AlertMessage> evaluateAt(Instant now) {
        List<AlertMessage> notices = new ArrayList<>();
        for (SyncTask syncTask : TaskRegistry.of(context).tasks().values()) {
            String name = syncTask.name();
            if (applies(TASK_STATUS, name)) {
                taskStatus(syncTask, now, notices);
            }
            if (applies(LATENCY, name) && !latencyScope.equals("tables")) {
                latency(syncTask, now, notices);
            }
            if (applies(LATENCY, name) && !latencyScope.equals("task")) {
                tableLatency(syncTask, now, notices);
            }
            if (applies(FULL_LOAD_STALLED, name)) {
                fullLoad(syncTask, now, notices);
            }
            if (applies(SOURCE_RETENTION, name)) {
                sourceRetention(syncTask, now, notices);
            }
        }
        if (rules.contains(JVM_MEMORY)) {
            jvmMemory(now, notices);
        }
        return notices;
    }

    private void taskStatus(SyncTask task, Instant now, List<AlertMessage> notices) {
        TaskPhase phase = task.phase();
        if (phase == TaskPhase.FAILED) {
            notices.add(AlertMessage.alert(task.name(), "", TASK_STATUS, level(TASK_STATUS), "FAILED: " + task.failure(), "", now,
                    "fix what the reason says, then run the task again: it resumes from its committed position"));
        } else if (phase == TaskPhase.STOPPED) {
            notices.add(AlertMessage.alert(task.name(), "", TASK_STATUS, level(TASK_STATUS), "STOPPED", "", now,
                    "start it again when it should run: realtime-sync start " + task.name()));
        } else if (phase == TaskPhase.STREAMING || phase == TaskPhase.FULL_LOAD) {
            SyncTask.SourceTrouble trouble = task.sourceTrouble();
            if (trouble == null) {
                notices.add(AlertMessage.recovery(task.name(), "", TASK_STATUS, level(TASK_STATUS), phase.name(), "", now));
            } else if (!trouble.since().plus(sourceUnreachable).isAfter(now)) {
                // The capture retries without end and the task stays in its phase: the source's probe is what tells.
                notices.add(AlertMessage.alert(task.name(), "", TASK_STATUS, level(TASK_STATUS), "SOURCE UNREACHABLE: " + trouble.reason(),
                        seconds(sourceUnreachable), trouble.since(), "the capture retries by itself and goes on where it was once the "
                                + "source answers: check that the source server runs and that this machine reaches it"));
            }
        }
    }

    /**
     * Commit-to-visible latency of the task: how long the oldest change read but not yet committed has waited (it grows
     * while the target does not commit), or the last commit's latency when the target committed since the last look.
     */
    private void latency(SyncTask task, Instant now, List<AlertMessage> notices) {
        Duration value = Duration.ZERO;
        Instant oldest = task.oldestUncommitted();
        if (oldest != null) {
            value = Duration.between(oldest, now);
        }
        Instant committed = task.committedAt();
        if (committed != null && !committed.equals(lastEvaluatedCommit.put(task.name(), committed)) && task.commitLatency() != null
                && task.commitLatency().compareTo(value) > 0) {
            value = task.commitLatency();
        }
        latency(task.name(), "", value, now, notices);
    }

    /**
     * Commit-to-visible latency of each table: its last commit's, when the target committed changes of it since the last
     * look; none otherwise (a table without recent changes is not late, and a target that stops committing shows in
     * the task's latency, which counts the changes read and not yet committed).
     */
    private void tableLatency(SyncTask task, Instant now, List<AlertMessage> notices) {
        task.counters().forEach((table, counters) -> {
            SyncTask.TableCommit last = counters.lastCommit();
            Duration value = Duration.ZERO;
            // The newest change committed: a full-load chunk commits again without changing it (nor its latency).
            if (last != null && last.commitLatency() != null && last.positionTime() != null) {
                String commit = last.position() + "@" + last.positionTime();
                if (!commit.equals(lastEvaluatedTableCommit.put(task.name() + "|" + table, commit))) {
                    value = last.commitLatency();
                }
            }
            latency(task.name(), table.toString(), value, now, notices);
        });
    }

    /** The latency rule on a task ({@code table} "") or one of its tables, at {@code value} now. */
    private void latency(String taskName, String table, Duration value, Instant now, List<AlertMessage> notices) {
        String threshold = seconds(latency) + (latencyFor.isZero() ? "" : " for " + seconds(latencyFor));
        String key = table.isEmpty() ? taskName : taskName + "|" + table;
        if (value.compareTo(latency) > 0) {
            Instant since = latencyAbove.computeIfAbsent(key, t -> now);
            if (!since.plus(latencyFor).isAfter(now)) {
                notices.add(AlertMessage.alert(taskName, table, LATENCY, level(LATENCY), seconds(value), threshold, since,
                        "see whether the target is up and keeps up (GET /api/tasks/" + taskName + ", the log)"));
            }
        } else {
            latencyAbove.remove(key);
            notices.add(AlertMessage.recovery(taskName, table, LATENCY, level(LATENCY), seconds(value), threshold, now));
        }
    }

    private void fullLoad(SyncTask task, Instant now, List<AlertMessage> notices) {
        String name = task.name();
        if (task.phase() != TaskPhase.FULL_LOAD) {
            loadRows.remove(name);
            loadMoved.remove(name);
            notices.add(AlertMessage.recovery(name, "", FULL_LOAD_STALLED, level(FULL_LOAD_STALLED), task.phase().name(), "", now));
            return;
        }
        long written = task.rowsWritten();
        long[] before = loadRows.get(name);
        if (before == null || before[0] != written) {
            loadRows.put(name, new long[] {written});
            loadMoved.put(name, now);
            if (before != null) {
                notices.add(AlertMessage.recovery(name, "", FULL_LOAD_STALLED, level(FULL_LOAD_STALLED), written + " rows copied", "", now));
            }
            return;
        }
        Instant moved = loadMoved.get(name);
        if (!moved.plus(fullLoadStall).isAfter(now)) {
            notices.add(AlertMessage.alert(name, "", FULL_LOAD_STALLED, level(FULL_LOAD_STALLED),
                    "no row copied for " + minutes(Duration.between(moved, now)), minutes(fullLoadStall), moved,
                    "see whether source and target are up and what the task's tables say (realtime-sync tables " + name + ")"));
        }
    }

    /** From the source probes' gauges (docs/metrics.md), which run where metrics are on (run with --http). */
    private void sourceRetention(SyncTask task, Instant now, List<AlertMessage> notices) {
        MeterRegistry meters = meters();
        if (meters == null) {
            return;
        }
        double retained = gauge(meters, "realtime.sync.source.retained.bytes", task.name());
        double headroom = gauge(meters, "realtime.sync.source.retention.headroom.bytes", task.name());
        double binlog = gauge(meters, "realtime.sync.binlog.headroom.seconds", task.name());
        String action = "let the task catch up or start it again soon, or the source drops what it has not read yet";
        if (!Double.isNaN(headroom) && headroom <= 0) {
            // The probe reads 0 for unreserved (safe_wal_size <= 0: the next checkpoint may remove what the slot needs) and lost.
            notices.add(AlertMessage.alert(task.name(), "", SOURCE_RETENTION, level(SOURCE_RETENTION),
                    "the slot's WAL is no longer reserved (wal_status unreserved or lost)", "", now,
                    "let the task catch up at once or raise max_slot_wal_keep_size; once the slot is lost (wal_status lost), "
                            + "resync the task's tables (docs/operating.md)"));
        } else if (!Double.isNaN(retained) && retained > retainedWalBytes) {
            notices.add(AlertMessage.alert(task.name(), "", SOURCE_RETENTION, level(SOURCE_RETENTION),
                    (long) retained + " bytes of WAL retained", retainedWalBytes + " bytes", now, action));
        } else if (!Double.isNaN(binlog) && binlog < binlogHeadroom.toSeconds()) {
            notices.add(AlertMessage.alert(task.name(), "", SOURCE_RETENTION, level(SOURCE_RETENTION),
                    "the oldest binlog the task needs expires in " + seconds(Duration.ofSeconds((long) binlog)),
                    seconds(binlogHeadroom), now, action));
        } else if (!Double.isNaN(retained) || !Double.isNaN(binlog)) {
            notices.add(AlertMessage.recovery(task.name(), "", SOURCE_RETENTION, level(SOURCE_RETENTION),
                    Double.isNaN(retained) ? "binlog headroom " + (long) binlog + " s" : (long) retained + " bytes of WAL retained",
                    "", now));
        }
    }

    private void jvmMemory(Instant now, List<AlertMessage> notices) {
        MemoryUsage heap = this.heap.get();
        if (heap.getMax() <= 0) {
            return;
        }
        double share = (double) heap.getUsed() / heap.getMax();
        String value = Math.round(share * 100) + "% of " + (heap.getMax() >> 20) + " MB heap";
        String threshold = Math.round(jvmMemoryShare * 100) + "%";
        for (String name : TaskRegistry.of(context).tasks().keySet()) {
            if (!applies(JVM_MEMORY, name)) {
                continue;
            }
            notices.add(share > jvmMemoryShare
                    ? AlertMessage.alert(name, "", JVM_MEMORY, level(JVM_MEMORY), value, threshold, now,
                            "give the process more memory (-Xmx) or lower the tasks' batch sizes")
                    : AlertMessage.recovery(name, "", JVM_MEMORY, level(JVM_MEMORY), value, threshold, now));
        }
    }

    // --- what the rules are set to, for the operator API (GET /api/tasks/{task}/alert-rules)

    /** One rule of {@link #ALL} as this set configures it: the kamelet's parameters that tune it, by their names. */
    public record Rule(String rule, boolean enabled, Level level, Map<String, Object> settings) {
    }

    /** Each rule of {@link #ALL}, those off included. Nothing here is secret: where notices go is the routing's. */
    public List<Rule> describe() {
        List<Rule> described = new ArrayList<>();
        for (String rule : ALL) {
            described.add(new Rule(rule, rules.contains(rule), level(rule), java.util.Collections.unmodifiableMap(settings(rule))));
        }
        return described;
    }

    /** The task this set alerts on; empty for every task of the process. */
    public String task() {
        return task;
    }

    /** Whether this set's rules speak of {@code taskName}: its task filter names it, or it has none. */
    public boolean appliesTo(String taskName) {
        return task.isEmpty() || task.equals(taskName);
    }

    private Map<String, Object> settings(String rule) {
        Map<String, Object> settings = new java.util.LinkedHashMap<>();
        switch (rule) {
            case TASK_STATUS -> settings.put("sourceUnreachableSeconds", sourceUnreachable.toSeconds());
            case ENGINE_RESTARTS -> {
                settings.put("engineRestarts", engineRestarts);
                settings.put("engineRestartsWindowMinutes", engineRestartsWindow.toMinutes());
            }
            case LATENCY -> {
                settings.put("latencySeconds", latency.toSeconds());
                settings.put("latencyForSeconds", latencyFor.toSeconds());
                settings.put("latencyScope", latencyScope);
            }
            case DDL -> {
                settings.put("ddlOutcomes", String.join(",", new java.util.TreeSet<>(ddlOutcomes)));
                settings.put("ddlKinds", String.join(",", new java.util.TreeSet<>(ddlKinds)));
            }
            case REFUSED_ROWS -> {
                settings.put("refusedRows", refusedRows);
                settings.put("refusedRowsWindowMinutes", refusedRowsWindow.toMinutes());
            }
            case FULL_LOAD_STALLED -> settings.put("fullLoadStallMinutes", fullLoadStall.toMinutes());
            case SOURCE_RETENTION -> {
                settings.put("retainedWalBytes", retainedWalBytes);
                settings.put("binlogHeadroomSeconds", binlogHeadroom.toSeconds());
            }
            case JVM_MEMORY -> settings.put("jvmMemoryShare", jvmMemoryShare);
            default -> {
                // table-stopped: every stop alerts, nothing to tune
            }
        }
        return settings;
    }

    // --- helpers

    private boolean applies(String rule, String taskName) {
        return rules.contains(rule) && appliesTo(taskName);
    }

    private Level level(String rule) {
        return levels.get(rule);
    }

    private static int inWindow(Deque<Instant> times, Duration window, Instant now) {
        while (!times.isEmpty() && times.peekFirst().plus(window).isBefore(now)) {
            times.removeFirst();
        }
        return times.size();
    }

    /** The schema-change kind (as schemaChanges names it) of a change, from its words (routes.sink.SchemaChange#describe). */
    static String ddlKind(String change) {
        String text = change == null ? "" : change;
        boolean table = text.startsWith("table ");
        if (table && text.endsWith(" was created on the source")) {
            return "createTable";
        } else if (table && text.endsWith(" was truncated on the source")) {
            return "truncate";
        } else if (table && text.endsWith(" was dropped on the source")) {
            return "dropTable";
        } else if (table && text.contains(" was renamed to ")) {
            return "renameTable";
        } else if (text.contains(" was added to ")) {
            return "addColumn";
        } else if (text.contains(" was dropped from ")) {
            return "dropColumn";
        } else if (text.contains(" was renamed to ")) {
            return "renameColumn";
        } else if (text.contains(" changed type ")) {
            return "modifyColumnType";
        }
        return "other";
    }

    private MeterRegistry meters() {
        MeterRegistry found = context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (found == null) {
            Set<MeterRegistry> all = context.getRegistry().findByType(MeterRegistry.class);
            found = all.size() == 1 ? all.iterator().next() : null;
        }
        return found;
    }

    private static double gauge(MeterRegistry meters, String name, String task) {
        Gauge gauge = meters.find(name).tag("task", task).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + " s";
    }

    private static String minutes(Duration duration) {
        return duration.toMinutes() + " min";
    }

    private static Set<String> list(String value) {
        Set<String> items = new LinkedHashSet<>();
        Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(items::add);
        return items;
    }

    // --- settings, from the rule-set kamelet

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    /** Only this task's alerts; empty for every task of the process. */
    public void setTask(String task) {
        this.task = task == null ? "" : task.trim();
    }

    /** The rules on, comma-separated (see {@link #ALL}). */
    public void setRules(String value) {
        Set<String> named = list(value);
        for (String rule : named) {
            if (!ALL.contains(rule)) {
                throw new IllegalArgumentException("realtime-sync-alert-rules: unknown rule '" + rule + "' in rules; the rules are "
                        + String.join(", ", ALL));
            }
        }
        rules = named;
    }

    /** Levels other than the rules' own, as rule=LEVEL pairs (WARNING or CRITICAL), comma-separated. */
    public void setLevels(String value) {
        for (String pair : list(value)) {
            String[] parts = pair.split("=", 2);
            if (parts.length != 2 || !ALL.contains(parts[0].trim())
                    || !Set.of("WARNING", "CRITICAL").contains(parts[1].trim().toUpperCase(Locale.ROOT))) {
                throw new IllegalArgumentException("realtime-sync-alert-rules: levels takes rule=WARNING or rule=CRITICAL pairs, "
                        + "e.g. latency=CRITICAL; '" + pair + "' is not one");
            }
            levels.put(parts[0].trim(), Level.valueOf(parts[1].trim().toUpperCase(Locale.ROOT)));
        }
    }

    public void setLatencySeconds(long seconds) {
        latency = Duration.ofSeconds(seconds);
    }

    public void setLatencyForSeconds(long seconds) {
        latencyFor = Duration.ofSeconds(seconds);
    }

    /** Whose latency the latency rule reads: the task's (task), each table's (tables), or both. */
    public void setLatencyScope(String value) {
        String scope = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (!Set.of("task", "tables", "both").contains(scope)) {
            throw new IllegalArgumentException("realtime-sync-alert-rules: latencyScope is task, tables or both; '" + value
                    + "' is none of them");
        }
        latencyScope = scope;
    }

    public void setEngineRestarts(int count) {
        engineRestarts = count;
    }

    public void setEngineRestartsWindowMinutes(long minutes) {
        engineRestartsWindow = Duration.ofMinutes(minutes);
    }

    /** applied, declined or both, comma-separated. */
    public void setDdlOutcomes(String value) {
        ddlOutcomes = list(value.toLowerCase(Locale.ROOT));
    }

    /** The schema-change kinds to tell (the names schemaChanges uses: addColumn, dropTable...), comma-separated. */
    public void setDdlKinds(String value) {
        Set<String> kinds = list(value);
        for (String kind : kinds) {
            if (!DDL_KINDS.contains(kind)) {
                throw new IllegalArgumentException("realtime-sync-alert-rules: unknown schema-change kind '" + kind
                        + "' in ddlKinds; the kinds are " + String.join(", ", new java.util.TreeSet<>(DDL_KINDS)));
            }
        }
        ddlKinds = kinds;
    }

    public void setRefusedRows(long rows) {
        refusedRows = rows;
    }

    public void setRefusedRowsWindowMinutes(long minutes) {
        refusedRowsWindow = Duration.ofMinutes(minutes);
    }

    public void setFullLoadStallMinutes(long minutes) {
        fullLoadStall = Duration.ofMinutes(minutes);
    }

    public void setRetainedWalBytes(long bytes) {
        retainedWalBytes = bytes;
    }

    public void setBinlogHeadroomSeconds(long seconds) {
        binlogHeadroom = Duration.ofSeconds(seconds);
    }

    public void setJvmMemoryShare(double share) {
        jvmMemoryShare = share;
    }

    public void setSourceUnreachableSeconds(long seconds) {
        sourceUnreachable = Duration.ofSeconds(seconds);
    }

    /** Where the heap's use is read (the JVM's own by default). */
    void heap(Supplier<MemoryUsage> heap) {
        this.heap = heap;
    }
}
