package routes.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.capture.SourceDatabase;
import routes.change.ChangeBatch;
import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.SourcePosition;
import routes.change.TableId;
import routes.ops.TaskProblem;
import routes.schema.Column;
import routes.schema.ColumnFill;
import routes.schema.TableSchema;
import routes.schema.TypeSystem;
import routes.sink.dialect.SqlDialect;
import routes.sink.dialect.SqlDialects;
import routes.fullload.ChunkSource;
import routes.fullload.ChunkedFullLoad;
import routes.fullload.MySqlChunkInsert;
import routes.fullload.PostgresChunkCopy;
import routes.sink.dialect.DuckDbDialect;
import routes.sink.dialect.MariaDbDialect;
import routes.sink.dialect.PostgresDialect;
import routes.state.FullLoadLedger;
import routes.state.FullLoadState;
import routes.state.SavedDefinition;
import routes.state.TableOperationRefused;
import routes.state.TableState;

/**
 * What the JDBC targets share: a task's row changes written into a JDBC target through its dialect. Batches from the
 * aggregator are applied inside one open target transaction; {@link #commit} (called by the offset store after each
 * captured poll batch) pushes the remaining batches through and commits them together with the source position. So
 * the target always holds a prefix of the source's changes, and the position it holds is exactly where that prefix
 * ends. {@link JdbcMergeWriter} writes each source row's newest state, {@link AppendLogWriter} appends every change.
 */
public abstract class JdbcWriter extends JdbcStateWriter {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcWriter.class);

    private String jdbcUrl;
    private String username;
    private String password;
    private String dialect = "auto";
    private String targetSchema;
    private String targetTable;
    String mode;
    String identityColumns;
    String sourceName;
    private long retrySeconds = 1800;
    private String schemaChanges = "";
    private long dirtyRowLimit = 1000;
    private String typeMapping = "";
    private String writeStatement = "upsert";
    String assignments = "";

    SqlDialect sql;
    TargetSession session;
    SourceDatabase source;
    /** Each table's mapping as its target rows reflect it ({@link #mappingOf}, as saved with its definition). */
    private final Map<TableId, String> reflectedMappings = new ConcurrentHashMap<>();
    /** Concurrent, as the operator API reads it ({@link #columnMapping}) without the writer's lock. */
    final Map<TableId, MappedTable> tables = new ConcurrentHashMap<>();
    final Map<TableId, TargetTable> targets = new HashMap<>();
    TableMapper mapper;
    private RejectedRowIsolation<ChangeEvent> isolation;
    private HeldChanges held;
    private TableOperations operations;
    /** Refuses the commits of a deposed leader (tasks run under leader election). */
    private LeaderFence fence;
    private Map<String, Reload> runningReloads = Map.of();
    private static final String STOPPED_BEFORE = "stopped in an earlier run (the reason is in realtime_sync.table_status); resync it";
    private static final String DESELECTED_REASON = "left the task's selection (its include or exclude lists, or it is gone from "
            + "the source): its target table keeps its rows and gets no more changes; add it back to sync it again (it is then loaded anew)";

    /** The task's chunked full load while it runs (an operator may prioritize or cancel its tables). */
    private volatile ChunkedFullLoad runningLoad;
    /** Each target table's shape as created, for its resync's staging table. */
    private final Map<TableId, TableSchema> targetShapes = new ConcurrentHashMap<>();
    /** Each synced source table's definition as the target reflects it; schema changes are diffed against it. */
    final Map<TableId, TableSchema> sourceSchemas = new ConcurrentHashMap<>();
    private Optional<String> defaultTargetSchema = Optional.empty();
    /** The columns the source renames, as it tells them. */
    private final ColumnRenames columnRenames = new ColumnRenames();

    /**
     * A target table: its key, the columns it has, and the source columns it leaves out (a schema change the
     * policy did not apply: their values are not written).
     */
    record TargetTable(TableId id, List<String> keyColumns, Set<String> columns, Set<String> leftOut) {

        TargetTable(TableId id, List<String> keyColumns, List<String> columns) {
            this(id, keyColumns, newSet(columns), newSet(List.of()));
        }

        private static Set<String> newSet(List<String> values) {
            Set<String> set = ConcurrentHashMap.newKeySet();
            set.addAll(values);
            return set;
        }
    }

    /** Where a source table's rows go, and the identity values (merge mode) they carry there. */
    record MappedTable(TargetTable target, Map<String, Object> identity) {
    }

    /**
     * Each source column with the target column and the type this dialect creates it with (typeMapping included; a
     * PostgreSQL target makes a type it lacks text), then the columns only the target table has (identity, assigned).
     */
    @Override
    public List<routes.state.ColumnMapping> columnMapping(TableId table) {
        MappedTable mapped = tables.get(table);
        TableSchema source = sourceSchemas.get(table);
        if (mapped == null || mapped.target() == null || source == null) {
            return null;
        }
        TargetTable target = mapped.target();
        List<routes.state.ColumnMapping> columns = new ArrayList<>();
        for (Column column : source.columns()) {
            boolean written = target.columns().contains(column.name()) && !target.leftOut().contains(column.name());
            columns.add(new routes.state.ColumnMapping(column.name(), column.sourceType(), written ? column.name() : null,
                    written ? sql.targetType(column, source.typeSystem()) : null));
        }
        // In the order the table was created in, then any the target has besides (by name).
        TableSchema shape = targetShapes.get(target.id());
        List<String> targetOnly = new ArrayList<>(shape == null ? List.of() : shape.columnNames());
        target.columns().stream().sorted().filter(name -> !targetOnly.contains(name)).forEach(targetOnly::add);
        for (String name : targetOnly) {
            if (source.column(name).isEmpty() && target.columns().contains(name)) {
                Optional<Column> created = shape == null ? Optional.empty() : shape.column(name);
                columns.add(new routes.state.ColumnMapping(null, null, name,
                        created.map(c -> sql.targetType(c, shape.typeSystem())).orElse(null)));
            }
        }
        return columns;
    }

    /** Called by Camel once the properties are set. */
    public void start() {
        require(task, "jdbc-merge-sink", "task");
        require(jdbcUrl, "jdbc-merge-sink", "jdbcUrl");
        sql = SqlDialects.forName(dialect, jdbcUrl, typeMapping, writeStatement);
        // The values themselves are filled in by the route (ValueAssignments); the writer only creates the columns.
        mapper = new TableMapper(targetTable, mode, identityColumns, targetSchema, sourceName == null || sourceName.isBlank() ? task : sourceName,
                ValueAssignments.columns(assignments));
        session = new TargetSession(jdbcUrl, username, password, sql, Duration.ofSeconds(retrySeconds));
        decisions = schemaChangeDecisions(new SchemaChangePolicies(schemaChanges));
        dirtyRows = new DirtyRowStore(task, sql, dirtyRowLimit, (table, reason) -> reportRowRefused(table, reason, null),
                deadLetters());
        isolation = new RejectedRowIsolation<>(sql);
        held = new HeldChanges(task);
        operations = new TableOperations(task);
        fence = new LeaderFence(task, sql);
        register();
    }

    /** Called by Camel on shutdown: whatever was not committed is rolled back and will be captured again. */
    public synchronized void stop() {
        unregister();
        if (session != null) {
            session.close();
        }
    }

    @Override
    protected TargetSession stateSession() {
        return session;
    }

    @Override
    protected SqlDialect stateDialect() {
        return sql;
    }

    @Override
    protected void closeTarget() {
        session.close();
    }

    @Override
    protected Map<String, String> prepareTask(SourceDatabase source, boolean fullLoadWanted) throws Exception {
        this.source = source;
        if (syncTask.isLeaderElected()) {
            takeLead(); // before reading the position: a deposed leader's later commits are refused from now on
        }
        Map<String, String> offsets = readOffsets();
        // Check the source before writing anything to the target.
        source.check(!offsets.isEmpty());
        List<TableSchema> sourceTables = source.tables();
        if (sourceTables.isEmpty()) {
            throw new TaskProblem("No table of " + source.describe() + " matches the task's table selection: check the "
                    + "schema and table lists (regular expressions over schema and schema.table).");
        }
        boolean reload = fullLoadWanted && !FullLoadState.isComplete(offsets);
        columnRenames.knowIds(source.columnIds());
        Optional<ChunkSource> chunkSource = reload ? source.chunkSource() : Optional.empty();
        Optional<ChunkedFullLoad> chunked = chunkSource.map(this::chunkedLoad);
        boolean[] resuming = {false};
        session.runOnce(c -> {
            sql.createStateTables(c);
            dirtyRows.open(c);
            if (reload) {
                sql.clearSchemaHistory(c, task); // the capture starts over and records the schema again
                held.forgetAll(c); // every table is loaded anew: changes held for a paused table are in its new rows
                operations.forgetAll(c);
            }
            boolean planned = chunked.isPresent() && chunked.get().resumable(c, sourceTables);
            resuming[0] = planned && unchangedSincePlanned(c, sourceTables);
            if (planned && !resuming[0]) {
                chunked.get().finish(c); // the chunks copied no longer match the tables: the load starts over
            }
            Map<String, String> statuses = sql.loadTableStatus(c, task);
            prepare(c, sourceTables, reload ? Map.of() : statuses, offsets, reload, reload && !resuming[0]);
            leftTheSelection(c, statuses, sourceTables);
        });
        boolean straight = chunked.isPresent() && copiesStraight(chunkSource.get());
        if (resuming[0] && !straight) {
            // The task no longer copies chunks (its settings changed): the snapshot loads every table, so the rows copied
            // before must go, or rows deleted on the source since would stay.
            session.runOnce(c -> {
                emptyForFullLoad(c);
                chunked.get().finish(c);
            });
            resuming[0] = false;
        }
        source.prepareCapture(sourceTables.stream().filter(t -> tables.containsKey(t.id())).toList());
        LOG.info("Task '{}': {} tables from {} into {}{}", task, tables.size(), source.describe(), withoutParameters(jdbcUrl),
                !reload ? ", resuming from the position the target holds"
                        : resuming[0] ? " (the full load goes on where it stopped)" : " (full load starts from empty target tables)");
        if (straight) {
            runningLoad = chunked.get();
            routes.fullload.Watermark start;
            try {
                start = chunked.get().run(destinations());
            } finally {
                runningLoad = null;
            }
            for (TableId cancelled : chunked.get().cancelled()) {
                lifecycle.stop(cancelled, CANCELLED_REASON); // recorded STOPPED when cancelled
            }
            session.runOnce(c -> {
                sql.saveOffsets(c, task, start.offsets());
                for (String record : start.schemaHistory()) {
                    sql.appendSchemaHistory(c, task, record);
                }
                chunked.get().finish(c);
            });
            return start.offsets();
        }
        return offsets;
    }

    /**
     * Whether every table has the structure it had when the stopped full load was planned (the definitions saved then):
     * chunks copied before a change no longer match the table, so a changed, new or unkeyed-turned-keyed table makes the
     * load start over.
     */
    private boolean unchangedSincePlanned(java.sql.Connection c, List<TableSchema> sourceTables) throws SQLException {
        Map<String, String> saved = sql.loadTableDefinitions(c, task);
        for (TableSchema table : sourceTables) {
            String definition = saved.get(table.id().toString());
            TableSchema planned = definition == null ? null : SavedDefinition.parse(table.id(), definition).table();
            if (table.hasPrimaryKey() && (planned == null || !planned.columns().equals(table.columns())
                    || !planned.primaryKey().equals(table.primaryKey()))) {
                LOG.warn("Task '{}': table {} is new or changed its structure since the stopped full load began: the full load "
                        + "starts again from empty target tables", task, table.id());
                return false;
            }
        }
        return true;
    }

    /** Empties the target tables a full load fills (a target whose sources all skip the full load keeps its rows). */
    private void emptyForFullLoad(java.sql.Connection c) throws SQLException {
        for (Map.Entry<TableId, MappedTable> e : tables.entrySet()) {
            if (!source.skipsFullLoad(e.getKey())) {
                sql.truncate(c, e.getValue().target().id());
            }
        }
    }

    /**
     * Whether the full load may copy the source's rows as they are into the target, each target table a mirror of one
     * source table with the same columns: into PostgreSQL from any source that reads in chunks (as COPY text), into a
     * MySQL-family target where the source reads the tables' rows for it (with typeMapping only where it reads the
     * capture's values, which the target's columns take whatever their type); otherwise it goes through the capture
     * engine's snapshot and this writer. A task writing with MERGE targets tables that may take nothing else.
     */
    private boolean copiesStraight(ChunkSource chunks) throws SQLException {
        return copiesStraight(chunks, Map.of(), false);
    }

    /**
     * {@link #copiesStraight}, for a reload: the tables of {@code rebuilt} (a stopped table about to be rebuilt, with the
     * source's current definition) and those being rebuilt are mirrors by construction, and a DuckDB target takes the
     * rows too when the source hands them over as the capture does.
     */
    private boolean copiesStraight(ChunkSource chunks, Map<TableId, TableSchema> rebuilt, boolean reload) throws SQLException {
        boolean mirrors = !"merge".equals(writeStatement) && !keepsHistory() && assignments.isBlank()
                && tables.entrySet().stream().filter(e -> !rebuilt.containsKey(e.getKey()) && !rebuilding(e.getKey()))
                        .allMatch(e -> e.getValue().identity().isEmpty()
                        && e.getValue().target().leftOut().isEmpty()
                        && e.getValue().target().columns().containsAll(sourceSchemas.get(e.getKey()).columnNames()));
        boolean sourceTypes = typeMapping.isBlank();
        List<TableSchema> read = new ArrayList<>(rebuilt.values());
        destinations().forEach(d -> read.add(d.source()));
        return mirrors && (sql instanceof PostgresDialect ? sourceTypes
                : sql instanceof MariaDbDialect ? (sourceTypes || chunks.readsCaptureValues()) && chunks.readsRowsOf(read)
                : reload && sql instanceof DuckDbDialect && chunks.readsCaptureValues() && chunks.readsRowsOf(read));
    }

    /**
     * Whether a reload may pass the table's chunk rows through this writer's row mapping (typeMapping, assigned values,
     * identity columns) into its staging table ({@link ChunkRowsAsChanges}), so that they are the rows the change stream
     * writes: where the source reads them as the capture hands them over, or as the server's own text into a
     * MySQL-family target whose columns have the source's types.
     */
    private boolean copiesThroughWriter(ChunkSource chunks, TableSchema table) throws SQLException {
        return chunks.readsRowsOf(List.of(table)) && (chunks.readsCaptureValues() || sql instanceof MariaDbDialect && typeMapping.isBlank());
    }

    /** Why this writer cannot run such a reload of a table at all; null when it can. */
    String reloadRefused(Reload reload) {
        return null;
    }

    /** Whether a resync rebuilds the table with the source's current structure ({@link Reload#rebuildWithNewStructure}). */
    private boolean rebuilding(TableId table) {
        Reload reload = reloads.of(table);
        return reload != null && reload.rebuild();
    }

    private List<ChunkedFullLoad.Destination> destinations() {
        return tables.entrySet().stream().filter(e -> !lifecycle.isStopped(e.getKey()))
                .map(e -> new ChunkedFullLoad.Destination(sourceSchemas.get(e.getKey()), e.getValue().target().id())).toList();
    }

    /** A row the chunked full load read but the target cannot hold, kept with the task's dirty rows. */
    private void storeRefusedRow(java.sql.Connection c, ChunkedFullLoad.Destination destination, Map<String, Object> row, String reason,
            long sequence) throws SQLException {
        ChangeEvent change = ChunkRowsAsChanges.fullLoadRow(destination.source(), row, sequence);
        dirtyRows.store(c, destination.source().id(), destination.target(), change, new SQLException(reason, "22021"));
    }

    /** The chunked full load from {@code chunks} into this target (also a resync's copy). */
    private ChunkedFullLoad chunkedLoad(ChunkSource chunks) {
        return chunkedLoad(chunks, sql instanceof PostgresDialect ? PostgresChunkCopy::new
                : () -> new MySqlChunkInsert(SqlDialects.forName(dialect, jdbcUrl, typeMapping, writeStatement)));
    }

    private ChunkedFullLoad chunkedLoad(ChunkSource chunks, java.util.function.Supplier<routes.fullload.ChunkWriter> writers) {
        return new ChunkedFullLoad(syncTask, chunks, this::openTargetConnection, this::storeRefusedRow, writers);
    }

    private java.sql.Connection openTargetConnection() throws SQLException {
        java.sql.Connection c = TargetConnections.open(jdbcUrl, TargetSession.credentials(username, password));
        c.setAutoCommit(false);
        return c;
    }

    private void takeLead() {
        try {
            session.runOnce(fence::takeLead);
        } catch (SQLException e) {
            throw unusableTarget(e);
        }
    }

    private Map<String, String> readOffsets() {
        try {
            Map<String, String> offsets = new LinkedHashMap<>();
            session.runOnce(c -> offsets.putAll(sql.loadOffsets(c, task)));
            return offsets;
        } catch (SQLException e) {
            throw unusableTarget(e);
        }
    }

    private TaskProblem unusableTarget(SQLException e) {
        return new TaskProblem("Cannot use target " + withoutParameters(jdbcUrl) + ": " + e.getMessage().replaceFirst("\\.$", "")
                + ". Check TARGET_JDBC_URL, TARGET_USER and TARGET_PASSWORD.", e);
    }

    /** The target reachable and writable (on a connection of its own, writing nothing), then the source. */
    @Override
    public List<TaskProblem> preflight(SourceDatabase source) {
        List<TaskProblem> problems = new ArrayList<>();
        boolean resuming = false;
        TargetPreflight target = new TargetPreflight(jdbcUrl, withoutParameters(jdbcUrl), username);
        problems.addAll(target.withoutConnecting());
        if (problems.isEmpty() && target.exists()) {
            try (java.sql.Connection c = TargetConnections.open(jdbcUrl, TargetSession.credentials(username, password))) {
                problems.addAll(target.writeProblems(c, sql));
                resuming = !sql.loadOffsets(c, task).isEmpty();
            } catch (SQLException e) {
                problems.add(unusableTarget(e));
            }
        }
        problems.addAll(source.problems(resuming));
        return problems;
    }

    @Override
    public String describeTarget() {
        return withoutParameters(jdbcUrl);
    }

    /**
     * Creates the target tables the plan needs (emptied for a full load) and remembers where each source goes.
     * {@code previous} holds the statuses of the last run: a table stopped then stays stopped, a table new to the task
     * (or back in its selection) is loaded by a resync, and one whose mapping changed since its rows were written stops.
     */
    private void prepare(java.sql.Connection c, List<TableSchema> sourceTables, Map<String, String> previous,
            Map<String, String> offsets, boolean reload, boolean emptyTargets) throws SQLException {
        List<TableSchema> keyed = new ArrayList<>();
        Set<TableId> newToTheTask = new java.util.HashSet<>();
        runningReloads = operations.load(c);
        for (TableSchema table : sourceTables) {
            String before = previous.get(table.id().toString());
            if (TableState.STOPPED.name().equals(before) && !table.hasPrimaryKey()) {
                lifecycle.stop(table.id(), STOPPED_BEFORE);
                reportTable(table.id(), TableState.STOPPED, STOPPED_BEFORE);
            } else if (TableState.STOPPED.name().equals(before)) {
                keyed.add(table); // mapped, so that a resync can load it again; its changes are not applied
            } else if (table.hasPrimaryKey() && isNewToTheTask(before, previous)) {
                keyed.add(table);
                newToTheTask.add(table.id());
            } else if (table.hasPrimaryKey()) {
                keyed.add(table);
            } else {
                reportWithoutKey(table.id());
                sql.saveTableStatus(c, task, table.id(), TableState.SKIPPED, withoutKeyReason(table.id()));
            }
        }
        // The capture must know every table new to the task (a keyless one too, or its first change stops the capture).
        List<TableId> added = sourceTables.stream().map(TableSchema::id).filter(id -> isNewToTheTask(previous.get(id.toString()), previous))
                .toList();
        List<String> history = added.isEmpty() ? List.of() : source.historyOfAddedTables(added, offsets, sql.loadSchemaHistory(c, task));
        for (String record : history) {
            sql.appendSchemaHistory(c, task, record);
        }
        defaultTargetSchema = sql.defaultTargetSchema(c);
        TableMapper.Plan plan = mapper.plan(keyed, source, defaultTargetSchema);
        // What each target reflects, saved with it: the source's catalog may already be past the held position.
        Map<String, String> saved = reload ? Map.of() : sql.loadTableDefinitions(c, task);
        for (TableSchema target : plan.targets().values()) {
            if (!mapper.merges() && receivesAnotherSource(target.id(), plan)) {
                throw new TaskProblem("Target table " + target.id() + " already receives another source table: in mirror mode "
                        + "each target table has one source table. Change the targetTable rule or use mode merge.");
            }
            if (!targets.containsKey(target.id())) {
                TableSchema shape = shapeOf(target);
                targetShapes.put(target.id(), shape);
                sql.createTableIfMissing(c, target.id(), shape);
                if (emptyTargets && !skipsFullLoad(plan, target.id())) {
                    sql.truncate(c, target.id());
                }
                TargetTable created = new TargetTable(target.id(), shape.primaryKey(), sql.columnsOf(c, target.id()));
                if (plan.sources().entrySet().stream().noneMatch(e -> e.getValue().target().equals(target.id())
                        && saved.containsKey(e.getKey().toString()))) {
                    addColumnsAddedWhileAway(c, created, target);
                }
                targets.put(target.id(), created);
                tableOpened(c, target.id());
            }
        }
        for (TableSchema table : keyed) {
            TableMapper.SourceMapping mapping = plan.sources().get(table.id());
            String definition = saved.get(table.id().toString());
            tables.put(table.id(), new MappedTable(targets.get(mapping.target()), mapping.identity()));
            String mappedBefore = null;
            if (definition != null) {
                SavedDefinition reflected = SavedDefinition.parse(table.id(), definition);
                sourceSchemas.put(table.id(), reflected.table());
                columnRenames.knowIds(table.id(), reflected.columnIds());
                mappedBefore = reflected.mapping();
                if (mappedBefore != null) {
                    reflectedMappings.put(table.id(), mappedBefore);
                } else {
                    saveDefinition(c, table.id()); // saved before mappings were fingerprinted: this one is the reference
                }
            } else {
                sourceSchemas.put(table.id(), table);
                saveDefinition(c, table.id());
            }
            lifecycle.start(table.id(), reload && !source.skipsFullLoad(table.id()));
            if (TableState.STOPPED.name().equals(previous.get(table.id().toString()))) {
                lifecycle.stop(table.id(), STOPPED_BEFORE);
                LOG.warn("Task '{}': table {} stays stopped (see realtime_sync.table_status); resync it to sync it again",
                        task, table.id());
                reportTable(table.id(), TableState.STOPPED, STOPPED_BEFORE);
                continue;
            }
            Reload running = reload ? null : runningReloads.get(table.id().toString());
            if (running != null) {
                // A resync or backfill an earlier run started: its changes are held, its copy goes on where it stopped.
                lifecycle.resync(table.id());
                reloads.requested(table.id(), running);
                reportTable(table.id(), running.state(), running.reason());
                continue;
            }
            if (newToTheTask.contains(table.id())) {
                loadNewToTheTask(c, table.id());
                continue;
            }
            if (mappedBefore != null && !mappedBefore.equals(mappingOf(table.id()))) {
                // Its rows were written with another mapping: new changes in the new shape would mix with them.
                TableId into = targets.get(mapping.target()).id();
                String reason = "its mapping (target table, typeMapping or assignments) changed since its rows were written, now into "
                        + into + ": resync it (POST /api/tasks/" + task + "/tables/" + table.id() + "/resync) to rebuild "
                        + into + " with the new mapping (its column types and assigned columns)";
                lifecycle.stop(table.id(), reason);
                LOG.warn("Task '{}': table {} is stopped: {}", task, table.id(), reason);
                sql.saveTableStatus(c, task, table.id(), TableState.STOPPED, reason);
                reportTable(table.id(), TableState.STOPPED, reason);
                continue;
            }
            if (TableState.PAUSED.name().equals(previous.get(table.id().toString()))) {
                // Paused in an earlier run: its held changes are in the target, committed with the offsets past them.
                lifecycle.pause(table.id());
                reportTable(table.id(), TableState.PAUSED, PAUSED_REASON);
                LOG.info("Task '{}': table {} stays paused ({} changes held); resume it to apply them", task, table.id(),
                        held.count(c, table.id()));
                continue;
            }
            sql.saveTableStatus(c, task, table.id(), TableState.SYNCING, null);
            reportTable(table.id(), TableState.SYNCING, null);
        }
    }

    /** A table the task did not sync in its last run: new to its selection, or back in it ({@link TableState#DESELECTED}). */
    private static boolean isNewToTheTask(String before, Map<String, String> previous) {
        return !previous.isEmpty() && (before == null || TableState.DESELECTED.name().equals(before));
    }

    /**
     * Tables the task synced before that its selection no longer holds: their target tables stay as they are, their
     * status says why they get no more changes, and the log says so once, when they leave. Statuses of tables dropped
     * or renamed on the source go.
     */
    private void leftTheSelection(java.sql.Connection c, Map<String, String> statuses, List<TableSchema> sourceTables) throws SQLException {
        Set<String> selected = new java.util.HashSet<>();
        sourceTables.forEach(t -> selected.add(t.id().toString()));
        List<TableId> kept = new ArrayList<>(sourceTables.stream().map(TableSchema::id).toList());
        for (Map.Entry<String, String> status : statuses.entrySet()) {
            if (selected.contains(status.getKey()) || status.getValue().equals(TableState.DROPPED.name())
                    || status.getValue().equals(TableState.RENAMED.name())) {
                continue;
            }
            TableId table = TableId.ofStateName(status.getKey());
            kept.add(table);
            if (!status.getValue().equals(TableState.DESELECTED.name())) {
                LOG.warn("Task '{}': table {} {}", task, table, DESELECTED_REASON);
                sql.saveTableStatus(c, task, table, TableState.DESELECTED, DESELECTED_REASON);
            }
            reportTable(table, TableState.DESELECTED, DESELECTED_REASON);
        }
        sql.forgetTableStatus(c, task, kept);
    }

    /**
     * A table the task has not synced before, met at a restart (added to the task's selection, or created on the source
     * while the task was away): its rows are copied by a resync while its changes stream ({@link Reload}), recorded in
     * this transaction; the other tables go on from their positions. A task that cannot copy in chunks stops the table.
     */
    private void loadNewToTheTask(java.sql.Connection c, TableId table) throws SQLException {
        Reload load = Reload.resync(true);
        try {
            reloadable(table, load);
        } catch (TableOperationRefused refused) {
            String reason = "table " + table + " is new to the task since its last run, and " + refused.getMessage()
                    + "; reload the task to include it";
            lifecycle.stop(table, reason);
            LOG.error("Task '{}': {}", task, reason);
            sql.saveTableStatus(c, task, table, TableState.STOPPED, reason);
            reportTable(table, TableState.STOPPED, reason);
            return;
        }
        operations.save(c, table, load);
        sql.saveTableStatus(c, task, table, load.state(), load.reason());
        lifecycle.resync(table);
        reloads.requested(table, load);
        reportTable(table, load.state(), load.reason());
        LOG.info("Task '{}': table {} is new to the task since its last run: its rows are copied while its changes stream",
                task, table);
    }

    /**
     * Whether a source table outside {@code plan} already writes to {@code target}. The plan's own tables may be there
     * already: the capture engine started again on this writer (a task stopped and started in its process).
     */
    private boolean receivesAnotherSource(TableId target, TableMapper.Plan plan) {
        return tables.entrySet().stream().anyMatch(e -> e.getValue().target().id().equals(target)
                && !plan.sources().containsKey(e.getKey()));
    }

    /** A target whose source tables all skip the full load keeps its rows (they were loaded some other way). */
    private boolean skipsFullLoad(TableMapper.Plan plan, TableId target) {
        return plan.sources().entrySet().stream().filter(e -> e.getValue().target().equals(target))
                .allMatch(e -> source.skipsFullLoad(e.getKey()));
    }

    /** Applies the batches of one table inside the open transaction. */
    @Override
    protected boolean applyBatch(ChangeBatch batch, List<ChangeBatch> inOrder) throws Exception {
        MappedTable target = targetOf(batch.table());
        if (target == null) {
            return false;
        }
        for (ChangeBatch each : inOrder) {
            apply(target, each);
        }
        return true;
    }

    /**
     * Writes a batch's last change per key; rows the target refuses are isolated and kept as dirty rows while the
     * rest of the batch is written.
     */
    private void apply(MappedTable mapped, ChangeBatch batch) throws SQLException {
        session.execute(c -> applyOn(c, mapped, batch));
    }

    private void applyOn(java.sql.Connection c, MappedTable mapped, ChangeBatch batch) throws SQLException {
        applyOn(c, sql, mapped, batch);
    }

    /** {@code dialect}: the writer's own, or one of a reload's copy workers (a dialect keeps per-connection state). */
    private void applyOn(java.sql.Connection c, SqlDialect dialect, MappedTable mapped, ChangeBatch batch) throws SQLException {
        List<ChangeEvent> changes = rowsOf(batch);
        TableId targetId = mapped.target().id();
        RejectedRowIsolation<ChangeEvent> isolating = dialect == sql ? isolation : new RejectedRowIsolation<>(dialect);
        isolating.write(c, changes, (connection, part) -> writeChanges(connection, dialect, mapped, batch.table(), part),
                (connection, change, error) -> dirtyRows.store(connection, batch.table(), targetId, change, error));
    }

    @Override
    protected boolean holdsChanges() {
        return true;
    }

    @Override
    protected String targetKind() {
        return "JDBC";
    }

    @Override
    protected void holdBatches(TableId table, List<ChangeBatch> inOrder) throws SQLException {
        List<ChangeEvent> changes = new ArrayList<>();
        inOrder.forEach(batch -> changes.addAll(batch.events()));
        session.execute(c -> held.hold(c, table, changes));
    }

    /** Held changes are applied this many at a time, each group as one batch (its last change per key). */
    private static final int HELD_READ = 5_000;

    @Override
    protected long applyHeld(TableId table) throws SQLException {
        MappedTable mapped = tables.get(table);
        long[] applied = {0};
        session.execute(c -> applied[0] = applyHeldOn(c, table, mapped));
        return applied[0];
    }

    /** Applies the table's held changes in source order onto {@code mapped} (its table or its staging table) and forgets them. */
    private long applyHeldOn(java.sql.Connection c, TableId table, MappedTable mapped) throws SQLException {
        long applied = 0;
        long after = 0;
        List<HeldChanges.Held> group;
        while (!(group = held.read(c, table, after, HELD_READ)).isEmpty()) {
            ChangeBatch batch = new ChangeBatch(table);
            group.forEach(h -> batch.add(h.change()));
            if (mapped != null) {
                applyOn(c, mapped, batch);
            }
            after = group.get(group.size() - 1).seq();
            applied += group.size();
        }
        held.forget(c, table);
        return applied;
    }

    @Override
    protected Reload reloadable(TableId table, Reload reload) throws TableOperationRefused {
        String refused = reloadRefused(reload);
        if (refused != null) {
            throw new TableOperationRefused("cannot " + reload.name() + " " + table + ": " + refused);
        }
        if (!tables.containsKey(table)) {
            throw new TableOperationRefused("table " + table + " has no target table in this task");
        }
        Optional<ChunkSource> chunks = Optional.empty();
        try {
            TableSchema changed = lifecycle.isStopped(table) ? changedStructure(table).orElse(null) : null;
            // A changed mapping (typeMapping, assignments) may need new column types or columns: the table is rebuilt.
            boolean remapped = lifecycle.isStopped(table) && remapped(table);
            if (remapped && reload.isBackfill()) {
                throw new TableOperationRefused("cannot backfill " + table + ": its mapping changed since its rows were written; "
                        + "resync it to load it with the new mapping");
            }
            chunks = source.chunkSource();
            if (chunks.isEmpty() || !(copiesStraight(chunks.get(), changed == null ? Map.of() : Map.of(table, changed), true)
                    || copiesThroughWriter(chunks.get(), changed == null ? sourceSchemas.get(table) : changed))) {
                throw new TableOperationRefused("this task cannot copy table " + table + " in chunks (a " + reload.name()
                        + " reads it in chunks: from PostgreSQL into any JDBC target, from MariaDB/MySQL into MariaDB/MySQL "
                        + "without typeMapping, or as the chunked full load copies; see docs/table-operations.md)");
            }
            if (reload.isBackfill()) {
                chunks.get().checkFilter(sourceSchemas.get(table), reload.where());
            }
            return changed == null && !remapped ? reload : Reload.rebuildWithNewStructure();
        } catch (SQLException e) {
            throw new TableOperationRefused("cannot " + reload.name() + " " + table + ": " + e.getMessage());
        } finally {
            chunks.ifPresent(ChunkSource::close);
        }
    }

    /**
     * The source's current definition of a table, when its columns or key differ from what the target reflects (it was
     * stopped by a change the target could not follow): a resync rebuilds the table with it.
     */
    private Optional<TableSchema> changedStructure(TableId table) {
        TableSchema known = sourceSchemas.get(table);
        return sourceTable(table).filter(current -> current.hasPrimaryKey() && (known == null
                || !current.columns().equals(known.columns()) || !current.primaryKey().equals(known.primaryKey())));
    }

    @Override
    protected void reloadRequested(TableId table, Reload reload) throws SQLException {
        if (reload.rebuild()) {
            // From here on the table's rows are read, held and watched against the source's current structure.
            // (A table dropped on the source meanwhile keeps its definition: its copy fails, and says so.)
            sourceTable(table).ifPresent(current -> sourceSchemas.put(table, current));
            Map<String, Integer> ids = source.columnIds().get(table);
            if (ids != null) {
                columnRenames.knowIds(table, ids);
            }
        }
        session.execute(c -> {
            operations.save(c, table, reload);
            if (reload.rebuild()) {
                saveDefinition(c, table);
            }
        });
    }

    /** The shape a table rebuilt by a resync takes: the source's current definition, mapped as a new table's would be. */
    private TableSchema rebuiltShape(TableId table) {
        TableMapper.Plan plan = mapper.plan(List.of(sourceSchemas.get(table)), source, defaultTargetSchema);
        return shapeOf(plan.targets().get(plan.sources().get(table).target()));
    }

    @Override
    protected void copyForReload(TableId table, Reload reload) throws Exception {
        MappedTable mapped = tables.get(table);
        TableId staging = stagingOf(table);
        String ledger = reloadLedger(table);
        List<String> stagingColumns;
        try (java.sql.Connection c = openTargetConnection()) {
            FullLoadLedger chunksDone = new FullLoadLedger(ledger);
            // A staging table gone with chunks done: a rebuild on MariaDB/MySQL put it in the table's place and was stopped
            // before its commit (RENAME commits on its own); the copy starts anew.
            if (chunksDone.load(c, name -> table).isEmpty() || sql.columnsOf(c, staging).isEmpty()) {
                // A new copy: whatever an abandoned one left goes.
                chunksDone.clear(c);
                sql.dropTable(c, staging);
                c.commit();
                sql.createTableIfMissing(c, staging, reload.rebuild() ? rebuiltShape(table) : targetShapes.get(mapped.target().id()));
                c.commit();
            }
            stagingColumns = sql.columnsOf(c, staging);
        }
        ChunkSource chunks = source.chunkSource().orElseThrow(() -> new IllegalStateException("the source no longer reads in chunks"));
        if (reload.isBackfill()) {
            chunks.restrict(table, reload.where());
        }
        List<String> keys = reload.rebuild() ? rebuiltShape(table).primaryKey() : mapped.target().keyColumns();
        MappedTable stagedAs = new MappedTable(new TargetTable(staging, keys, stagingColumns), mapped.identity());
        Map<String, Object> metadata = snapshotMetadata(table);
        ChunkedFullLoad copy = copiesStraight(chunks, Map.of(), true) ? chunkedLoad(chunks)
                : chunkedLoad(chunks, () -> new ChunkRowsAsChanges(SqlDialects.forName(dialect, jdbcUrl, typeMapping, writeStatement),
                        (c, worker, destination, rows) -> writeStaged(c, worker, table, stagedAs, metadata, rows)));
        long rows = copy.copyTable(new ChunkedFullLoad.Destination(sourceSchemas.get(table), staging), ledger);
        LOG.info("Task '{}': {} of {}: {} rows copied; the next commit {} the table's rows", task, reload.name(), table,
                String.format("%,d", rows), reload.isBackfill() ? "merges them into" : "replaces");
    }

    /**
     * A reload's rows into its staging table as the stream writes the table's rows: through the route's row step
     * (assigned values, seen as the capture's snapshot rows are), then the writer's mapping (typeMapping's values,
     * identity columns), on a copy worker's connection and dialect.
     */
    private void writeStaged(java.sql.Connection c, SqlDialect worker, TableId table, MappedTable stagedAs, Map<String, Object> metadata,
            List<ChangeEvent> rows) throws Exception {
        ChangeBatch batch = new ChangeBatch(table);
        for (ChangeEvent row : rows) {
            org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(camelContext);
            exchange.getMessage().setBody(row);
            exchange.getMessage().setHeader(org.apache.camel.component.debezium.DebeziumConstants.HEADER_SOURCE_METADATA, metadata);
            rowStep.process(exchange);
            batch.add(exchange.getMessage().getBody(ChangeEvent.class));
        }
        applyOn(c, worker, stagedAs, batch);
    }

    /** The source metadata a capture's snapshot row of {@code table} carries, which assignments may read. */
    private Map<String, Object> snapshotMetadata(TableId table) {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("db", source.databaseOf(table));
        metadata.put("schema", table.schema());
        metadata.put("table", table.table());
        metadata.put("snapshot", "true");
        return java.util.Collections.unmodifiableMap(metadata);
    }

    @Override
    protected void finishReload(TableId table, Reload reload) throws SQLException {
        MappedTable mapped = tables.get(table);
        TableId staging = stagingOf(table);
        TableSchema shape = reload.rebuild() ? rebuiltShape(table) : null;
        session.execute(c -> {
            List<String> columns = sql.columnsOf(c, staging);
            List<String> keys = shape != null ? shape.primaryKey() : mapped.target().keyColumns();
            applyHeldOn(c, table, new MappedTable(new TargetTable(staging, keys, columns), mapped.identity()));
            if (reload.isBackfill()) {
                sql.mergeFrom(c, mapped.target().id(), staging, columns, keys);
            } else if (shape != null) {
                sql.replaceTable(c, mapped.target().id(), staging, shape, columns);
            } else {
                sql.overwrite(c, mapped.target().id(), staging, columns);
            }
            new FullLoadLedger(reloadLedger(table)).clear(c);
            operations.forget(c, table);
            saveDefinition(c, table); // its rows now reflect the task's present mapping
            sql.saveTableStatus(c, task, table, TableState.SYNCING, null);
            if (shape != null) {
                rebuilt(table, mapped, shape, columns);
            }
        });
    }

    /** A rebuilt table has its new structure: its rows go into the columns and by the key it has now. */
    private void rebuilt(TableId table, MappedTable mapped, TableSchema shape, List<String> columns) {
        TableId id = mapped.target().id();
        TargetTable target = new TargetTable(id, shape.primaryKey(), columns);
        targets.put(id, target);
        targetShapes.put(id, shape);
        tables.put(table, new MappedTable(target, mapped.identity()));
    }

    @Override
    protected void afterReload(TableId table) {
        try {
            session.runOnce(c -> sql.dropTable(c, stagingOf(table)));
        } catch (SQLException e) {
            LOG.warn("Task '{}': staging table {} of the finished reload of {} could not be dropped ({}); drop it by hand",
                    task, stagingOf(table), table, e.getMessage());
        }
    }

    @Override
    protected void reloadAbandoned(TableId table) throws SQLException {
        session.execute(c -> {
            held.forget(c, table);
            new FullLoadLedger(reloadLedger(table)).clear(c);
            operations.forget(c, table);
        });
    }

    /** The staging table of a table's reload: in the state schema, named by a digest of task and table (any length). */
    private TableId stagingOf(TableId table) {
        return new TableId("realtime_sync", "resync_" + digest(task + "\n" + table).substring(0, 20));
    }

    /** The key of a reload's chunk ledger (a task's own full load uses the task's name), short for the state tables' keys. */
    private String reloadLedger(TableId table) {
        return "resync " + digest(task + "\n" + table).substring(0, 32);
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Optional<ChunkedFullLoad> runningFullLoad() {
        return Optional.ofNullable(runningLoad);
    }

    /** On a connection of its own: the writer's session belongs to the thread running the load. */
    @Override
    protected void recordCancelled(TableId table, String reason) throws SQLException {
        try (java.sql.Connection c = openTargetConnection()) {
            sql.saveTableStatus(c, task, table, TableState.STOPPED, reason);
            c.commit();
        }
    }

    void writeChanges(java.sql.Connection c, MappedTable mapped, TableId table, List<ChangeEvent> changes) throws SQLException {
        writeChanges(c, sql, mapped, table, changes);
    }

    private void writeChanges(java.sql.Connection c, SqlDialect dialect, MappedTable mapped, TableId table, List<ChangeEvent> changes)
            throws SQLException {
        TargetTable target = mapped.target();
        List<Map<String, Object>> deletes = new ArrayList<>();
        Map<Set<String>, List<Map<String, Object>>> upsertsByShape = new LinkedHashMap<>();
        for (ChangeEvent change : changes) {
            if (change.operation() == Operation.DELETE) {
                deletes.add(withIdentity(mapped, change.key()));
                continue;
            }
            Map<String, Object> row = change.row();
            if (!target.leftOut().isEmpty()) {
                row = new LinkedHashMap<>(row);
                row.keySet().removeAll(target.leftOut());
            }
            for (String column : row.keySet()) {
                if (!target.columns().contains(column)) {
                    throw new TaskProblem("Column '" + column + "' of source table " + table + " does not exist in target table "
                            + target.id() + "; add it on the target and restart the task.");
                }
            }
            // Rows missing values the source did not send (unchanged TOAST, a zero date the capture hid) update only
            // the columns they carry.
            upsertsByShape.computeIfAbsent(row.keySet(), k -> new ArrayList<>()).add(withIdentity(mapped, row));
        }
        if (!deletes.isEmpty()) {
            dialect.delete(c, target.id(), target.keyColumns(), deletes);
        }
        for (List<Map<String, Object>> rows : upsertsByShape.values()) {
            dialect.upsert(c, target.id(), target.keyColumns(), List.copyOf(rows.get(0).keySet()), rows);
        }
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

    private MappedTable targetOf(TableId table) throws Exception {
        MappedTable target = tables.get(table);
        if (target != null) {
            return target;
        }
        // A table created on the source after the task started: create it on the target now (MySQL-family DDL
        // commits the open transaction: replays after a crash stay harmless, our writes being idempotent).
        if (!newTableAccepted(table)) {
            return null;
        }
        for (TableSchema schema : source.tables()) {
            if (schema.id().equals(table)) {
                session.execute(c -> prepare(c, List.of(schema), Map.of(), Map.of(), false, false));
            }
        }
        target = tables.get(table);
        if (target == null) {
            throw new TaskProblem("Changes arrived for " + table + ", which the task cannot find on the source");
        }
        return target;
    }

    /** A synced table's rows show a structure other than the one the target reflects. */
    @Override
    protected boolean structureChanged(RowStructure shown) {
        TableSchema known = sourceSchemas.get(shown.table());
        return known != null && !(shown.first() && ColumnChanges.sameAsKnown(known, shown));
    }

    @Override
    protected void followStructure(RowStructure shown) throws SQLException {
        evolve(shown.table(), shown.columns(), shown.typesTold(), shown.position());
    }

    private void evolve(TableId id, List<String> rowColumns, Map<String, String> rowTypes, SourcePosition position) throws SQLException {
        TableSchema before = sourceSchemas.get(id);
        TableSchema after = ColumnChanges.definitionOfRow(before, sourceTable(id).orElse(null), rowColumns, rowTypes);
        if (after == null) {
            stopTable(id, "the rows of " + id + " show columns " + rowColumns + " which neither the source's catalog nor the "
                    + "task knows (the table changed again before the task could read it); resync the table to rebuild it with the source's new structure");
            return;
        }
        if (rebuilding(id)) {
            if (after.columns().equals(before.columns()) && after.primaryKey().equals(before.primaryKey())) {
                // The structure the resync began with, shown again (a PostgreSQL table's first rows after a restart).
                return;
            }
            // Its staging table has the structure the resync began with: the rows from now on would not fit it.
            stopTable(id, "the structure of " + id + " changed again while its resync rebuilt it; resync it again");
            return;
        }
        if (ColumnChanges.keyChanged(before, after)) {
            stopTable(id, "the primary key of " + id + " changed from " + before.primaryKey() + " to " + after.primaryKey()
                    + ", which the target table's key cannot follow; resync the table to rebuild it with the source's new structure");
            return;
        }
        MappedTable mapped = tables.get(id);
        List<TargetSession.Work> alterations = new ArrayList<>();
        List<SchemaChange> changes = ColumnChanges.between(before, after, columnRenames.between(id, before, after, source));
        if (!columnChangesLogged(mapped, id, changes, position)) {
            for (SchemaChange change : changes) {
                if (!plan(id, mapped, after, change, alterations)) {
                    return;
                }
            }
        }
        sourceSchemas.put(id, after);
        alterations.add(c -> saveDefinition(c, id));
        for (TargetSession.Work alteration : alterations) {
            session.execute(alteration);
        }
        columnRenames.followed(id);
    }

    /**
     * Decides one column change by the task's policy and adds what the target must do to {@code alterations}.
     * Returns false when the change stopped the table.
     */
    private boolean plan(TableId id, MappedTable mapped, TableSchema after, SchemaChange change,
            List<TargetSession.Work> alterations) throws SQLException {
        TargetTable target = mapped.target();
        TypeSystem typeSystem = after.typeSystem();
        if (change instanceof SchemaChange.AddColumn added) {
                String name = added.column().name();
                if (decisions.decide(added)) {
                    String type = sql.targetType(new Column(name, added.column().sourceType(), true), typeSystem);
                    // The source's existing rows took the column's default; the target's take the same. A target
                    // that keeps history (merged tables, the append log) leaves its earlier rows as they were.
                    ColumnFill fill = keepsHistory() ? ColumnFill.NULL : source.fillOfAddedColumn(id, name);
                    String unfillable = unfillableReason(id, name, fill);
                    if (unfillable != null) {
                        stopTable(id, unfillable);
                        return false;
                    }
                    alterations.add(c -> sql.addColumn(c, target.id(), name, type, fill.text()));
                    target.columns().add(name);
                    target.leftOut().remove(name);
                } else {
                target.leftOut().add(name);
            }
        } else if (change instanceof SchemaChange.DropColumn dropped) {
                Column column = dropped.column();
                boolean apply = decisions.decide(dropped);
                if (apply && !keepsHistory()) {
                    alterations.add(c -> sql.dropColumn(c, target.id(), column.name()));
                    target.columns().remove(column.name());
                } else {
                    // Kept on the target (other merged tables may still fill it): rows from now on leave it NULL.
                keepEmpty(target, column, typeSystem, alterations);
            }
        } else if (change instanceof SchemaChange.RenameColumn renamed) {
                String from = renamed.from().name();
                String to = renamed.to().name();
                if (decisions.decide(renamed)) {
                    if (keepsHistory()) {
                        String type = sql.targetType(new Column(to, renamed.to().sourceType(), true), typeSystem);
                        alterations.add(c -> sql.addColumn(c, target.id(), to, type));
                        target.columns().add(to);
                        keepEmpty(target, renamed.from(), typeSystem, alterations);
                    } else {
                        alterations.add(c -> sql.renameColumn(c, target.id(), from, to));
                        target.columns().remove(from);
                        target.columns().add(to);
                    }
                    target.leftOut().remove(to);
                } else {
                    target.leftOut().add(to);
                keepEmpty(target, renamed.from(), typeSystem, alterations);
            }
        } else if (change instanceof SchemaChange.ChangeColumnType retyped) {
            return retype(id, target, retyped, typeSystem, alterations);
        }
        return true;
    }

    private boolean retype(TableId id, TargetTable target, SchemaChange.ChangeColumnType retyped, TypeSystem typeSystem,
            List<TargetSession.Work> alterations) throws SQLException {
        String name = retyped.to().name();
        String from = sql.targetType(retyped.from(), typeSystem);
        String to = sql.targetType(retyped.to(), typeSystem);
        TypeWidening.Change change = TypeWidening.compare(from, to);
        if (change == TypeWidening.Change.SAME) {
            if (retyped.to().nullable() && !retyped.from().nullable() && !target.keyColumns().contains(name)) {
                alterations.add(c -> sql.dropNotNull(c, target.id(), name, to));
            }
            return true;
        }
        String what = retyped.describe();
        if (target.keyColumns().contains(name)) {
            stopTable(id, what + "; it is part of the primary key, which the target table's key cannot follow; resync the "
                    + "table to rebuild it with the source's new structure");
            return false;
        }
        boolean apply = decisions.policy(SchemaChangePolicies.Kind.MODIFY_COLUMN_TYPE) == SchemaChangePolicies.Policy.APPLY;
        if (!(apply && change == TypeWidening.Change.INCOMPATIBLE) && !decisions.decide(retyped)) {
            return true;
        }
        if (change == TypeWidening.Change.INCOMPATIBLE) {
            stopTable(id, what + "; the target column (" + from + ") cannot be widened to " + to + " without changing stored "
                    + "values. Revert the change on the source, or resync the table to rebuild it with the source's new structure");
            return false;
        }
        alterations.add(c -> sql.changeColumnType(c, target.id(), name, to, true));
        return true;
    }

    /** A column the source no longer fills stays on the target; it must accept NULL for the rows to come. */
    private void keepEmpty(TargetTable target, Column column, TypeSystem typeSystem, List<TargetSession.Work> alterations) {
        if (!column.nullable()) {
            String type = sql.targetType(column, typeSystem);
            alterations.add(c -> sql.dropNotNull(c, target.id(), column.name(), type));
        }
    }

    private void saveDefinition(java.sql.Connection c, TableId table) throws SQLException {
        String mapping = mappingOf(table);
        sql.saveTableDefinition(c, task, table, new SavedDefinition(sourceSchemas.get(table), columnRenames.ids(table), mapping).toJson());
        if (mapping != null) {
            reflectedMappings.put(table, mapping);
        }
    }

    /** Whether the table's rows were written with another mapping than the task's present one (it is stopped for that). */
    private boolean remapped(TableId table) {
        String reflected = reflectedMappings.get(table);
        return reflected != null && !reflected.equals(mappingOf(table));
    }

    /**
     * A fingerprint of how the task maps a table: its target table, identity values, the target type typeMapping
     * chooses for each of its columns, and the assignments. Saved with the definition its rows reflect, so that a
     * changed mapping is noticed at the next start.
     */
    private String mappingOf(TableId table) {
        MappedTable mapped = tables.get(table);
        if (mapped == null) {
            return null;
        }
        routes.schema.TypeOverrides overrides = routes.schema.TypeOverrides.parse(typeMapping);
        StringBuilder text = new StringBuilder("target=").append(mapped.target().id()).append("\nidentity=").append(mapped.identity())
                .append("\nassignments=").append(assignments == null ? "" : assignments.strip());
        for (routes.schema.Column column : sourceSchemas.get(table).columns()) {
            overrides.targetFor(column.sourceType()).ifPresent(type -> text.append('\n').append(column.name()).append('=').append(type));
        }
        return digest(text.toString()).substring(0, 32);
    }

    /** Stops one table visibly (status, log, alert); the task and its other tables go on. */
    private void stopTable(TableId table, String reason) throws SQLException {
        lifecycle.stop(table, reason);
        LOG.error("Task '{}': table {} is stopped: {}", task, table, reason);
        session.execute(c -> sql.saveTableStatus(c, task, table, TableState.STOPPED, reason));
        reportTableStopped(table, reason);
    }

    /**
     * TRUNCATE, DROP TABLE and RENAME TABLE of a synced table follow their policies; a table the task does not sync
     * is left alone.
     */
    @Override
    protected void tableChanged(SchemaChange change) throws SQLException {
        if (change instanceof SchemaChange.TruncateTable truncate) {
            truncated(truncate.table());
        } else if (change instanceof SchemaChange.DropTable drop) {
            dropped(drop.table());
        } else if (change instanceof SchemaChange.RenameTable rename) {
            renamed(rename.table(), rename.to());
        }
    }

    @Override
    protected void columnsRenamed(TableId table, List<String> pairs) {
        columnRenames.announce(table, pairs);
    }

    /** TRUNCATE of a synced table: applied, the target keeps no row of it (in merge mode, only its own rows). */
    private void truncated(TableId table) throws SQLException {
        MappedTable mapped = tables.get(table);
        if (mapped != null && !lifecycle.isStopped(table) && truncateLogged(mapped, table)) {
            return;
        }
        if (mapped == null || lifecycle.isStopped(table) || !decisions.decide(new SchemaChange.TruncateTable(table))) {
            return;
        }
        if (mapper.merges()) {
            reportSchemaChangeDeclined(table.toString(), SchemaChangePolicies.Kind.TRUNCATE, "table " + table
                    + " was truncated on the source; its rows share target " + mapped.target().id() + " with other tables, so they are left there",
                    true);
            return;
        }
        session.execute(c -> sql.truncate(c, mapped.target().id()));
    }

    /**
     * DROP TABLE of a synced table: applied, the target table goes too (mirror mode). Either way the task forgets
     * it, so a table created again under that name is a new table.
     */
    private void dropped(TableId table) {
        MappedTable mapped = tables.get(table);
        if (mapped == null) {
            return;
        }
        boolean apply = decisions.decide(new SchemaChange.DropTable(table));
        forget(table, TableState.DROPPED, "dropped on the source" + (apply && !keepsHistory() ? " and on the target" : "; the target table is kept"),
                apply && !keepsHistory() ? c -> sql.dropTable(c, mapped.target().id()) : null);
    }

    /**
     * RENAME TABLE: applied, the target table takes the name the task's naming rule gives the new name, keeping its
     * rows, and the new name's rows go on into it. Renamed out of the task's selection, or not applied, the task
     * forgets the old name (a new name in the selection is then a new table).
     */
    private void renamed(TableId from, TableId to) {
        MappedTable mapped = tables.get(from);
        if (mapped == null) {
            return;
        }
        boolean apply = decisions.decide(new SchemaChange.RenameTable(from, to));
        TableSchema renamed = apply && !keepsHistory() ? sourceTable(to).orElse(null) : null;
        if (renamed == null) {
            forget(from, TableState.RENAMED, "renamed to " + to + " on the source; the target table is kept as it is", null);
            return;
        }
        TableId newTarget = mapper.plan(List.of(renamed), source, defaultTargetSchema).sources().get(to).target();
        forget(from, TableState.RENAMED, "renamed to " + to + " on the source; target " + mapped.target().id() + " renamed to " + newTarget,
                c -> sql.renameTable(c, mapped.target().id(), newTarget));
        TargetTable target = new TargetTable(newTarget, mapped.target().keyColumns(), mapped.target().columns(), mapped.target().leftOut());
        targets.put(newTarget, target);
        tables.put(to, new MappedTable(target, mapped.identity()));
        if (!lifecycle.isStopped(to)) {
            lifecycle.start(to, false);
        }
        sourceSchemas.put(to, renamed);
        try {
            session.execute(c -> {
                sql.saveTableStatus(c, task, to, TableState.SYNCING, null);
                saveDefinition(c, to);
            });
            reportTable(to, TableState.SYNCING, null);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether target rows outlive the source's: tables merged from several sources, and append logs, which keep
     * every change. Dropped columns and tables stay on such targets, and a renamed column is added beside the old.
     */
    abstract boolean keepsHistory();

    /** The target table a source table's rows go into, as it is created. */
    abstract TableSchema shapeOf(TableSchema target);

    /** A target table the task writes into, created or found when the task starts or the table appears. */
    void tableOpened(java.sql.Connection c, TableId target) throws SQLException {
    }

    /** What a batch writes into its target table, in order. */
    abstract List<ChangeEvent> rowsOf(ChangeBatch batch);

    /** Whether the target took a source table's column changes as a record of its own, so its table stays as it is. */
    boolean columnChangesLogged(MappedTable mapped, TableId table, List<SchemaChange> changes, SourcePosition position)
            throws SQLException {
        return false;
    }

    /** Whether the target took a TRUNCATE of a synced table as a record of its own, so the truncate policy is not asked. */
    boolean truncateLogged(MappedTable mapped, TableId table) throws SQLException {
        return false;
    }

    /** The task no longer syncs {@code table} (dropped or renamed on the source). */
    void tableForgotten(TableId table) {
    }

    private void forget(TableId table, TableState status, String reason, TargetSession.Work onTarget) {
        MappedTable mapped = tables.remove(table);
        lifecycle.forget(table);
        tableForgotten(table);
        sourceSchemas.remove(table);
        if (mapped != null && !mapper.merges()) {
            targets.remove(mapped.target().id());
        }
        try {
            session.execute(c -> {
                if (onTarget != null) {
                    onTarget.run(c);
                }
                sql.saveTableStatus(c, task, table, status, reason);
            });
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot record that " + table + " was " + reason + ": " + e.getMessage(), e);
        }
        reportTable(table, status, reason);
        LOG.info("Task '{}': table {} {}", task, table, reason);
    }

    private Optional<TableSchema> sourceTable(TableId id) {
        return source.tables().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /**
     * A source table that existed on the target before with fewer columns (the source changed while the task was
     * away): its new columns are added as the addColumn policy says.
     */
    private void addColumnsAddedWhileAway(java.sql.Connection c, TargetTable target, TableSchema definition) throws SQLException {
        for (Column column : definition.columns()) {
            if (target.columns().contains(column.name())) {
                continue;
            }
            if (decisions.decide(SchemaChangePolicies.Kind.ADD_COLUMN, target.id(), "column " + column.name() + " is new on the source of "
                    + target.id())) {
                sql.addColumn(c, target.id(), column.name(), sql.targetType(new Column(column.name(), column.sourceType(), true),
                        definition.typeSystem()));
                target.columns().add(column.name());
            } else {
                target.leftOut().add(column.name());
            }
        }
    }

    @Override
    protected String withoutKeyReason(TableId table) {
        return "table " + table + " has no primary key and is not synced (its updates and deletes could not be applied "
                + "exactly); add one (ALTER TABLE ... ADD PRIMARY KEY) and restart the task to include it";
    }

    /** The open transaction commits with the source position in it. */
    @Override
    protected void commitTarget(Map<String, String> offsets) throws SQLException {
        session.commit(c -> {
            stopTablesTheSourceCannotCapture(c);
            sql.saveOffsets(c, task, offsets);
            fence.check(c);
        });
    }

    /**
     * A source that cannot capture tables created while the task runs (PostgreSQL with a filtered publication) would
     * silently leave them out: look for such tables now and then, and stop each visibly, the others going on.
     */
    private void stopTablesTheSourceCannotCapture(java.sql.Connection c) throws SQLException {
        for (Map.Entry<TableId, String> table : tablesTheSourceCannotCapture(source, tables.keySet()).entrySet()) {
            lifecycle.stop(table.getKey(), table.getValue());
            LOG.error("Task '{}': {}", task, table.getValue());
            sql.saveTableStatus(c, task, table.getKey(), TableState.STOPPED, table.getValue());
            reportTable(table.getKey(), TableState.STOPPED, table.getValue());
        }
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

    public void setWriteStatement(String writeStatement) {
        this.writeStatement = writeStatement;
    }

    public void setTypeMapping(String typeMapping) {
        this.typeMapping = typeMapping;
    }
}
