package routes.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.change.SourcePosition;
import routes.change.TableId;
import routes.ops.TaskEvent;

/**
 * One task of a CamelContext as its {@link TaskRegistry} holds it: its writer, phase, tables with their state and
 * why, counters, last committed source position and how long changes took from the source to the target. The
 * writer and the capture report into it; health checks, the runner and operators read it; each change worth telling
 * is published as a {@link TaskEvent}.
 */
public final class SyncTask {

    private static final Logger LOG = LoggerFactory.getLogger(SyncTask.class);
    /** Orders tasks by creation, so that of two tasks of one name in a JVM the later one gives way (see TaskHandover). */
    private static final AtomicLong CREATED = new AtomicLong();

    /** A table's state, why (null while it syncs) and since when. */
    public record TableStatus(TableState state, String reason, Instant since) {
    }

    /**
     * A table's chunked full load: its chunks, how many are done and the rows they copied, earlier runs' chunks of the
     * same load included (a resumed load goes on with the chunks not done).
     */
    public record TableLoad(int chunks, int chunksDone, long rowsCopied) {

        /** Every chunk of the table is copied; its changes since the load's start follow once every table is copied. */
        public boolean done() {
            return chunksDone >= chunks;
        }
    }

    /**
     * A table's row counts this run, for metrics: adders, so that counting costs the data path next to nothing. Rows
     * applied to the target's open transaction count as written once it commits.
     */
    public static final class TableCounters {
        private final LongAdder read = new LongAdder();
        private final LongAdder applied = new LongAdder();
        private final LongAdder written = new LongAdder();
        private final LongAdder refused = new LongAdder();
        /** Set once per batch, under the writer's lock: the newest change applied to the open transaction. */
        private volatile SourcePosition appliedPosition;
        private volatile Instant appliedTime;
        private volatile TableCommit lastCommit;

        public long read() {
            return read.sum();
        }

        public long written() {
            return written.sum();
        }

        public long refused() {
            return refused.sum();
        }

        /** The table's last commit that made changes visible; null before one this run. */
        public TableCommit lastCommit() {
            return lastCommit;
        }

        private void committed(Instant now) {
            Instant time = appliedTime;
            Duration latency = time == null ? null : time.isAfter(now) ? Duration.ZERO : Duration.between(time, now);
            lastCommit = new TableCommit(appliedPosition == null ? null : appliedPosition.toString(), time, now, latency);
        }

        private void chunkCommitted(Instant now) {
            TableCommit last = lastCommit;
            lastCommit = last == null ? new TableCommit(null, null, now, null)
                    : new TableCommit(last.position(), last.positionTime(), now, last.commitLatency());
        }
    }

    /**
     * A table's last target commit that made its changes visible.
     *
     * @param position      the source position of the newest of its changes then committed (lsn:..., binlog:...); null when
     *                      only the chunked full load wrote it
     * @param positionTime  that change's commit time on the source
     * @param updatedAt     when the target committed
     * @param commitLatency from {@code positionTime} to {@code updatedAt}
     */
    public record TableCommit(String position, Instant positionTime, Instant updatedAt, Duration commitLatency) {
    }

    /** A schema change of a table and what its policy made of it: APPLIED, IGNORED, ALERTED or STOPPED. */
    public record SchemaChangeRecord(Instant at, String kind, String description, String policy, String outcome) {
    }

    /** A row the target refused, as its dead-letter record keeps it (key and row as JSON; row null for a delete). */
    public record RefusedRow(Instant at, String reason, String key, String row) {
    }

    /** Records each table keeps for operators: 100 of each kind per table, and a bound per task (1,000 tables). */
    static final int RECENT_PER_TABLE = 100;
    static final int SCHEMA_CHANGES_PER_TASK = 5_000;
    static final int REFUSED_ROWS_PER_TASK = 2_000;
    /** A refused row's JSON beyond this is cut (1 MiB values exist): 2,000 rows then hold at most about 8 MB. */
    static final int REFUSED_ROW_CHARS = 2_048;

    private final String name;
    private final String key;
    private final long created = CREATED.incrementAndGet();
    private final Consumer<TaskEvent> events;
    private volatile CompletableFuture<TaskSink> writer = new CompletableFuture<>();
    private volatile TaskPhase phase = TaskPhase.STARTING;
    /** Run under leader election (camel-master wraps the capture). */
    private volatile boolean leaderElected;
    /** Under leader election, while another instance leads. */
    private volatile boolean standby;
    private volatile String failure;
    private volatile String captureRoute;
    private final Map<TableId, TableStatus> tables = new ConcurrentHashMap<>();
    private final Map<TableId, TableLoad> loads = new ConcurrentHashMap<>();
    private final Map<TableId, Long> loadEstimates = new ConcurrentHashMap<>();
    /** When each table's chunked full load started this run (System.nanoTime) and the rows it had then, for its ETA. */
    private final Map<TableId, long[]> loadStarts = new ConcurrentHashMap<>();
    private final RecentRecords<SchemaChangeRecord> schemaChanges = new RecentRecords<>(RECENT_PER_TABLE, SCHEMA_CHANGES_PER_TASK);
    private final RecentRecords<RefusedRow> refusedRows = new RecentRecords<>(RECENT_PER_TABLE, REFUSED_ROWS_PER_TASK);
    private final Map<TableId, TableCounters> counters = new ConcurrentHashMap<>();
    /** Tables with rows applied since the last commit (touched under the writer's lock, as its commits are). */
    private final java.util.Set<TableCounters> appliedSinceCommit = ConcurrentHashMap.newKeySet();
    private final List<Consumer<Duration>> commitLatencyListeners = new CopyOnWriteArrayList<>();
    private volatile Map<String, String> captureSettings = Map.of();
    private final AtomicLong rowsRead = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong rowsRefused = new AtomicLong();
    private final AtomicInteger engineStarts = new AtomicInteger();
    /** Source commit time (epoch ms) of the newest change the capture handed to the writer. */
    private final AtomicLong newestReadMillis = new AtomicLong(Long.MIN_VALUE);
    /** Source commit time (epoch ms) of the oldest change read since the last target commit (the first: the log is in commit order); 0 when none. */
    private final AtomicLong oldestUncommittedMillis = new AtomicLong();
    private volatile String position;
    private volatile Instant positionTime;
    private volatile Instant committedAt;
    private volatile Duration commitLatency;
    /** A start position asked for and not yet taken by the capture's next start. */
    private volatile StartPosition.Request startRequest;

    SyncTask(String name, String key, Consumer<TaskEvent> events) {
        this.name = name;
        this.key = key;
        this.events = events;
    }

    public String name() {
        return name;
    }

    /** Unique per CamelContext and task: see {@link TaskHandover}. */
    public String key() {
        return key;
    }

    long created() {
        return created;
    }

    // --- the writer

    /** The writer starts (again): the task starts afresh, its earlier failure and tables forgotten. */
    public synchronized void writerStarted(TaskSink sink) {
        if (writer.isDone() && writer.join() != sink) {
            writer = CompletableFuture.completedFuture(sink);
        } else {
            writer.complete(sink);
        }
        failure = null;
        phase = TaskPhase.STARTING;
        tables.clear();
        loads.clear();
        loadEstimates.clear();
        loadStarts.clear();
        // Rows the last run applied but never committed are not on the target: they are read again.
        appliedSinceCommit.forEach(table -> table.applied.reset());
        appliedSinceCommit.clear();
        oldestUncommittedMillis.set(0);
    }

    /** The writer stops; unless the task failed, it is now stopped. */
    public synchronized void writerStopped(TaskSink sink) {
        if (writer.isDone() && writer.join() == sink) {
            writer = new CompletableFuture<>();
            if (phase != TaskPhase.FAILED) {
                phase = TaskPhase.STOPPED;
            }
        }
    }

    /** The task's writer; waits a little because routes and their beans start in no guaranteed order. */
    public TaskSink awaitWriter(long seconds) throws TimeoutException {
        try {
            return writer.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the writer of task " + name, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("No writer registered for task '" + name + "': the task route must end in a "
                    + "sink kamelet with the same task name (e.g. jdbc-merge-sink with task=" + name + ")");
        }
    }

    // --- the capture

    /** The capture's next start begins at {@code position} instead of the committed one (docs/start-positions.md). */
    public void startFrom(StartPosition.Request request) {
        startRequest = request;
    }

    /** The start position asked for, once: the capture's start takes it; null when none was asked for. */
    public synchronized StartPosition.Request takeStartRequest() {
        StartPosition.Request request = startRequest;
        startRequest = null;
        return request;
    }

    /** The route consuming the task's capture engine (it registers itself, see {@link CaptureRegistration}). */
    public String captureRoute() {
        return captureRoute;
    }

    void captureRoute(String routeId) {
        captureRoute = routeId;
    }

    /**
     * The capture runs under leader election: until this instance leads (its engine starts) it is a standby. Set at the
     * capture route's init, before anything starts.
     */
    void leaderElected() {
        leaderElected = true;
        standby = true;
    }

    /** Whether the capture runs under leader election (docs/scale-out.md). */
    public boolean isLeaderElected() {
        return leaderElected;
    }

    /** The instance lost the lead (its engine stopped while the process goes on): it waits as a standby again. */
    public void standbyAgain() {
        standby = true;
    }

    /** The capture engine started; a second start of the same task is a restart, published as such. */
    public void engineStarted() {
        standby = false;
        if (engineStarts.incrementAndGet() > 1) {
            events.accept(new TaskEvent.EngineRestarted(name, Instant.now(), "the capture engine of task " + name + " started again"));
        }
    }

    /**
     * The settings the capture engine runs with (Debezium's properties: the source's address and credentials, the
     * slot): for probes of the source beside the capture. Holds the password: never show them.
     */
    public void captureSettings(Map<String, String> settings) {
        captureSettings = Map.copyOf(settings);
    }

    public Map<String, String> captureSettings() {
        return captureSettings;
    }

    /** How often the capture engine started again within this run of the CamelContext. */
    public int engineRestarts() {
        return Math.max(0, engineStarts.get() - 1);
    }

    /** A row change of a table (its counters, looked up once per table by the caller) reached the task's route. */
    public void rowRead(TableCounters table, long sourceMillis) {
        table.read.increment();
        rowRead(sourceMillis);
    }

    /** A row change reached the task's route; {@code sourceMillis} is its commit time on the source, if known. */
    public void rowRead(long sourceMillis) {
        rowsRead.incrementAndGet();
        if (sourceMillis > 0) {
            newestReadMillis.accumulateAndGet(sourceMillis, Math::max);
            if (oldestUncommittedMillis.get() == 0) {
                oldestUncommittedMillis.compareAndSet(0, sourceMillis);
            }
        }
    }

    /** The target opened the task's capture: it starts with the full load, or goes straight on streaming. */
    public void opened(boolean fullLoad) {
        phase = fullLoad ? TaskPhase.FULL_LOAD : TaskPhase.STREAMING;
    }

    /**
     * The target committed {@code rows} more row changes with these source positions: every change read so far is
     * now visible there, so the newest one's source time gives the commit-to-visible latency.
     */
    public void committed(Map<String, String> offsets, long rows) {
        Instant now = Instant.now();
        rowsWritten.addAndGet(rows);
        for (java.util.Iterator<TableCounters> it = appliedSinceCommit.iterator(); it.hasNext(); ) {
            TableCounters table = it.next();
            it.remove();
            table.written.add(table.applied.sumThenReset());
            table.committed(now);
        }
        // The engine's own entries: a start position's record (routes.capture.ChosenStart) is no position.
        List<String> positions = offsets.entrySet().stream().filter(e -> !e.getKey().startsWith("{\"realtimesync\":\"start-from\""))
                .map(Map.Entry::getValue).toList();
        if (!positions.isEmpty()) {
            position = String.join(" ", positions);
        }
        long newest = newestReadMillis.get();
        if (newest != Long.MIN_VALUE) {
            positionTime = Instant.ofEpochMilli(newest);
            commitLatency = Duration.between(positionTime, now).isNegative() ? Duration.ZERO : Duration.between(positionTime, now);
        }
        long oldest = oldestUncommittedMillis.getAndSet(0);
        if (rows > 0 && oldest > 0) {
            // The commit's longest wait: every change it made visible waited at most this long.
            Duration waited = Duration.ofMillis(Math.max(0, now.toEpochMilli() - oldest));
            commitLatencyListeners.forEach(listener -> listener.accept(waited));
        }
        committedAt = now;
        if (phase == TaskPhase.FULL_LOAD && FullLoadState.isComplete(offsets)) {
            phase = TaskPhase.STREAMING;
        }
    }

    // --- the chunked full load, which copies rows outside the route

    /**
     * The chunked full load is about to copy {@code table}: {@code chunks} chunks, {@code chunksDone} of them holding
     * {@code rowsCopied} rows copied by an earlier run. The task is in its full load from now on.
     */
    public void loadPlanned(TableId table, int chunks, int chunksDone, long rowsCopied) {
        loads.put(table, new TableLoad(chunks, chunksDone, rowsCopied));
        loadStarts.put(table, new long[] {System.nanoTime(), rowsCopied});
        if (phase == TaskPhase.STARTING) {
            phase = TaskPhase.FULL_LOAD;
        }
    }

    /** The source's estimate of a table's rows (0 when it has none), for the full load's progress. */
    public void loadEstimated(TableId table, long rows) {
        loadEstimates.put(table, rows);
    }

    /** The source's estimate of the rows of a table the chunked full load copies this run; null for others. */
    public Long loadEstimate(TableId table) {
        return loadEstimates.get(table);
    }

    /**
     * About how many seconds a table's chunked full load still takes, at its rate this run against the source's
     * estimate: 0 once done; null when unknown (no estimate, or no row copied yet this run).
     */
    public Long loadSecondsLeft(TableId table) {
        return loadSecondsLeft(table, System.nanoTime());
    }

    Long loadSecondsLeft(TableId table, long nowNanos) {
        TableLoad load = loads.get(table);
        long[] start = loadStarts.get(table);
        Long estimate = loadEstimates.get(table);
        if (load == null || start == null) {
            return null;
        }
        if (load.done()) {
            return 0L;
        }
        long copiedThisRun = load.rowsCopied() - start[1];
        double seconds = (nowNanos - start[0]) / 1e9;
        if (estimate == null || estimate <= 0 || copiedThisRun <= 0 || seconds <= 0) {
            return null;
        }
        return Math.round(Math.max(0, estimate - load.rowsCopied()) / (copiedThisRun / seconds));
    }

    /** A table's chunked full load this run; null when the task does not load it in chunks. */
    public TableLoad load(TableId table) {
        return loads.get(table);
    }

    /**
     * A chunk of {@code table} committed on the target: {@code read} rows read from the source, {@code written} of
     * them now in the target (the others refused, counted as such). Called once per chunk commit, so a chunk copied
     * again after a failed attempt counts once.
     */
    public void chunkCommitted(TableId table, long read, long written) {
        rowsRead.addAndGet(read);
        rowsWritten.addAndGet(written);
        TableCounters counted = counters(table);
        counted.read.add(read);
        counted.written.add(written);
        counted.chunkCommitted(Instant.now());
        loads.computeIfPresent(table, (t, load) -> new TableLoad(load.chunks(), load.chunksDone() + 1, load.rowsCopied() + written));
    }

    /** The target refused a row of a table; {@code alert} is the alert kind to raise, or null. */
    public void rowRefused(TableId table, String reason, String alert) {
        rowsRefused.incrementAndGet();
        counters(table).refused.increment();
        events.accept(new TaskEvent.RowsRefused(name, Instant.now(), table.toString(), 1, reason, alert));
    }

    /**
     * The writer applied {@code rows} row changes of a table to the target's open transaction (once per batch, under
     * the writer's lock, as its commit is): they count as written when it commits.
     */
    public void rowsApplied(TableId table, int rows) {
        TableCounters counted = counters(table);
        counted.applied.add(rows);
        appliedSinceCommit.add(counted);
    }

    /** As {@link #rowsApplied(TableId, int)}, with the position and source time of the newest of them. */
    public void rowsApplied(TableId table, int rows, SourcePosition newest, Instant newestTime) {
        TableCounters counted = counters(table);
        counted.appliedPosition = newest;
        counted.appliedTime = newestTime;
        counted.applied.add(rows);
        appliedSinceCommit.add(counted);
    }

    /** A table's counters, created on first use; callers on the data path keep what they get. */
    public TableCounters counters(TableId table) {
        TableCounters known = counters.get(table);
        return known != null ? known : counters.computeIfAbsent(table, t -> new TableCounters());
    }

    /** A table's counters; null before the task counted anything of it. */
    public TableCounters countersOf(TableId table) {
        return counters.get(table);
    }

    /** Every table's counters this run (tables that left the task included), in no order. */
    public Map<TableId, TableCounters> counters() {
        return Map.copyOf(counters);
    }

    /**
     * Called at each target commit that made row changes visible, with the commit-to-visible latency of the oldest change
     * it made visible (keep it quick).
     */
    public void onCommitLatency(Consumer<Duration> listener) {
        commitLatencyListeners.add(listener);
    }

    // --- tables

    /** A table's state as the writer records it; published when it changed. */
    public void table(TableId table, TableState state, String reason) {
        table(table, state, reason, null);
    }

    /** A table stopped while the task runs: recorded and raised as a TABLE_STOPPED alert. */
    public void tableStopped(TableId table, String reason) {
        table(table, TableState.STOPPED, reason, "TABLE_STOPPED");
    }

    private void table(TableId table, TableState state, String reason, String alert) {
        TableStatus before = tables.get(table);
        if (alert == null && before != null && before.state() == state && java.util.Objects.equals(before.reason(), reason)) {
            return;
        }
        tables.put(table, new TableStatus(state, reason, Instant.now()));
        events.accept(new TaskEvent.TableStateChanged(name, Instant.now(), table.toString(), before == null ? null : before.state(), state,
                reason, alert));
    }

    /** A schema change of {@code table} (schema.table, or null for no one table) the target followed. */
    public void schemaChangeApplied(String table, String change) {
        schemaChangeApplied(table, null, change);
    }

    /** As {@link #schemaChangeApplied(String, String)}; {@code kind} is its kind (ADD_COLUMN...), null when none fits. */
    public void schemaChangeApplied(String table, String kind, String change) {
        TaskEvent.SchemaChangeApplied event = new TaskEvent.SchemaChangeApplied(name, Instant.now(), table, change, kind);
        recordSchemaChange(event.table(), new SchemaChangeRecord(event.time(), kind, change, event.policy(), event.outcome()));
        events.accept(event);
    }

    /** A schema change the target was left without; {@code alert} true raises it as a SCHEMA_CHANGE alert. */
    public void schemaChangeDeclined(String table, String change, boolean alert) {
        schemaChangeDeclined(table, null, null, change, alert);
    }

    /**
     * As {@link #schemaChangeDeclined(String, String, boolean)}, with the change's kind (ADD_COLUMN...) and the policy
     * that declined it (IGNORE, ALERT, ERROR, or APPLY when the target cannot), each null when unknown. ERROR stops the
     * task right after.
     */
    public void schemaChangeDeclined(String table, String kind, String policy, String change, boolean alert) {
        TaskEvent.SchemaChangeDeclined event = new TaskEvent.SchemaChangeDeclined(name, Instant.now(), table, change,
                alert ? "SCHEMA_CHANGE" : null, kind, policy);
        recordSchemaChange(event.table(), new SchemaChangeRecord(event.time(), kind, change, policy, event.outcome()));
        events.accept(event);
    }

    private void recordSchemaChange(String table, SchemaChangeRecord record) {
        if (table != null) {
            schemaChanges.add(table, record);
        }
    }

    /** The last schema changes of a table (schema.table) and their outcome, oldest first (at most 100). */
    public List<SchemaChangeRecord> schemaChanges(String table) {
        return schemaChanges.of(table);
    }

    /** Rows of a table (schema.table) the target refused, once their transaction committed: kept for operators. */
    public void refusedRowsKept(String table, List<RefusedRow> rows) {
        for (RefusedRow row : rows) {
            String kept = row.row() == null || row.row().length() <= REFUSED_ROW_CHARS ? row.row()
                    : row.row().substring(0, REFUSED_ROW_CHARS) + "...(cut; the dead-letter record holds it whole)";
            refusedRows.add(table, new RefusedRow(row.at(), row.reason(), row.key(), kept));
        }
    }

    /** The last rows of a table (schema.table) the target refused, oldest first (at most 100). */
    public List<RefusedRow> refusedRows(String table) {
        return refusedRows.of(table);
    }

    // --- failure

    /**
     * Marks the task failed (the first reason wins): its syncing tables now say TASK_STOPPED with the reason, the
     * failure is logged once and published.
     */
    public void fail(String reason) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = reason;
            phase = TaskPhase.FAILED;
        }
        LOG.error("Task '{}' stopped: {}", name, reason);
        tables.forEach((table, status) -> {
            if (status.state() == TableState.SYNCING) {
                table(table, TableState.TASK_STOPPED, reason, null);
            }
        });
        events.accept(new TaskEvent.TaskFailed(name, Instant.now(), reason));
    }

    /** Why the task stopped on an error; null while it has not. */
    public String failure() {
        return failure;
    }

    /** Since when the task's source could not be reached or read, and why (the first failure's message). */
    public record SourceTrouble(Instant since, String reason) {
    }

    private volatile SourceTrouble sourceTrouble;

    /** A look at the source beside the capture failed (its metrics probe); the first failure's time is kept. */
    public void sourceUnreachable(String reason) {
        if (sourceTrouble == null) {
            sourceTrouble = new SourceTrouble(Instant.now(), reason);
        }
    }

    /** A look at the source beside the capture worked. */
    public void sourceReachable() {
        sourceTrouble = null;
    }

    /** Null while the source answers, or no look at it was made (no metrics). */
    public SourceTrouble sourceTrouble() {
        return sourceTrouble;
    }

    // --- what readers see

    public TaskPhase phase() {
        TaskPhase now = phase;
        return standby && (now == TaskPhase.STARTING || now == TaskPhase.STREAMING || now == TaskPhase.FULL_LOAD) ? TaskPhase.STANDBY : now;
    }

    /** One table's status; null when the task has no such table. */
    public TableStatus tableStatus(TableId table) {
        return tables.get(table);
    }

    /** Each table's status, in name order. */
    public Map<TableId, TableStatus> tables() {
        Map<TableId, TableStatus> sorted = new LinkedHashMap<>();
        tables.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(TableId::toString)))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Each table's chunked full load, in name order; empty when the task loads no table in chunks this run. */
    public Map<TableId, TableLoad> loads() {
        Map<TableId, TableLoad> sorted = new LinkedHashMap<>();
        loads.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(TableId::toString)))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Rows read this run: row changes the capture handed to the task's route, and rows the chunked full load read. */
    public long rowsRead() {
        return rowsRead.get();
    }

    /** Row changes the target committed this run, the chunked full load's rows included (as their chunk commits). */
    public long rowsWritten() {
        return rowsWritten.get();
    }

    /** Rows the target refused this run (kept as dirty rows or dead letters). */
    public long rowsRefused() {
        return rowsRefused.get();
    }

    /** The source position last committed with the target's data (Debezium's offset, as JSON); null before. */
    public String position() {
        return position;
    }

    /** The source commit time of the newest change committed at {@link #position()}; null before. */
    public Instant positionTime() {
        return positionTime;
    }

    /**
     * The source commit time of the oldest change read but not yet committed on the target; null when every change read
     * is (the latency alert's wait while the target does not commit).
     */
    public Instant oldestUncommitted() {
        long millis = oldestUncommittedMillis.get();
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    /** When the target last committed; null before. */
    public Instant committedAt() {
        return committedAt;
    }

    /** From the source commit of the newest change to the target commit that made it visible, at the last commit. */
    public Duration commitLatency() {
        return commitLatency;
    }

    @Override
    public String toString() {
        return "task " + name + " (" + phase + (failure == null ? "" : ": " + failure) + ")";
    }
}
