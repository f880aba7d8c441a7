package routes.sink;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Header;
import org.apache.camel.Route;
import org.apache.camel.component.debezium.DebeziumConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.processor.aggregate.AggregateController;
import org.apache.camel.support.service.ServiceHelper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.capture.SchemaWatch;
import routes.capture.SourceDatabase;
import routes.change.ChangeBatch;
import routes.change.ChangeEvent;
import routes.change.TableId;
import routes.fullload.ChunkedFullLoad;
import routes.ops.CaptureWatchdog;
import routes.ops.TaskHealthCheck;
import routes.ops.TaskProblem;
import routes.ops.TaskStopper;
import routes.schema.ColumnFill;
import routes.state.FullLoadState;
import routes.state.SyncTask;
import routes.state.TableOperationRefused;
import routes.state.TableState;
import routes.state.TaskRegistry;
import routes.state.TaskSink;
import routes.state.TransactionBoundary;

/**
 * What every sink kamelet's writer shares, whatever its target: it is found by its task's capture, shows in health
 * checks, forces the aggregator's open batches through before a commit, reports its tables' states and its counts to
 * the task registry of its CamelContext, and stops the task visibly, with the reason, when it cannot go on.
 */
public abstract class TaskWriter implements TaskSink, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(TaskWriter.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Duration NEW_TABLE_CHECK_EVERY = Duration.ofSeconds(30);
    /**
     * Row changes a writer keeps in memory between commits before a batch that ends inside a source transaction hands
     * them to the open target transaction ({@link #commitDeferred}).
     */
    protected static final int HELD_CHANGES_LIMIT = 20_000;

    protected String task;
    protected CamelContext camelContext;
    /** What the route does to each upserted row before batching it; a resync's rows go through it too. */
    protected org.apache.camel.Processor rowStep = exchange -> {
    };
    protected AggregateController batching;
    protected InFlightChanges inFlight;
    protected volatile boolean failed;
    /** The task in its CamelContext's registry, where the writer reports what it does. */
    protected SyncTask syncTask;
    /** Where each of the task's tables stands: new, loading, streaming, paused, resyncing, stopped with its reason. */
    protected final TableLifecycle lifecycle = new TableLifecycle();
    /** Batches of a table applied since the last commit, so that a late one cannot undo newer ones. */
    protected final BatchOrder batchOrder = new BatchOrder();
    /**
     * Where the target's refused rows are kept (in the task's state database) until their transaction commits; null
     * for a target that keeps them itself (Kafka: its dead-letter topic, in its own transaction).
     */
    protected DirtyRowStore dirtyRows;
    /** The task's schema-change policies, deciding for this writer ({@link #schemaChangeDecisions}); set at its start. */
    protected SchemaChangeDecisions decisions;
    /** Row changes applied to the target this run; reported with each commit. */
    private long rowsApplied;
    /** Set once the task has started: a start that fails (its target unreachable, say) is explained by its own line. */
    private volatile boolean opened;
    private CaptureWatchdog watchdog;
    private final Set<TableId> reportedWithoutKey = ConcurrentHashMap.newKeySet();
    private final TransactionBoundary transactionBoundary = new TransactionBoundary();
    private long rowsAtLastProgress;
    private long rowsReported;
    private long lastProgressNanos = System.nanoTime();
    private long lastNewTableCheckNanos = System.nanoTime();

    @Override
    public final synchronized Map<String, String> open(SourceDatabase source, boolean fullLoadWanted) throws Exception {
        try {
            Map<String, String> offsets = prepareTask(source, fullLoadWanted);
            opened = true;
            if (FullLoadState.isComplete(offsets)) {
                lifecycle.loaded(); // a chunked full load ran inside prepareTask: its tables stream from here
            }
            reloads.startRequested(); // reloads an earlier run left: their changes are held from now on
            syncTask.opened(fullLoadWanted && !FullLoadState.isComplete(offsets));
            return offsets;
        } catch (Exception e) {
            fail(e);
            throw e;
        }
    }

    /** What {@link #open} does for this target; an exception stops the task with it as the reason. */
    protected abstract Map<String, String> prepareTask(SourceDatabase source, boolean fullLoadWanted) throws Exception;

    /** Makes the writer the one its task's capture commits through; called at the end of the writer's start. */
    protected void register() {
        if (camelContext == null) {
            throw new IllegalStateException("The writer of task '" + task + "' was created outside a CamelContext");
        }
        syncTask = TaskRegistry.of(camelContext).task(task);
        syncTask.writerStarted(this);
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.getCheck("task-" + task).ifPresent(registry::unregister);
            registry.register(new TaskHealthCheck(syncTask));
        }
        watchdog = new CaptureWatchdog(camelContext, syncTask,
                () -> fail(new IllegalStateException("the capture engine stopped on its own; its error is logged above")));
    }

    /** Called at the writer's stop. */
    protected void unregister() {
        reloads.stop();
        if (syncTask != null) {
            syncTask.writerStopped(this);
        }
        if (watchdog != null) {
            watchdog.close();
        }
    }

    @Override
    public void captureStopped() {
        if (failed || camelContext == null) {
            return;
        }
        if (camelContext.isStopping() || camelContext.isStopped()) {
            // Logged while the context stops, before the JVM may exit: camel-main's own last line can come too late.
            LOG.info("Task '{}' stopped: {} row changes committed this run; it resumes from its last commit",
                    task, String.format("%,d", syncTask.rowsWritten()));
            return;
        }
        Route capture = syncTask.captureRoute() == null ? null : camelContext.getRoute(syncTask.captureRoute());
        if (capture != null && capture.getConsumer() instanceof org.apache.camel.component.master.MasterConsumer master
                && ServiceHelper.isStarted(master) && !master.isMaster()) {
            LOG.warn("Task '{}': this instance no longer leads; it waits as a standby", task);
            syncTask.standbyAgain();
            return;
        }
        if (capture != null && ServiceHelper.isStarted(capture.getConsumer())) {
            fail(new IllegalStateException("the capture engine stopped on its own; its error is logged above"));
        }
    }

    @Override
    public TransactionBoundary transactionBoundary() {
        return transactionBoundary;
    }

    /**
     * Forces the aggregator's open groups out and waits until every batch has reached the writer. (Camel refuses to
     * force completion while the context is still starting: keep asking until it can.)
     */
    protected void drainBatches() throws InterruptedException {
        do {
            batching.forceCompletionOfAllGroups();
        } while (!inFlight.awaitNone(200) && !failed);
    }

    /**
     * Applies one batch of one table (called by the aggregator's writing thread): nothing for a stopped table; a batch
     * that arrives after newer ones of its table goes in with those newer ones after it ({@link BatchOrder}).
     */
    public final void write(ChangeBatch batch) {
        try {
            synchronized (this) {
                if (failed || lifecycle.isStopped(batch.table())) {
                    return;
                }
                TableLifecycle.Phase phase = lifecycle.state(batch.table()).phase();
                if (phase == TableLifecycle.Phase.PAUSED || phase == TableLifecycle.Phase.RESYNCING) {
                    // Held in the order they would have been applied: a late batch, then the newer ones again. A table
                    // reloaded while it streamed stays live meanwhile.
                    List<ChangeBatch> inOrder = batchOrder.toApply(batch);
                    holdBatches(batch.table(), inOrder);
                    if (phase == TableLifecycle.Phase.RESYNCING && reloads.isLive(batch.table()) && applyBatch(batch, inOrder)) {
                        rowsApplied += batch.size();
                    }
                    batchOrder.applied(batch);
                } else if (applyBatch(batch, batchOrder.toApply(batch))) {
                    batchOrder.applied(batch);
                    rowsApplied += batch.size();
                    if (batch.size() > 0) {
                        ChangeEvent newest = batch.events().get(batch.size() - 1);
                        syncTask.rowsApplied(batch.table(), batch.size(), newest.position(), newest.eventTime());
                    }
                }
            }
        } catch (Exception e) {
            fail(e);
        } finally {
            inFlight.applied(batch.size());
        }
    }

    /**
     * Applies {@code inOrder} (the batch, then the newer batches of its table to apply again after it) in the target's
     * open unit of work. Returns false when the batch's table has no place on the target (a new table its policy
     * leaves out): nothing was applied.
     */
    protected abstract boolean applyBatch(ChangeBatch batch, java.util.List<ChangeBatch> inOrder) throws Exception;

    /**
     * Pauses one streaming table (docs/table-operations.md): the changes captured before are applied as usual; from
     * here on the table's changes are held in the target, in the transactions that carry the other tables' changes and
     * the offsets past them, until {@link #resume}. The pause is recorded with the task's next commit.
     */
    @Override
    public final void pause(TableId table) throws Exception {
        if (!holdsChanges()) {
            throw new TableOperationRefused("a " + targetKind() + " target cannot hold one table's changes aside, so it cannot "
                    + "pause a table (PostgreSQL, MariaDB/MySQL and DuckDB targets can); stop the whole task instead "
                    + "(POST /api/tasks/" + task + "/stop): it resumes from its committed position");
        }
        drainBatches();
        synchronized (this) {
            ensureRunning();
            TableLifecycle.Phase phase = lifecycle.state(table).phase();
            if (phase != TableLifecycle.Phase.STREAMING) {
                throw new TableOperationRefused("table " + table + " is " + describe(phase)
                        + "; only a streaming table can be paused");
            }
            try {
                recordTableState(table, TableState.PAUSED, PAUSED_REASON);
            } catch (Exception e) {
                fail(e);
                throw e;
            }
            lifecycle.pause(table);
            reportTable(table, TableState.PAUSED, PAUSED_REASON);
            LOG.info("Task '{}': table {} paused; its changes are held in the target until it is resumed", task, table);
        }
    }

    /**
     * Resumes a paused table: its held changes are applied in source order in the open target transaction (they commit
     * with the next position), then its changes are applied as they come again.
     */
    @Override
    public final void resume(TableId table) throws Exception {
        drainBatches();
        synchronized (this) {
            ensureRunning();
            TableLifecycle.Phase phase = lifecycle.state(table).phase();
            if (phase != TableLifecycle.Phase.PAUSED) {
                throw new TableOperationRefused("table " + table + " is " + describe(phase) + ", not paused");
            }
            long applied;
            try {
                applied = applyHeld(table);
                recordTableState(table, TableState.SYNCING, null);
            } catch (Exception e) {
                fail(e);
                throw e;
            }
            rowsApplied += applied;
            lifecycle.resume(table);
            reportTable(table, TableState.SYNCING, null);
            LOG.info("Task '{}': table {} resumed; {} held changes applied", task, table, String.format("%,d", applied));
        }
    }

    /**
     * Resyncs one table while the task streams (docs/table-operations.md): from here on its changes are held in the
     * target (and still applied to the table if it was streaming); after the commit that records the resync, its rows
     * are copied into a staging table; the commit after the copy applies the held changes to the staging table and
     * replaces the table's rows with it. A paused or stopped table can be resynced too; it then streams again.
     */
    @Override
    public final void resync(TableId table) throws Exception {
        reload(table, phase -> phase == TableLifecycle.Phase.STREAMING || phase == TableLifecycle.Phase.PAUSED
                || phase == TableLifecycle.Phase.STOPPED ? Reload.resync(phase == TableLifecycle.Phase.STREAMING) : null,
                "a streaming, paused or stopped table can be resynced");
    }

    /**
     * Backfills one streaming table (docs/table-operations.md): as a resync, but only the source rows {@code where}
     * selects are copied, and the commit after the copy merges them (with the changes held meanwhile) into the table;
     * its other rows stay as they are.
     */
    @Override
    public final void backfill(TableId table, String where) throws Exception {
        if (where == null || where.isBlank()) {
            throw new TableOperationRefused("a backfill needs a filter: {\"where\": \"condition on the source table\"}");
        }
        reload(table, phase -> phase == TableLifecycle.Phase.STREAMING ? Reload.backfill(where.trim()) : null,
                "a streaming table can be backfilled");
    }

    private void reload(TableId table, java.util.function.Function<TableLifecycle.Phase, Reload> allowed, String whenRefused)
            throws Exception {
        drainBatches();
        synchronized (this) {
            ensureRunning();
            TableLifecycle.Phase phase = lifecycle.state(table).phase();
            Reload reload = allowed.apply(phase);
            if (reload == null) {
                throw new TableOperationRefused("table " + table + " is " + describe(phase) + "; " + whenRefused);
            }
            reload = reloadable(table, reload);
            try {
                reloadRequested(table, reload);
                recordTableState(table, reload.state(), reload.reason());
            } catch (Exception e) {
                fail(e);
                throw e;
            }
            lifecycle.resync(table);
            reloads.requested(table, reload);
            reportTable(table, reload.state(), reload.reason());
            LOG.info("Task '{}': {} of table {} requested{}; its rows are copied after the next commit", task, reload.name(),
                    table, reload.live() ? ", the table stays live meanwhile" : "");
        }
    }

    /**
     * Moves a table's waiting chunks to the front of the running chunked full load. Not under the writer's lock: the
     * load runs inside {@link #open}.
     */
    @Override
    public final void prioritize(TableId table) throws Exception {
        if (!runningFullLoad().orElseThrow(() -> noChunkedLoad("prioritize")).prioritize(table)) {
            throw new TableOperationRefused("table " + table + " has no chunks waiting in the full load (it is not in it, its "
                    + "last chunks are being copied, or it is loaded)");
        }
        LOG.info("Task '{}': table {} goes first in the full load", task, table);
    }

    /**
     * Takes a table out of the running chunked full load: it is recorded STOPPED at once (so a restart leaves it out),
     * and a resync loads it later. The rows its copied chunks hold stay in the target table until then.
     */
    @Override
    public final void cancel(TableId table) throws Exception {
        ChunkedFullLoad load = runningFullLoad().orElseThrow(() -> noChunkedLoad("cancel"));
        if (!load.cancel(table)) {
            throw new TableOperationRefused("table " + table + " is not loading in the running full load (not in it, or loaded)");
        }
        recordCancelled(table, CANCELLED_REASON);
        reportTableStopped(table, CANCELLED_REASON);
        LOG.warn("Task '{}': table {}: {}", task, table, CANCELLED_REASON);
    }

    protected static final String CANCELLED_REASON = "full load cancelled by an operator; resync the table to load it";

    private TableOperationRefused noChunkedLoad(String operation) {
        return new TableOperationRefused("no chunked full load is running in task '" + task + "' (" + operation + " works on "
                + "the tables of a running chunked full load; see docs/full-load.md)");
    }

    /** The task's chunked full load while it runs. */
    protected Optional<ChunkedFullLoad> runningFullLoad() {
        return Optional.empty();
    }

    /** Records, on a connection of its own and at once, that a table's load was cancelled (it is STOPPED). */
    protected void recordCancelled(TableId table, String reason) throws Exception {
        recordTableState(table, TableState.STOPPED, reason);
    }

    /** The reloads (resyncs, backfills) of this writer's tables: which stay live, which copies run, which are done. */
    protected final Reloads reloads = new Reloads(this);

    /**
     * Finishes, in the open unit of work, the reloads whose copy is done: their held changes onto the staging table,
     * which replaces or is merged into the table's rows. Returns those tables.
     */
    private Set<TableId> finishCopiedReloads() throws Exception {
        Set<TableId> finished = reloads.copied();
        for (TableId table : finished) {
            if (lifecycle.isStopped(table)) {
                reloadAbandoned(table); // stopped while its rows were copied: a resync starts anew
            } else {
                finishReload(table, reloads.of(table));
            }
        }
        return finished;
    }

    private void reloadsFinished(Set<TableId> finished) {
        for (TableId table : finished) {
            Reload reload = reloads.of(table);
            reloads.finished(table);
            if (lifecycle.isStopped(table)) {
                afterReload(table);
                continue;
            }
            lifecycle.resume(table);
            reportTable(table, TableState.SYNCING, null);
            afterReload(table);
            LOG.info("Task '{}': table {}: {} done", task, table, reload.name());
        }
    }

    /** A reload's copy failed: the table stops with the reason (its staging rows and held changes are dropped). */
    final void reloadFailed(TableId table, Exception error) {
        drainQuietly();
        synchronized (this) {
            if (failed || lifecycle.state(table).phase() != TableLifecycle.Phase.RESYNCING) {
                return;
            }
            String reason = reloads.of(table).name() + " failed: " + reasonOf(error) + "; resync the table";
            LOG.error("Task '{}': table {}: {}", task, table, reason);
            LOG.debug("Task '{}': reload of {} failed", task, table, error);
            try {
                reloadAbandoned(table);
                recordTableState(table, TableState.STOPPED, reason);
            } catch (Exception e) {
                fail(e);
                return;
            }
            reloads.finished(table);
            lifecycle.stop(table, reason);
            reportTableStopped(table, reason);
        }
    }

    private void drainQuietly() {
        try {
            drainBatches();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Refuses a reload this target cannot do for the table (no chunked reader for its source, a bad filter); nothing
     * changed. Returns the reload the target runs: {@code reload}, or a {@link Reload#rebuildWithNewStructure} of a stopped table whose
     * source changed its structure.
     */
    protected Reload reloadable(TableId table, Reload reload) throws TableOperationRefused {
        throw new TableOperationRefused("a " + targetKind() + " target cannot " + reload.name() + " one table (PostgreSQL and "
                + "MariaDB/MySQL targets can, and DuckDB from a PostgreSQL source); to load it again, run the task with "
                + "--start-from initial, which reloads every table");
    }

    /** Records the reload in the target's open unit of work (it survives restarts once committed). */
    protected void reloadRequested(TableId table, Reload reload) throws Exception {
    }

    /** Copies the reload's rows into the table's staging table (on a thread of its own, outside the writer's transaction). */
    protected void copyForReload(TableId table, Reload reload) throws Exception {
    }

    /**
     * Applies the held changes onto the staging table, which then replaces (resync) or is merged into (backfill) the
     * table's rows, in the open unit of work.
     */
    protected void finishReload(TableId table, Reload reload) throws Exception {
    }

    /** After the commit that finished a reload (dropping its staging table, say). */
    protected void afterReload(TableId table) {
    }

    /** A failed reload: drops what it copied and held, in the open unit of work. */
    protected void reloadAbandoned(TableId table) throws Exception {
    }

    protected static final String PAUSED_REASON = "paused by an operator; its changes are held in the target until it is resumed";

    private static String describe(TableLifecycle.Phase phase) {
        return switch (phase) {
            case NEW -> "not synced yet";
            case LOADING -> "in its full load";
            case STREAMING -> "streaming";
            case PAUSED -> "paused";
            case RESYNCING -> "being resynced or backfilled";
            case STOPPED -> "stopped";
        };
    }

    /** Whether this target can hold a table's changes (pause, and the re-reads that build on holding). */
    protected boolean holdsChanges() {
        return false;
    }

    /** What kind of target this is, for messages ("Kafka", "Stream Load"). */
    /** The target's name in messages to an operator ("Kafka", "JDBC"). */
    protected abstract String targetKind();

    /** Keeps {@code inOrder} (one table's batches, oldest first) in the target's open unit of work instead of applying them. */
    protected void holdBatches(TableId table, List<ChangeBatch> inOrder) throws Exception {
        throw new IllegalStateException("table " + table + " is paused on a target that cannot hold changes");
    }

    /**
     * Applies the table's held changes in source order and forgets them, in the target's open unit of work; returns how
     * many there were.
     */
    protected long applyHeld(TableId table) throws Exception {
        return 0;
    }

    /**
     * Commits the target with the source position {@code offsets}, once every change before it reached the target:
     * the aggregator's open batches are drained first, so the position covers nothing unwritten.
     */
    @Override
    public final void commit(Map<String, String> offsets) throws Exception {
        ensureRunning();
        beforeCommit();
        drainBatches();
        synchronized (this) {
            ensureRunning();
            Set<TableId> finished;
            try {
                finished = finishCopiedReloads();
                commitTarget(offsets);
            } catch (Exception e) {
                fail(e);
                throw e;
            }
            if (dirtyRows != null) {
                dirtyRows.committed();
            }
            batchOrder.committed();
            committed(offsets, rowsApplied);
            reloadsFinished(finished);
            reloads.committed();
            reloads.startRequested();
        }
    }

    /** Commits what the target holds since the last commit together with the source position {@code offsets}. */
    protected abstract void commitTarget(Map<String, String> offsets) throws Exception;

    /** Called before a commit drains the open batches; a target that gathers rows into larger loads may wait here. */
    protected void beforeCommit() throws InterruptedException {
    }

    /**
     * Inside a long source transaction: once many changes wait in memory for the commit (batches kept to be applied
     * again after an older one arriving late, or held by the target until its commit), every open batch is applied now
     * and the target takes what it holds into its open unit of work ({@link #flushHeld()}); later batches are then all
     * newer, so none needs keeping. The commit comes at the transaction's end.
     */
    @Override
    public final void commitDeferred() throws Exception {
        synchronized (this) {
            if (batchOrder.held() < HELD_CHANGES_LIMIT) {
                return;
            }
        }
        ensureRunning();
        drainBatches();
        synchronized (this) {
            ensureRunning();
            try {
                flushHeld();
            } catch (Exception e) {
                fail(e);
                throw e;
            }
            batchOrder.drained();
        }
    }

    /** Hands the changes held in memory to the target's open unit of work; nothing for a target that applies each batch. */
    protected void flushHeld() throws Exception {
    }

    /**
     * Called by the route, before the row that shows it, when a table's rows arrive with another structure (see
     * {@link routes.capture.SchemaWatch}): once the rows before it are in the target ({@link #afterRowsBefore}), the
     * target follows the column changes the task's policies allow ({@link #followStructure}).
     */
    public final void schemaChanged(@Body ChangeEvent row, @Header(SchemaWatch.HEADER) String kind,
            @Header(SchemaWatch.COLUMNS_HEADER) List<String> columns, @Header(SchemaWatch.TYPES_HEADER) Map<String, String> types)
            throws Exception {
        RowStructure shown = new RowStructure(row.table(), "first".equals(kind), columns, types, row.position());
        synchronized (this) {
            if (failed || columns == null || lifecycle.isStopped(shown.table()) || !structureChanged(shown)) {
                return;
            }
        }
        afterRowsBefore(() -> followStructure(shown));
    }

    /**
     * Whether the target must follow {@code shown} (called under the writer's lock, for a table not stopped); a target
     * may take note of a structure that asks nothing of it here.
     */
    protected abstract boolean structureChanged(RowStructure shown);

    /** Has the target follow the column changes {@code shown} makes, as the task's policies say. */
    protected abstract void followStructure(RowStructure shown) throws Exception;

    /**
     * Called by the route for a schema statement of a MySQL-family source: TRUNCATE, DROP TABLE and RENAME TABLE reach
     * the target ({@link #tableChanged}) once the rows before them are in it; column renames are announced
     * ({@link #columnsRenamed}), the rows showing the change itself (see {@link #schemaChanged}).
     */
    public final void sourceStatement(@Header(DebeziumConstants.HEADER_DDL_SQL) String ddl,
            @Header(DebeziumConstants.HEADER_SOURCE_METADATA) Map<String, Object> sourceInfo) throws Exception {
        Optional<TableStatements.Statement> statement = TableStatements.parse(ddl, sourceInfo);
        if (statement.isEmpty()) {
            return;
        }
        if (statement.get().kind() == TableStatements.Kind.RENAME_COLUMNS) {
            columnsRenamed(statement.get().tables().get(0), statement.get().columns());
            return;
        }
        List<SchemaChange> changes = statement.get().changes();
        if (changes.isEmpty()) {
            return;
        }
        afterRowsBefore(() -> {
            for (SchemaChange change : changes) {
                tableChanged(change);
            }
        });
    }

    /** Called by the route for a TRUNCATE the source captured, once the rows before it are in the target. */
    public final void truncatedOnSource(@Body TableId table) throws Exception {
        afterRowsBefore(() -> tableChanged(new SchemaChange.TruncateTable(table)));
    }

    /** Columns a MySQL-family statement renamed ({@code pairs}: old name, new name...), before the rows show it. */
    protected void columnsRenamed(TableId table, List<String> pairs) {
    }

    /**
     * A table-level change of the source (truncate, drop or rename table), as the task's policy for it says; nothing
     * for a table the task does not sync.
     */
    protected abstract void tableChanged(SchemaChange change) throws Exception;

    /** What a schema change does to the target, under the writer's lock. */
    @FunctionalInterface
    protected interface TargetStep {
        void run() throws Exception;
    }

    /**
     * Runs {@code step} once every change before it is in the target: the open batches drained, what the target holds
     * handed to its open unit of work ({@link #flushHeld}). An error stops the task with it as the reason.
     */
    private void afterRowsBefore(TargetStep step) throws Exception {
        drainBatches();
        try {
            synchronized (this) {
                ensureRunning();
                flushHeld();
                step.run();
            }
        } catch (Exception e) {
            fail(e);
            throw e;
        }
    }

    protected void ensureRunning() {
        if (failed) {
            throw new IllegalStateException("Task '" + task + "' has stopped: " + syncTask.failure());
        }
    }

    /** Stops the task with the error as its reason: the target's connections close, the capture stops. */
    protected synchronized void fail(Throwable error) {
        if (failed) {
            return;
        }
        failed = true;
        closeTarget();
        LOG.debug("Task '{}' stops on this error", task, error);
        String reason = reasonOf(error);
        if (!(error instanceof LeaderFence.Deposed)) {
            recordTaskStopped(reason); // a deposed leader writes nothing more: the target belongs to the new one
        }
        syncTask.fail(reason);
        TaskStopper.stopCapture(camelContext, syncTask);
    }

    /**
     * A change the sink route could not handle (see {@link SinkFailure}): the task stops with that error as its reason,
     * so no position past the change is ever committed.
     */
    public void routeFailed(Exception error) {
        fail(error);
    }

    /**
     * Turns the task's SYNCING table statuses into TASK_STOPPED with the reason, before anyone is told the task
     * stopped, so that no reader of the statuses takes a stopped task for a syncing one. Best effort: the target may be
     * what failed, and then the statuses keep saying SYNCING (the log line says so); the next start sets them anew.
     */
    private void recordTaskStopped(String reason) {
        try {
            markTablesTaskStopped(reason);
        } catch (Exception e) {
            if (opened) {
                LOG.warn("Task '{}': the table statuses cannot record that the task stopped ({}); they say SYNCING until the "
                        + "task starts again", task, e.getMessage());
            }
            LOG.debug("Task '{}': recording that the task stopped failed", task, e);
        } finally {
            closeTarget();
        }
    }

    /**
     * Writes {@link TableState#TASK_STOPPED} with the reason over each of the task's {@link TableState#SYNCING} table
     * statuses, on a connection of its own (the writer's connections are closed); nothing when the task has none yet.
     */
    protected abstract void markTablesTaskStopped(String reason) throws Exception;

    /** Closes the writer's connections to its target; what they had not committed is captured again. */
    protected abstract void closeTarget();

    protected static String reasonOf(Throwable error) {
        if (error instanceof TaskProblem) {
            return error.getMessage();
        }
        StringBuilder reason = new StringBuilder(error.getClass().getSimpleName() + ": " + error.getMessage());
        if (error instanceof SQLException sql && sql.getNextException() != null) {
            reason.append(" (").append(sql.getNextException().getMessage()).append(')');
        }
        return reason.toString();
    }

    /** A row of a table without primary key: reported once, never written. */
    public void skipWithoutKey(String table) {
        int dot = table.indexOf('.');
        reportWithoutKey(new TableId(table.substring(0, dot), table.substring(dot + 1)));
    }

    protected void reportWithoutKey(TableId table) {
        if (reportedWithoutKey.add(table)) {
            LOG.warn("Task '{}': {}", task, withoutKeyReason(table));
            syncTask.table(table, TableState.SKIPPED, withoutKeyReason(table));
        }
    }

    /** Why a table without primary key is left out, for the log and the table's status. */
    protected abstract String withoutKeyReason(TableId table);

    /** A table's state as the writer just recorded it (in table_status or the state topic): into the task registry. */
    protected void reportTable(TableId table, TableState state, String reason) {
        syncTask.table(table, state, reason);
    }

    /** A table stopped while the task runs: into the registry, and raised as a TABLE_STOPPED alert. */
    protected void reportTableStopped(TableId table, String reason) {
        syncTask.tableStopped(table, reason);
    }

    /** Where this writer's refused rows go on once their transaction commits (called before {@link #register}). */
    protected DeadLetters deadLetters() {
        return camelContext == null ? new DeadLetters(null, task, null)
                : new DeadLetters(TaskRegistry.of(camelContext).events(), task, TaskRegistry.of(camelContext).task(task));
    }

    /** The task's schema-change policies, deciding for this writer and reporting into the registry. */
    protected SchemaChangeDecisions schemaChangeDecisions(SchemaChangePolicies policies) {
        return new SchemaChangeDecisions(policies, task, new SchemaChangeDecisions.Reports() {
            @Override
            public void applied(TableId table, SchemaChangePolicies.Kind kind, String change) {
                syncTask.schemaChangeApplied(table.toString(), kind.name(), change);
            }

            @Override
            public void declined(TableId table, SchemaChangePolicies.Kind kind, SchemaChangePolicies.Policy policy, String change,
                    boolean alert) {
                syncTask.schemaChangeDeclined(table == null ? null : table.toString(), kind.name(), policy.name(), change, alert);
            }
        });
    }

    /**
     * A table created on the source after the task started, about to get its place on the target: true when the task's
     * createTable policy applies it. Otherwise the policy declines it (an alert, or the task stops) and the table is not
     * synced: its changes are dropped, and it is recorded SKIPPED with the reason.
     */
    protected final boolean newTableAccepted(TableId table) throws Exception {
        SchemaChangePolicies.Policy policy = decisions.policy(SchemaChangePolicies.Kind.CREATE_TABLE);
        if (policy == SchemaChangePolicies.Policy.APPLY) {
            return true;
        }
        String reason = new SchemaChange.CreateTable(table).describe() + "; the task's createTable policy is " + policy
                + ", so it is not synced";
        decisions.decline(SchemaChangePolicies.Kind.CREATE_TABLE, table, reason);
        lifecycle.stop(table, reason);
        recordTableState(table, TableState.SKIPPED, reason);
        reportTable(table, TableState.SKIPPED, reason);
        return false;
    }

    /** Writes a table's state and its reason where the target keeps them (table_status, the state topic). */
    protected abstract void recordTableState(TableId table, TableState state, String reason) throws Exception;

    /**
     * A schema change of {@code kind} the target was left without although its policy says apply ({@code table} empty
     * when it concerns no one table); {@code alert} raises it as a SCHEMA_CHANGE alert.
     */
    protected void reportSchemaChangeDeclined(String table, SchemaChangePolicies.Kind kind, String change, boolean alert) {
        syncTask.schemaChangeDeclined(table == null || table.isEmpty() ? null : table, kind.name(),
                SchemaChangePolicies.Policy.APPLY.name(), change, alert);
    }

    /** A row the target refused, kept aside; {@code alert} is the alert kind to raise, or null. */
    protected void reportRowRefused(TableId table, String reason, String alert) {
        syncTask.rowRefused(table, reason, alert);
    }

    /**
     * Called after each commit with the positions committed and the row changes committed so far this run: into the
     * registry, and into the log with their rate, at most every 10 s.
     */
    protected void committed(Map<String, String> offsets, long rowsCommitted) {
        if (routes.state.FullLoadState.isComplete(offsets)) {
            lifecycle.loaded();
        }
        syncTask.committed(offsets, rowsCommitted - rowsReported);
        rowsReported = rowsCommitted;
        logProgress(rowsCommitted);
    }

    private void logProgress(long rowsCommitted) {
        long now = System.nanoTime();
        if (now - lastProgressNanos >= PROGRESS_EVERY.toNanos()) {
            double seconds = (now - lastProgressNanos) / 1e9;
            LOG.info("Task '{}': {} row changes committed ({} rows/s)", task, rowsCommitted,
                    Math.round((rowsCommitted - rowsAtLastProgress) / seconds));
            rowsAtLastProgress = rowsCommitted;
            lastProgressNanos = now;
        }
    }

    /**
     * Tables created on the source while the task runs that this source cannot capture (PostgreSQL with a filtered
     * publication), which would otherwise be left out silently: looked for every 30 s at most, each with the reason
     * to stop it visibly. {@code synced} are the tables the task writes; the stopped ones it knows too.
     */
    protected Map<TableId, String> tablesTheSourceCannotCapture(SourceDatabase source, Set<TableId> synced) {
        Set<TableId> stopped = lifecycle.stopped();
        long now = System.nanoTime();
        if (source.capturesNewTables() || now - lastNewTableCheckNanos < NEW_TABLE_CHECK_EVERY.toNanos()) {
            return Map.of();
        }
        lastNewTableCheckNanos = now;
        Map<TableId, String> uncaptured = new java.util.LinkedHashMap<>();
        for (routes.schema.TableSchema table : source.tables()) {
            if (table.hasPrimaryKey() && !synced.contains(table.id()) && !stopped.contains(table.id())) {
                uncaptured.put(table.id(), "table " + table.id() + " was created on the source while the task runs, and this source "
                        + "cannot capture it (a filtered publication does not hold it, and its earlier rows would be missed): it is not "
                        + "synced. Use publicationAutocreateMode all_tables, or reload the task to include it.");
            }
        }
        return uncaptured;
    }

    /**
     * Why a target table cannot follow a column just added to {@code table} on the source, whose existing rows took
     * {@code fill} in it: each took a value of its own (a volatile or generated default), which no target can
     * compute, so the table stops with this reason. Null when the target's rows can take the fill.
     */
    protected static String unfillableReason(TableId table, String column, ColumnFill fill) {
        return fill.known() ? null : "column " + column + " was added to " + table + ", and " + fill.unknownWhy() + ": each row the table "
                + "held then took a value the target cannot compute. Reload the task to include the table again (its rows are copied anew)";
    }

    /** Refuses an empty setting with a line naming it. */
    protected static void require(String value, String sink, String name) {
        if (value == null || value.isBlank()) {
            throw new TaskProblem("The " + sink + " setting '" + name + "' is empty: set it in the task.");
        }
    }

    /** A JDBC URL without its parameters, which may hold a password. */
    protected static String withoutParameters(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    public void setTask(String task) {
        this.task = task;
    }

    public void setBatching(AggregateController batching) {
        this.batching = batching;
    }

    public void setInFlight(InFlightChanges inFlight) {
        this.inFlight = inFlight;
    }

    /** The route's step that fills each upserted row's assigned columns ({@link ValueAssignments}), set by {@link SinkRoute}. */
    public void setRowStep(org.apache.camel.Processor rowStep) {
        this.rowStep = rowStep;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
