package routes.sink.streamload;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.capture.SourceDatabase;
import routes.change.ChangeBatch;
import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.TableId;
import routes.ops.TaskProblem;
import routes.schema.Column;
import routes.schema.ColumnFill;
import routes.schema.TableSchema;
import routes.schema.TypeOverrides;
import routes.schema.TypeSystem;
import routes.sink.BatchReducer;
import routes.sink.ColumnChanges;
import routes.sink.ColumnRenames;
import routes.sink.DeadLetters;
import routes.sink.DirtyRowStore;
import routes.sink.RowStructure;
import routes.sink.SchemaChange;
import routes.sink.SchemaChangePolicies;
import routes.sink.TargetConnections;
import routes.sink.TargetNaming;
import routes.sink.TargetSession;
import routes.sink.dialect.SqlDialect;
import routes.sink.dialect.SqlDialects;
import routes.state.FullLoadState;
import routes.state.TableState;
import routes.sink.JdbcStateWriter;

/**
 * Writes a task's row changes into Doris, SelectDB or StarRocks by HTTP Stream Load, keeping the task's state
 * (offsets, schema history, table status, dirty rows) in a separate JDBC state database.
 *
 * <p>Order of durability: each batch is loaded (committed by the target, or precommitted in two-phase commit mode)
 * before {@link #commit} saves the source position in the state database; in two-phase mode the positions are saved
 * together with the precommitted transactions, which are committed right after and again on restart. So the target
 * never misses what a saved position covers, and what it holds beyond it is loaded again after a crash, which is
 * harmless: every load writes the last change per key, and a batch sent again under its label is recognised.
 */
public class StreamLoadWriter extends JdbcStateWriter {

    private static final Logger LOG = LoggerFactory.getLogger(StreamLoadWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reserved part numbers of a batch loaded again after an older one arrived late (see {@link #write}). */
    private static final int REAPPLY_PARTS = 1000;

    private String flavour = "doris";
    private String loadUrl;
    private String database;
    private String username = "";
    private String password = "";
    private String ddlJdbcUrl = "";
    private String tableProperties = "";
    private boolean mergeOnWrite = true;
    private String stateJdbcUrl;
    private String stateUsername = "";
    private String statePassword = "";
    private String targetTable = "${table_name}";
    private String typeMapping = "";
    private boolean twoPhaseCommit;
    private long loadIntervalMs = 3000;
    private long retrySeconds = 1800;
    private int httpTimeoutSeconds = 600;
    private long dirtyRowLimit = 1000;
    private String schemaChanges = "";

    private StreamLoadFlavour target;
    private StreamLoadTables definitions;
    private TargetNaming naming;
    private SqlDialect stateSql;
    private TargetSession state;
    private StreamLoadClient client;
    private TableLoads loads;
    private SourceDatabase source;

    /**
     * Where a source table's rows go: the target table, its columns (keys first), its key, and the source columns it
     * leaves out (added on the source while the addColumn policy said not to apply it: their values are not loaded).
     */
    private record Target(TableId id, List<String> columns, List<String> keyColumns, Set<String> leftOut) {

        Target(TableId id, List<String> columns, List<String> keyColumns) {
            this(id, columns, keyColumns, ConcurrentHashMap.newKeySet());
        }
    }

    private final Map<TableId, Target> targets = new ConcurrentHashMap<>();
    /** Each synced source table's definition as its target table reflects it; column changes are diffed against it. */
    private final Map<TableId, TableSchema> sourceSchemas = new ConcurrentHashMap<>();
    /** The columns the source renames, as it tells them. */
    private final ColumnRenames columnRenames = new ColumnRenames();
    private final List<LoadLedger.PendingTxn> precommitted = new ArrayList<>();
    private LoadLedger ledger;
    private Map<String, String> committedOffsets = Map.of();
    private long lastFlushNanos;

    /** Called by Camel once the properties are set. */
    public void start() {
        require(task, "stream load sink", "task");
        require(loadUrl, "stream load sink", "loadUrl");
        require(database, "stream load sink", "database");
        require(stateJdbcUrl, "stream load sink", "stateJdbcUrl");
        target = StreamLoadFlavour.of(flavour);
        if (twoPhaseCommit && target != StreamLoadFlavour.DORIS) {
            throw new TaskProblem("twoPhaseCommit works with Doris and SelectDB (two_phase_commit and _stream_load_2pc); StarRocks "
                    + "has another transaction interface, which this sink does not use. Leave twoPhaseCommit off for StarRocks.");
        }
        naming = new TargetNaming(targetTable);
        definitions = new StreamLoadTables(target, new StreamLoadTypes(target, TypeOverrides.parse(typeMapping)), mergeOnWrite, tableProperties);
        stateSql = SqlDialects.forName("auto", stateJdbcUrl);
        state = new TargetSession(stateJdbcUrl, stateUsername, statePassword, stateSql, Duration.ofSeconds(retrySeconds));
        dirtyRows = new DirtyRowStore(task, stateSql, dirtyRowLimit, (table, reason) -> reportRowRefused(table, reason, null),
                deadLetters());
        client = new StreamLoadClient(camelContext, loadUrl, username, password, Math.toIntExact(httpTimeoutSeconds * 1000L));
        loads = new TableLoads(client, target, twoPhaseCommit, Duration.ofSeconds(retrySeconds), Thread::sleep);
        decisions = schemaChangeDecisions(new SchemaChangePolicies(schemaChanges));
        register();
    }

    /** Called by Camel on shutdown: whatever was not committed is loaded again on the next start. */
    public synchronized void stop() {
        unregister();
        if (client != null) {
            client.close();
        }
        if (state != null) {
            state.close();
        }
    }

    @Override
    protected TargetSession stateSession() {
        return state;
    }

    @Override
    protected SqlDialect stateDialect() {
        return stateSql;
    }

    @Override
    protected void closeTarget() {
        state.close();
    }

    @Override
    protected Map<String, String> prepareTask(SourceDatabase source, boolean fullLoadWanted) throws Exception {
        this.source = source;
        Map<String, String> stored = new LinkedHashMap<>();
        try {
            state.runOnce(c -> stored.putAll(stateSql.loadOffsets(c, task)));
        } catch (SQLException e) {
            throw new TaskProblem("Cannot use the state database " + withoutParameters(stateJdbcUrl) + ": " + e.getMessage().replaceFirst("\\.$", "")
                    + ". Check stateJdbcUrl, stateUsername and statePassword.", e);
        }
        ledger = LoadLedger.from(stored);
        Map<String, String> offsets = ledger.startOver() ? Map.of() : LoadLedger.offsetsOnly(stored);
        if (!ledger.pending().isEmpty()) {
            offsets = settlePending(offsets);
        }
        source.check(!offsets.isEmpty());
        columnRenames.knowIds(source.columnIds());
        List<TableSchema> sourceTables = source.tables();
        if (sourceTables.isEmpty()) {
            throw new TaskProblem("No table of " + source.describe() + " matches the task's table selection: check the "
                    + "schema and table lists (regular expressions over schema and schema.table).");
        }
        boolean reload = fullLoadWanted && !FullLoadState.isComplete(offsets);
        if (reload || ledger.generation() == null) {
            // Labels of this full load must differ from any earlier one's: its rows' positions repeat.
            ledger = new LoadLedger(UUID.randomUUID().toString().substring(0, 8), List.of(), Map.of(), false);
        }
        Map<TableId, StreamLoadTables.Definition> planned = plan(sourceTables);
        createTargetTables(planned, reload);
        boolean freshStart = reload;
        state.runOnce(c -> {
            stateSql.createStateTables(c);
            dirtyRows.open(c);
            Map<String, String> previous = freshStart ? Map.of() : stateSql.loadTableStatus(c, task);
            if (freshStart) {
                stateSql.clearSchemaHistory(c, task); // the capture starts over and records the schema again
            }
            recordTables(c, sourceTables, planned, previous, reload);
            stateSql.forgetTableStatus(c, task, sourceTables.stream().map(TableSchema::id).toList());
            stateSql.saveOffsets(c, task, Map.of(LoadLedger.KEY, ledger.toJson()));
        });
        source.prepareCapture(sourceTables.stream().filter(t -> targets.containsKey(t.id())).toList());
        committedOffsets = offsets;
        LOG.info("Task '{}': {} tables from {} into {} database {} by Stream Load ({}){}", task, targets.size(), source.describe(),
                target.displayName(), database, twoPhaseCommit ? "two-phase commit" : "each load committed",
                reload ? " (full load starts; label generation " + ledger.generation() + ")" : ", resuming from the saved position");
        return offsets;
    }

    /**
     * Settles the transactions a crash left between "offsets saved" and "transactions committed": commits them, or,
     * when one can no longer be committed, goes back to the offsets before them (that stretch is loaded again).
     */
    private Map<String, String> settlePending(Map<String, String> offsets) throws Exception {
        boolean allCommitted = true;
        for (LoadLedger.PendingTxn txn : ledger.pending()) {
            StreamLoadClient.TxnState result = finishWithRetry(txn, true);
            if (result != StreamLoadClient.TxnState.COMMITTED) {
                LOG.warn("Task '{}': transaction {} (label {}, table {}) could not be committed any more ({}); going back to the "
                        + "position before it and loading from there again", task, txn.txnId(), txn.label(), txn.table(), result);
                allCommitted = false;
            } else {
                LOG.info("Task '{}': committed transaction {} (label {}) left pending by the last run", task, txn.txnId(), txn.label());
            }
        }
        Map<String, String> resume = allCommitted ? offsets : ledger.previous();
        ledger = ledger.settled(resume.isEmpty() && !allCommitted);
        state.runOnce(c -> stateSql.saveOffsets(c, task, ledger.with(resume)));
        return resume;
    }

    /** Where each keyed source table goes, or why it cannot (saved as the table's status with the reason). */
    private Map<TableId, StreamLoadTables.Definition> plan(List<TableSchema> sourceTables) {
        Map<TableId, StreamLoadTables.Definition> planned = new LinkedHashMap<>();
        Map<TableId, TableId> targetOwners = new HashMap<>();
        for (TableSchema table : sourceTables) {
            if (!table.hasPrimaryKey()) {
                continue;
            }
            Map<String, String> names = Map.of(TargetNaming.DATASOURCE, task, TargetNaming.DATABASE, source.databaseOf(table.id()),
                    TargetNaming.SCHEMA, table.id().schema(), TargetNaming.TABLE, table.id().table());
            TableId targetId = new TableId(database, naming.apply(names));
            TableId owner = targetOwners.putIfAbsent(targetId, table.id());
            if (owner != null) {
                throw new TaskProblem("Source tables " + owner + " and " + table.id() + " would both load into " + targetId + ": each "
                        + "target table takes one source table here. Change the targetTable rule.");
            }
            planned.put(table.id(), definitions.define(table, targetId));
        }
        return planned;
    }

    /** Creates missing target tables through the FE's MySQL protocol (when given), emptied for a full load. */
    private void createTargetTables(Map<TableId, StreamLoadTables.Definition> planned, boolean reload) throws SQLException {
        if (ddlJdbcUrl == null || ddlJdbcUrl.isBlank()) {
            return;
        }
        try (Connection c = ddlConnection()) {
            for (StreamLoadTables.Definition table : planned.values()) {
                if (table.refused()) {
                    continue;
                }
                definitions.create(c, table);
                if (reload) {
                    definitions.truncate(c, table.target());
                }
            }
        } catch (SQLException e) {
            throw new TaskProblem("Cannot create the target tables through " + withoutParameters(ddlJdbcUrl) + ": " + e.getMessage(), e);
        }
    }

    private Connection ddlConnection() throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", username == null ? "" : username);
        credentials.setProperty("password", password == null ? "" : password);
        return TargetConnections.open(ddlJdbcUrl, credentials);
    }

    private void recordTables(Connection c, List<TableSchema> sourceTables, Map<TableId, StreamLoadTables.Definition> planned,
            Map<String, String> previous, boolean reload) throws SQLException {
        for (TableSchema table : sourceTables) {
            StreamLoadTables.Definition definition = planned.get(table.id());
            if (definition == null) {
                reportWithoutKey(table.id());
                stateSql.saveTableStatus(c, task, table.id(), TableState.SKIPPED, withoutKeyReason(table.id()));
            } else if (TableState.STOPPED.name().equals(previous.get(table.id().toString()))) {
                lifecycle.stop(table.id(), "stopped in an earlier run (see the state database's table_status)");
                LOG.warn("Task '{}': table {} stays stopped (see the state database's table_status); reload the task to include it",
                        task, table.id());
                reportTable(table.id(), TableState.STOPPED, "stopped in an earlier run (see the state database's table_status)");
            } else if (definition.refused()) {
                lifecycle.stop(table.id(), definition.refusal());
                LOG.error("Task '{}': {}", task, definition.refusal());
                stateSql.saveTableStatus(c, task, table.id(), TableState.STOPPED, definition.refusal());
                reportTable(table.id(), TableState.STOPPED, definition.refusal());
            } else {
                targets.put(table.id(), new Target(definition.target(), new ArrayList<>(definition.columns()), definition.keyColumns()));
                sourceSchemas.put(table.id(), table);
                lifecycle.start(table.id(), reload && !source.skipsFullLoad(table.id()));
                stateSql.saveTableStatus(c, task, table.id(), TableState.SYNCING, null);
                reportTable(table.id(), TableState.SYNCING, null);
            }
        }
    }

    /** Loads the batches of one table (called by the aggregator's writing thread). */
    @Override
    protected boolean applyBatch(ChangeBatch batch, List<ChangeBatch> inOrder) throws Exception {
        Target table = targetOf(batch.table());
        if (table == null) {
            return false;
        }
        // Newer batches loaded again go under labels of their own.
        for (int again = 0; again < inOrder.size(); again++) {
            load(table, inOrder.get(again), REAPPLY_PARTS * again);
        }
        return true;
    }

    /**
     * Loads a batch's last change per key: whole rows and deletes in one load; rows missing values the source did not
     * send (unchanged TOAST) in loads of their own that update only the columns they carry.
     */
    private void load(Target table, ChangeBatch batch, int firstPart) throws Exception {
        List<ChangeEvent> changes = BatchReducer.reduce(batch.events());
        List<ChangeEvent> whole = new ArrayList<>();
        Map<Set<String>, List<ChangeEvent>> partial = new LinkedHashMap<>();
        for (ChangeEvent change : changes) {
            if (change.operation() == Operation.DELETE || change.unavailable().isEmpty()) {
                whole.add(change);
            } else {
                partial.computeIfAbsent(change.row().keySet(), k -> new ArrayList<>()).add(change);
            }
        }
        int part = firstPart;
        if (!whole.isEmpty()) {
            loadPart(table, batch, whole, table.columns(), false, part++);
        }
        for (Map.Entry<Set<String>, List<ChangeEvent>> shape : partial.entrySet()) {
            List<String> columns = shape.getKey().stream().filter(c -> !table.leftOut().contains(c)).toList();
            loadPart(table, batch, shape.getValue(), columns, true, part++);
        }
    }

    private void loadPart(Target table, ChangeBatch batch, List<ChangeEvent> changes, List<String> columns, boolean partialRows, int part)
            throws Exception {
        String label = LoadLabel.of(task, ledger.generation(), table.id(), batch.events(), part);
        TableLoads.Loaded loaded = loads.load(table.id(), label, changes, columns, partialRows);
        if (loaded.txnId() >= 0) {
            precommitted.add(new LoadLedger.PendingTxn(loaded.txnId(), label, table.id().toString()));
        }
        for (ErrorRows.Refused refused : loaded.refused()) {
            ChangeEvent change = refusedChange(batch.table(), changes, refused);
            String reason = target.displayName() + " refused the row: " + refused.reason();
            state.execute(c -> dirtyRows.store(c, batch.table(), table.id(), change, new SQLException(reason, "22000")));
        }
    }

    /** The change a refused row came from, found by its key; the row's text as the target showed it otherwise. */
    private static ChangeEvent refusedChange(TableId table, List<ChangeEvent> changes, ErrorRows.Refused refused) {
        try {
            JsonNode row = JSON.readTree(refused.row());
            for (ChangeEvent change : changes) {
                boolean same = true;
                for (Map.Entry<String, Object> key : change.key().entrySet()) {
                    JsonNode value = row.get(key.getKey());
                    same &= value != null && !value.isNull() && key.getValue() != null
                            && value.asText().equals(key.getValue() instanceof Number n ? n.toString() : JsonRows.text(key.getValue()));
                }
                if (same) {
                    return change;
                }
            }
        } catch (Exception e) {
            // not JSON: kept as text below
        }
        Map<String, Object> text = new LinkedHashMap<>();
        text.put("refused_row", refused.row());
        return new ChangeEvent(table, Operation.UPSERT, List.of(), Map.of(), text, Set.of(), -1 - (refused.row() + refused.reason()).hashCode(),
                routes.change.SourceOperation.INSERT, java.time.Instant.now(), routes.change.RowImage.NONE,
                new routes.change.SourcePosition.Marker(""));
    }

    private Target targetOf(TableId table) throws Exception {
        Target known = targets.get(table);
        if (known != null) {
            return known;
        }
        // A table created on the source after the task started: create it on the target when we can.
        Optional<TableSchema> schema = source.tables().stream().filter(t -> t.id().equals(table)).findFirst();
        if (schema.isEmpty() || !schema.get().hasPrimaryKey()) {
            return null;
        }
        if (!newTableAccepted(table)) {
            return null;
        }
        Map<TableId, StreamLoadTables.Definition> planned = plan(List.of(schema.get()));
        createTargetTables(planned, false);
        state.execute(c -> recordTables(c, List.of(schema.get()), planned, Map.of(), false));
        return targets.get(table);
    }

    /** Gathers rows into loads of loadIntervalMs: the commit waits that long since the last load before it drains. */
    @Override
    protected void beforeCommit() throws InterruptedException {
        waitForLoadInterval();
    }

    /** Every batch is loaded (or precommitted): the source position is saved, and precommitted loads committed. */
    @Override
    protected void commitTarget(Map<String, String> offsets) throws Exception {
        for (Map.Entry<TableId, String> uncaptured : tablesTheSourceCannotCapture(source, targets.keySet()).entrySet()) {
            stopTable(uncaptured.getKey(), uncaptured.getValue());
        }
        if (precommitted.isEmpty()) {
            state.commit(c -> stateSql.saveOffsets(c, task, offsets));
        } else {
            commitTransactions(offsets);
        }
        committedOffsets = offsets;
    }

    /**
     * Two-phase commit: the offsets are saved together with the precommitted transactions (and the offsets before
     * them), then the transactions are committed, then the ledger is cleared. A crash between those steps is settled
     * on restart ({@link #settlePending}).
     */
    private void commitTransactions(Map<String, String> offsets) throws Exception {
        List<LoadLedger.PendingTxn> txns = List.copyOf(precommitted);
        LoadLedger withPending = ledger.withPending(txns, committedOffsets);
        state.commit(c -> stateSql.saveOffsets(c, task, withPending.with(offsets)));
        for (LoadLedger.PendingTxn txn : txns) {
            if (finishWithRetry(txn, true) != StreamLoadClient.TxnState.COMMITTED) {
                throw new TaskProblem("Transaction " + txn.txnId() + " (label " + txn.label() + ", table " + txn.table() + ") was aborted "
                        + "before it could be committed (its timeout passed, or the target restarted). Restart the task: it commits "
                        + "what it can and loads the rest again from the position before it.");
            }
        }
        precommitted.clear();
        ledger = ledger.settled(false);
        state.commit(c -> stateSql.saveOffsets(c, task, Map.of(LoadLedger.KEY, ledger.toJson())));
    }

    private StreamLoadClient.TxnState finishWithRetry(LoadLedger.PendingTxn txn, boolean commit) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(retrySeconds).toNanos();
        long backoff = 500;
        while (true) {
            try {
                return client.finishTransaction(database, txn.txnId(), commit);
            } catch (StreamLoadException e) {
                if (!e.isTransient() || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.warn("Task '{}': {}; trying again in {} ms", task, e.getMessage(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    /**
     * Each load adds a version to every tablet it touches, and Doris refuses loads (error -235) once a tablet holds
     * more versions than compaction has merged. When changes are waiting, loads are therefore at least
     * loadIntervalMs apart; the capture waits meanwhile, and its next poll brings a bigger batch.
     */
    private void waitForLoadInterval() throws InterruptedException {
        if (inFlight.awaitNone(0)) {
            return;
        }
        long waitMs = (lastFlushNanos + loadIntervalMs * 1_000_000L - System.nanoTime()) / 1_000_000L;
        if (waitMs > 0) {
            Thread.sleep(waitMs);
        }
    }

    /**
     * A synced table's rows show a structure other than the one its target table reflects, or a column the target
     * table neither has nor leaves out.
     */
    @Override
    protected boolean structureChanged(RowStructure shown) {
        Target table = targets.get(shown.table());
        TableSchema known = sourceSchemas.get(shown.table());
        return table != null && known != null && (!(shown.first() && ColumnChanges.sameAsKnown(known, shown))
                || !shown.columns().stream().allMatch(c -> table.columns().contains(c) || table.leftOut().contains(c)));
    }

    /**
     * The target table follows the column changes the task's policies apply, through the FE's MySQL protocol: columns
     * dropped, renamed and retyped first (see {@link #followColumn}), then new columns added (without that connection
     * the table stops visibly when a change is to be applied).
     */
    @Override
    protected void followStructure(RowStructure shown) throws SQLException {
        TableId id = shown.table();
        Target table = targets.get(id);
        TableSchema before = sourceSchemas.get(id);
        Optional<TableSchema> catalog = source.tables().stream().filter(t -> t.id().equals(id)).findFirst();
        TableSchema after = ColumnChanges.definitionOfRow(before, catalog.orElse(null), shown.columns(), shown.typesTold());
        if (after == null) {
            stopTable(id, "the rows of " + id + " show columns " + shown.columns() + " which neither the source's catalog nor the "
                    + "task knows (the table changed again before the task could read it); reload the task to include it again");
            return;
        }
        if (ColumnChanges.keyChanged(before, after)) {
            stopTable(id, "the primary key of " + id + " changed from " + before.primaryKey() + " to " + after.primaryKey()
                    + ", which the target table's key cannot follow; reload the task to include it again");
            return;
        }
        for (SchemaChange change : ColumnChanges.between(before, after, columnRenames.between(id, before, after, source))) {
            if (!followColumn(id, table, after, change)) {
                return;
            }
        }
        addColumns(id, table, shown.columns(), shown.typesTold());
        if (!lifecycle.isStopped(id)) {
            sourceSchemas.put(id, after);
            columnRenames.followed(id);
        }
    }

    /**
     * A column dropped, renamed or retyped on the source, as its policy says. Not applied, a dropped column stays (new
     * rows leave it NULL), a renamed one keeps its old name (the new name's values are not loaded) and a retyped one
     * its type. Returns false when the change stopped the table. Added columns are left to {@link #addColumns}.
     */
    private boolean followColumn(TableId id, Target table, TableSchema after, SchemaChange change) throws SQLException {
        if (change instanceof SchemaChange.DropColumn dropped) {
            String name = dropped.column().name();
            if (table.columns().contains(name) && decisions.decide(dropped)) {
                return alter(id, change, c -> definitions.dropColumn(c, table.id(), name), () -> table.columns().remove(name));
            }
        } else if (change instanceof SchemaChange.RenameColumn renamed) {
            String from = renamed.from().name();
            String to = renamed.to().name();
            if (!table.columns().contains(from)) {
                return true;
            }
            if (!decisions.decide(renamed)) {
                table.leftOut().add(to);
                return true;
            }
            String refusal = target.refusedColumnName(to);
            if (refusal != null) {
                stopTable(id, renamed.describe() + ", and " + refusal);
                return false;
            }
            return alter(id, change, c -> definitions.renameColumn(c, table.id(), from, to),
                    () -> table.columns().set(table.columns().indexOf(from), to));
        } else if (change instanceof SchemaChange.ChangeColumnType retyped) {
            String name = retyped.to().name();
            if (!table.columns().contains(name)) {
                return true;
            }
            String from = definitions.types().map(retyped.from(), after.typeSystem(), false).type();
            String to = definitions.types().map(retyped.to(), after.typeSystem(), false).type();
            if (from.equalsIgnoreCase(to) || !decisions.decide(retyped)) {
                return true;
            }
            if (table.keyColumns().contains(name)) {
                stopTable(id, retyped.describe() + "; column " + name + " is part of the key of " + table.id() + ", which the sink does "
                        + "not change in place. Reload the task to include the table again");
                return false;
            }
            if (!TypeChanges.inPlace(from, to)) {
                stopTable(id, retyped.describe() + "; " + target.displayName() + " cannot change column " + name + " of " + table.id()
                        + " from " + from + " to " + to + " in place. Revert the change on the source, or reload the task to include "
                        + "the table again");
                return false;
            }
            return alter(id, change, c -> definitions.changeColumnType(c, table.id(), name, to), () -> { });
        }
        return true;
    }

    /** Runs a column change on the target table through the FE's MySQL protocol; without ddlJdbcUrl the table stops. */
    private boolean alter(TableId id, SchemaChange change, TargetSession.Work statement, Runnable followed) throws SQLException {
        if (ddlJdbcUrl == null || ddlJdbcUrl.isBlank()) {
            stopTable(id, change.describe() + ", and the task has no ddlJdbcUrl to change " + targets.get(id).id() + " the same way; "
                    + "change it there and reload the task to include the table again");
            return false;
        }
        try (Connection c = ddlConnection()) {
            statement.run(c);
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw e; // the FE not reachable: the task stops and starts again, not the table
            }
            stopTable(id, change.describe() + ", and " + target.displayName() + " refused to change " + targets.get(id).id()
                    + " the same way (" + e.getMessage() + "); change it there and reload the task to include the table again");
            return false;
        }
        followed.run();
        LOG.info("Task '{}': {}; {} follows", task, change.describe(), targets.get(id).id());
        return true;
    }

    @Override
    protected void columnsRenamed(TableId table, List<String> pairs) {
        columnRenames.announce(table, pairs);
    }

    private void addColumns(TableId id, Target table, List<String> columns, Map<String, String> rowTypes) throws SQLException {
        List<String> added = new ArrayList<>();
        for (String name : columns) {
            if (!table.columns().contains(name) && !table.leftOut().contains(name)) {
                if (decisions.decide(new SchemaChange.AddColumn(id, new Column(name, rowTypes.getOrDefault(name, "?"), true)))) {
                    added.add(name);
                } else {
                    table.leftOut().add(name);
                }
            }
        }
        if (added.isEmpty()) {
            return;
        }
        if (ddlJdbcUrl == null || ddlJdbcUrl.isBlank()) {
            stopTable(id, "columns " + added + " were added to " + id + " on the source, and the task has no ddlJdbcUrl to add them to "
                    + table.id() + "; add them there and reload the task to include the table again");
            return;
        }
        Optional<TableSchema> catalog = source.tables().stream().filter(t -> t.id().equals(id)).findFirst();
        try (Connection c = ddlConnection()) {
            for (String name : added) {
                Optional<Column> column = catalog.flatMap(t -> t.column(name));
                String sourceType = column.map(Column::sourceType).orElse(rowTypes.get(name));
                TypeSystem typeSystem = catalog.map(TableSchema::typeSystem).orElse(TypeSystem.MYSQL);
                String refusal = target.refusedColumnName(name);
                if (sourceType == null || refusal != null) {
                    stopTable(id, "column " + name + " was added to " + id + ", and " + (refusal != null ? refusal : "its type is unknown"));
                    return;
                }
                String type = definitions.types().map(new Column(name, sourceType, true), typeSystem, false).type();
                // The source's existing rows took the column's default; the target's take the same.
                ColumnFill fill = source.fillOfAddedColumn(id, name);
                String unfillable = unfillableReason(id, name, fill);
                if (unfillable == null && fill.text() != null && definitions.refusedDefault(type) != null) {
                    unfillable = "column " + name + " was added to " + id + " with a default, and " + definitions.refusedDefault(type)
                            + ". Reload the task to include the table again (its rows are copied anew)";
                }
                if (unfillable != null) {
                    stopTable(id, unfillable);
                    return;
                }
                definitions.addColumn(c, table.id(), name, type, StreamLoadTypes.loadText(fill.text(), sourceType, typeSystem));
                table.columns().add(name);
                LOG.info("Task '{}': column {} ({}) added to {} as {}{}", task, name, sourceType, table.id(), type,
                        fill.text() == null ? "" : ", its rows holding the source's default");
            }
        }
    }

    /**
     * TRUNCATE, DROP TABLE or RENAME TABLE of a synced table: the stream load sinks leave the target as it is whatever
     * the policy, which decides whether an alert says so or the task stops.
     */
    @Override
    protected void tableChanged(SchemaChange change) {
        Target mapped = targets.get(change.table());
        if (mapped == null || lifecycle.isStopped(change.table())) {
            return;
        }
        decisions.decide(change, false, mapped.id() + " is left as it is by the stream load sinks (apply it there if wanted)");
    }

    @Override
    protected String targetKind() {
        return "Doris/StarRocks Stream Load";
    }

    @Override
    protected String withoutKeyReason(TableId table) {
        return "table " + table + " has no primary key and is not synced (a " + (target == StreamLoadFlavour.DORIS ? "unique-key"
                : "primary-key") + " table needs one); add one on the source and restart the task to include it";
    }

    /** Stops one table visibly (status, log, alert); the task and its other tables go on. */
    private void stopTable(TableId table, String reason) throws SQLException {
        lifecycle.stop(table, reason);
        LOG.error("Task '{}': table {} is stopped: {}", task, table, reason);
        state.execute(c -> stateSql.saveTableStatus(c, task, table, TableState.STOPPED, reason));
        reportTableStopped(table, reason);
    }

    public void setFlavour(String flavour) {
        this.flavour = flavour;
    }

    public void setLoadUrl(String loadUrl) {
        this.loadUrl = loadUrl;
    }

    public void setDatabase(String database) {
        this.database = database;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public void setDdlJdbcUrl(String ddlJdbcUrl) {
        this.ddlJdbcUrl = ddlJdbcUrl;
    }

    public void setTableProperties(String tableProperties) {
        this.tableProperties = tableProperties;
    }

    public void setMergeOnWrite(boolean mergeOnWrite) {
        this.mergeOnWrite = mergeOnWrite;
    }

    public void setStateJdbcUrl(String stateJdbcUrl) {
        this.stateJdbcUrl = stateJdbcUrl;
    }

    public void setStateUsername(String stateUsername) {
        this.stateUsername = stateUsername;
    }

    public void setStatePassword(String statePassword) {
        this.statePassword = statePassword;
    }

    public void setTargetTable(String targetTable) {
        this.targetTable = targetTable;
    }

    public void setTypeMapping(String typeMapping) {
        this.typeMapping = typeMapping;
    }

    public void setTwoPhaseCommit(boolean twoPhaseCommit) {
        this.twoPhaseCommit = twoPhaseCommit;
    }

    public void setLoadIntervalMs(long loadIntervalMs) {
        this.loadIntervalMs = loadIntervalMs;
    }

    public void setRetrySeconds(long retrySeconds) {
        this.retrySeconds = retrySeconds;
    }

    public void setHttpTimeoutSeconds(int httpTimeoutSeconds) {
        this.httpTimeoutSeconds = httpTimeoutSeconds;
    }

    public void setSchemaChanges(String schemaChanges) {
        this.schemaChanges = schemaChanges;
    }

    public void setDirtyRowLimit(long dirtyRowLimit) {
        this.dirtyRowLimit = dirtyRowLimit;
    }
}
