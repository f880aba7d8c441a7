package routes.sink;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.processor.aggregate.AggregateController;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.capture.SourceDatabase;
import routes.change.ChangeBatch;
import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.TableId;
import routes.ops.CaptureWatchdog;
import routes.ops.TaskHealthCheck;
import routes.ops.TaskProblem;
import routes.ops.TaskStatus;
import routes.ops.TaskStopper;
import routes.schema.TableSchema;
import routes.sink.dialect.SqlDialect;
import routes.sink.dialect.SqlDialects;
import routes.state.FullLoadState;
import routes.state.SyncTasks;
import routes.state.TaskSink;

/**
 * Writes a task's row changes into a JDBC target through its dialect. Batches from the aggregator are applied
 * inside one open target transaction; {@link #commit} (called by the offset store after each captured poll batch)
 * pushes the remaining batches through and commits them together with the source position. So the target always
 * holds a prefix of the source's changes, and the position it holds is exactly where that prefix ends.
 */
public class JdbcMergeWriter implements TaskSink, CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcMergeWriter.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Duration NEW_TABLE_CHECK_EVERY = Duration.ofSeconds(30);

    private String task;
    private String jdbcUrl;
    private String username;
    private String password;
    private String dialect = "auto";
    private String targetSchema;
    private String targetTable;
    private String mode;
    private String identityColumns;
    private String sourceName;
    private long retrySeconds = 1800;
    private String schemaChanges = "";
    private long dirtyRowLimit = 1000;
    private String typeMapping = "";
    private String dmlFilter = "";
    private String assignments = "";
    private AggregateController batching;
    private InFlightChanges inFlight;
    private CamelContext camelContext;

    private SqlDialect sql;
    private TargetSession session;
    private SourceDatabase source;
    private final Map<TableId, MappedTable> tables = new HashMap<>();
    private final Map<TableId, TargetTable> targets = new HashMap<>();
    private TableMapper mapper;
    private final Map<TableId, List<ChangeBatch>> appliedSinceCommit = new HashMap<>();
    private final Set<TableId> reportedWithoutKey = ConcurrentHashMap.newKeySet();
    private volatile boolean failed;
    private CaptureWatchdog watchdog;
    private long rowsApplied;
    private long rowsAtLastProgress;
    private long lastProgressNanos = System.nanoTime();
    private long lastNewTableCheckNanos = System.nanoTime();
    private final Set<TableId> stoppedTables = ConcurrentHashMap.newKeySet();

    /** A target table: its key and the columns it has. */
    private record TargetTable(TableId id, List<String> keyColumns, Set<String> columns) {
    }

    /** Where a source table's rows go, and the identity values (merge mode) they carry there. */
    private record MappedTable(TargetTable target, Map<String, Object> identity) {
    }

    /** Called by Camel once the properties are set. */
    public void start() {
        require(task, "task");
        require(jdbcUrl, "jdbcUrl");
        sql = SqlDialects.forName(dialect, jdbcUrl);
        mapper = new TableMapper(targetTable, mode, identityColumns, targetSchema, sourceName == null || sourceName.isBlank() ? task : sourceName);
        session = new TargetSession(jdbcUrl, username, password, sql, Duration.ofSeconds(retrySeconds));
        TaskStatus.clear(task);
        SyncTasks.register(task, this);
        HealthCheckRegistry registry = camelContext == null ? null : HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.register(new TaskHealthCheck(task));
        }
        if (camelContext != null) {
            watchdog = new CaptureWatchdog(camelContext, task,
                    () -> fail(new IllegalStateException("the capture engine stopped on its own; its error is logged above")));
        }
    }

    /** Called by Camel on shutdown: whatever was not committed is rolled back and will be captured again. */
    public synchronized void stop() {
        SyncTasks.unregister(task, this);
        if (watchdog != null) {
            watchdog.close();
        }
        if (session != null) {
            session.close();
        }
    }

    @Override
    public synchronized Map<String, String> open(SourceDatabase source, boolean fullLoadWanted) throws SQLException {
        try {
            return prepareTask(source, fullLoadWanted);
        } catch (RuntimeException | SQLException e) {
            fail(e);
            throw e;
        }
    }

    private Map<String, String> prepareTask(SourceDatabase source, boolean fullLoadWanted) throws SQLException {
        this.source = source;
        Map<String, String> offsets = readOffsets();
        // Check the source before writing anything to the target.
        source.check(!offsets.isEmpty());
        List<TableSchema> sourceTables = source.tables();
        if (sourceTables.isEmpty()) {
            throw new TaskProblem("No table of " + source.describe() + " matches the task's table selection: check the "
                    + "schema and table lists (regular expressions over schema and schema.table).");
        }
        boolean reload = fullLoadWanted && !FullLoadState.isComplete(offsets);
        session.runOnce(c -> {
            sql.createStateTables(c);
            if (reload) {
                sql.clearSchemaHistory(c, task); // the capture starts over and records the schema again
            }
            prepare(c, sourceTables, reload ? Map.of() : sql.loadTableStatus(c, task), reload);
            sql.forgetTableStatus(c, task, sourceTables.stream().map(TableSchema::id).toList());
        });
        LOG.info("Task '{}': {} tables from {} into {}{}", task, tables.size(), source.describe(), describeTarget(),
                reload ? " (full load starts from empty target tables)" : ", resuming from the position the target holds");
        return offsets;
    }

    private Map<String, String> readOffsets() {
        try {
            Map<String, String> offsets = new LinkedHashMap<>();
            session.runOnce(c -> offsets.putAll(sql.loadOffsets(c, task)));
            return offsets;
        } catch (SQLException e) {
            throw new TaskProblem("Cannot use target " + describeTarget() + ": " + e.getMessage()
                    + ". Check TARGET_JDBC_URL, TARGET_USER and TARGET_PASSWORD.", e);
        }
    }

    /**
     * Creates the target tables the plan needs (emptied for a full load) and remembers where each source goes.
     * {@code previous} holds the statuses of the last run: a table stopped then stays stopped, and a table that
     * appeared since, on a source that cannot capture tables created while the task was away, is stopped too.
     */
    private void prepare(java.sql.Connection c, List<TableSchema> sourceTables, Map<String, String> previous, boolean reload)
            throws SQLException {
        List<TableSchema> keyed = new ArrayList<>();
        for (TableSchema table : sourceTables) {
            String before = previous.get(table.id().toString());
            if ("STOPPED".equals(before)) {
                stoppedTables.add(table.id());
                LOG.warn("Task '{}': table {} stays stopped (see realtime_sync.table_status); reload the task to include it",
                        task, table.id());
            } else if (table.hasPrimaryKey() && before == null && !previous.isEmpty() && !source.capturesNewTables()) {
                stoppedTables.add(table.id());
                String reason = "table " + table.id() + " appeared on the source while the task was stopped, and this source "
                        + "cannot capture its earlier rows (a filtered publication did not hold it): it is not synced. Use "
                        + "publicationAutocreateMode all_tables, or reload the task to include it.";
                LOG.error("Task '{}': {}", task, reason);
                sql.saveTableStatus(c, task, table.id(), "STOPPED", reason);
            } else if (table.hasPrimaryKey()) {
                keyed.add(table);
            } else {
                reportWithoutKey(table.id());
                sql.saveTableStatus(c, task, table.id(), "SKIPPED", withoutKeyReason(table.id()));
            }
        }
        TableMapper.Plan plan = mapper.plan(keyed, source, sql.defaultTargetSchema(c));
        for (TableSchema target : plan.targets().values()) {
            if (targets.containsKey(target.id()) && !mapper.merges()) {
                throw new TaskProblem("Target table " + target.id() + " already receives another source table: in mirror mode "
                        + "each target table has one source table. Change the targetTable rule or use mode merge.");
            }
            if (!targets.containsKey(target.id())) {
                sql.createTableIfMissing(c, target.id(), target);
                if (reload) {
                    sql.truncate(c, target.id());
                }
                targets.put(target.id(), new TargetTable(target.id(), target.primaryKey(), Set.copyOf(sql.columnsOf(c, target.id()))));
            }
        }
        for (TableSchema table : keyed) {
            TableMapper.SourceMapping mapping = plan.sources().get(table.id());
            tables.put(table.id(), new MappedTable(targets.get(mapping.target()), mapping.identity()));
            sql.saveTableStatus(c, task, table.id(), "SYNCING", null);
        }
    }

    /** Applies one batch of one table inside the open transaction. */
    public void write(ChangeBatch batch) {
        try {
            synchronized (this) {
                if (failed || stoppedTables.contains(batch.table())) {
                    return;
                }
                MappedTable target = targetOf(batch.table());
                List<ChangeBatch> applied = appliedSinceCommit.computeIfAbsent(batch.table(), t -> new ArrayList<>());
                apply(target, batch);
                // A batch completed by timeout can reach the aggregator's writing thread after a newer one of the
                // same table completed by size; applying the newer ones again restores the newest state.
                for (ChangeBatch newer : applied) {
                    if (newer.firstSequence() > batch.firstSequence()) {
                        apply(target, newer);
                    }
                }
                applied.add(batch);
                rowsApplied += batch.size();
            }
        } catch (Exception e) {
            fail(e);
        } finally {
            inFlight.applied(batch.size());
        }
    }

    private void apply(MappedTable mapped, ChangeBatch batch) throws SQLException {
        TargetTable target = mapped.target();
        List<Map<String, Object>> deletes = new ArrayList<>();
        Map<Set<String>, List<Map<String, Object>>> upsertsByMissing = new LinkedHashMap<>();
        for (ChangeEvent change : BatchReducer.reduce(batch.events())) {
            if (change.operation() == Operation.DELETE) {
                deletes.add(withIdentity(mapped, change.key()));
            } else {
                for (String column : change.row().keySet()) {
                    if (!target.columns().contains(column)) {
                        throw new TaskProblem("Column '" + column + "' of source table " + batch.table()
                                + " does not exist in target table " + target.id() + "; add it on the target and restart the task.");
                    }
                }
                upsertsByMissing.computeIfAbsent(change.unavailable(), k -> new ArrayList<>()).add(withIdentity(mapped, change.row()));
            }
        }
        session.execute(c -> {
            if (!deletes.isEmpty()) {
                sql.delete(c, target.id(), target.keyColumns(), deletes);
            }
            for (List<Map<String, Object>> rows : upsertsByMissing.values()) {
                // Rows missing unchanged TOAST values update only the columns they carry.
                sql.upsert(c, target.id(), target.keyColumns(), List.copyOf(rows.get(0).keySet()), rows);
            }
        });
    }

    /** The identity columns (merge mode) come first, as in the target's key. */
    private static Map<String, Object> withIdentity(MappedTable mapped, Map<String, Object> values) {
        if (mapped.identity().isEmpty()) {
            return values;
        }
        Map<String, Object> out = new LinkedHashMap<>(mapped.identity());
        out.putAll(values);
        return out;
    }

    private MappedTable targetOf(TableId table) throws SQLException {
        MappedTable target = tables.get(table);
        if (target != null) {
            return target;
        }
        // A table created on the source after the task started: create it on the target now (MySQL-family DDL
        // commits the open transaction: replays after a crash stay harmless, our writes being idempotent).
        for (TableSchema schema : source.tables()) {
            if (schema.id().equals(table)) {
                session.execute(c -> prepare(c, List.of(schema), Map.of(), false));
            }
        }
        target = tables.get(table);
        if (target == null) {
            throw new TaskProblem("Changes arrived for " + table + ", which the task cannot find on the source");
        }
        return target;
    }

    @Override
    public List<String> schemaHistory() {
        List<String> records = new ArrayList<>();
        try {
            synchronized (this) {
                session.query(c -> records.addAll(sql.loadSchemaHistory(c, task)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the schema history of task " + task + ": " + e.getMessage(), e);
        }
        return records;
    }

    @Override
    public synchronized void appendSchemaHistory(String record) throws SQLException {
        ensureRunning();
        session.execute(c -> sql.appendSchemaHistory(c, task, record));
    }

    /** A row of a table without primary key: reported once, never written. */
    public void skipWithoutKey(String table) {
        int dot = table.indexOf('.');
        reportWithoutKey(new TableId(table.substring(0, dot), table.substring(dot + 1)));
    }

    private void reportWithoutKey(TableId table) {
        if (reportedWithoutKey.add(table)) {
            LOG.warn("Task '{}': {}", task, withoutKeyReason(table));
        }
    }

    private static String withoutKeyReason(TableId table) {
        return "table " + table + " has no primary key and is not synced (its updates and deletes could not be applied "
                + "exactly); add one (ALTER TABLE ... ADD PRIMARY KEY) and restart the task to include it";
    }

    @Override
    public void commit(Map<String, String> offsets) throws Exception {
        ensureRunning();
        // Force the aggregator's open groups out, then wait until its writing thread has applied every batch, so
        // that the position saved below covers nothing unwritten.
        // (Camel refuses to force completion while the context is still starting: keep asking until it can.)
        do {
            batching.forceCompletionOfAllGroups();
        } while (!inFlight.awaitNone(200) && !failed);
        synchronized (this) {
            ensureRunning();
            try {
                session.commit(c -> {
                    stopTablesTheSourceCannotCapture(c);
                    sql.saveOffsets(c, task, offsets);
                });
            } catch (SQLException e) {
                fail(e);
                throw e;
            }
            appliedSinceCommit.clear();
            logProgress();
        }
    }

    /**
     * A source that cannot capture tables created while the task runs (PostgreSQL with a filtered publication) would
     * silently leave them out: look for such tables now and then, and stop each visibly, the others going on.
     */
    private void stopTablesTheSourceCannotCapture(java.sql.Connection c) throws SQLException {
        long now = System.nanoTime();
        if (source.capturesNewTables() || now - lastNewTableCheckNanos < NEW_TABLE_CHECK_EVERY.toNanos()) {
            return;
        }
        lastNewTableCheckNanos = now;
        for (TableSchema table : source.tables()) {
            if (table.hasPrimaryKey() && !tables.containsKey(table.id()) && stoppedTables.add(table.id())) {
                String reason = "table " + table.id() + " was created on the source while the task runs, and this source cannot "
                        + "capture it (a filtered publication does not hold it, and its earlier rows would be missed): it is not "
                        + "synced. Use publicationAutocreateMode all_tables, or reload the task to include it.";
                LOG.error("Task '{}': {}", task, reason);
                sql.saveTableStatus(c, task, table.id(), "STOPPED", reason);
            }
        }
    }

    private void ensureRunning() {
        if (failed) {
            throw new IllegalStateException("Task '" + task + "' has stopped: " + TaskStatus.failure(task));
        }
    }

    private void logProgress() {
        long now = System.nanoTime();
        if (now - lastProgressNanos >= PROGRESS_EVERY.toNanos()) {
            double seconds = (now - lastProgressNanos) / 1e9;
            LOG.info("Task '{}': {} row changes committed ({} rows/s)", task, rowsApplied,
                    Math.round((rowsApplied - rowsAtLastProgress) / seconds));
            rowsAtLastProgress = rowsApplied;
            lastProgressNanos = now;
        }
    }

    @Override
    public void captureStopped() {
        if (failed || camelContext == null || camelContext.isStopping() || camelContext.isStopped()) {
            return;
        }
        for (Route route : camelContext.getRoutes()) {
            if (TaskStopper.isCaptureOf(route, task) && ServiceHelper.isStarted(route.getConsumer())) {
                fail(new IllegalStateException("the capture engine stopped on its own; its error is logged above"));
                return;
            }
        }
    }

    private synchronized void fail(Throwable error) {
        if (failed) {
            return;
        }
        failed = true;
        session.close();
        TaskStatus.fail(task, reasonOf(error));
        TaskStopper.stopCapture(camelContext, task);
    }

    private static String reasonOf(Throwable error) {
        if (error instanceof TaskProblem) {
            return error.getMessage();
        }
        StringBuilder reason = new StringBuilder(error.getClass().getSimpleName() + ": " + error.getMessage());
        if (error instanceof SQLException sql && sql.getNextException() != null) {
            reason.append(" (").append(sql.getNextException().getMessage()).append(')');
        }
        return reason.toString();
    }

    private String describeTarget() {
        // The URL without its parameters, which may hold a password.
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new TaskProblem("The jdbc-merge-sink setting '" + name + "' is empty: set it in the task.");
        }
    }

    public void setTask(String task) {
        this.task = task;
    }

    public void setJdbcUrl(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public void setDialect(String dialect) {
        this.dialect = dialect;
    }

    public void setTargetSchema(String targetSchema) {
        this.targetSchema = targetSchema;
    }

    public void setTargetTable(String targetTable) {
        this.targetTable = targetTable;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public void setIdentityColumns(String identityColumns) {
        this.identityColumns = identityColumns;
    }

    public void setSourceName(String sourceName) {
        this.sourceName = sourceName;
    }

    public void setRetrySeconds(long retrySeconds) {
        this.retrySeconds = retrySeconds;
    }

    public void setSchemaChanges(String schemaChanges) {
        this.schemaChanges = schemaChanges;
    }

    public void setDirtyRowLimit(long dirtyRowLimit) {
        this.dirtyRowLimit = dirtyRowLimit;
    }

    public void setTypeMapping(String typeMapping) {
        this.typeMapping = typeMapping;
    }

    public void setDmlFilter(String dmlFilter) {
        this.dmlFilter = dmlFilter;
    }

    public void setAssignments(String assignments) {
        this.assignments = assignments;
    }

    public void setBatching(AggregateController batching) {
        this.batching = batching;
    }

    public void setInFlight(InFlightChanges inFlight) {
        this.inFlight = inFlight;
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
