package routes.sink;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import routes.capture.SourceDatabase;
import routes.change.ChangeBatch;
import routes.change.ChangeEvent;
import routes.change.SourcePosition;
import routes.change.TableId;
import routes.schema.TableSchema;

/**
 * The jdbc-append-log-sink's target: every change appended as rows of its table's log ({@link AppendLog}), never
 * updated or deleted. The log keeps history: dropped columns and tables stay, a renamed column is added beside the
 * old, and in the JSON format column changes and truncates become rows of the log themselves.
 */
public class AppendLogWriter extends JdbcWriter {

    private String appendLogFormat = "flattened";
    private AppendLog appendLog;
    private final Map<TableId, BigDecimal> appendedAtStart = new HashMap<>();
    /** Source tables by their header text, for {@link #hasAppended}, which runs for every change. */
    private final Map<String, MappedTable> tablesByName = new HashMap<>();
    /** The binlog transaction the saved position is in, for {@link #nextOrdinalOf}. */
    private SourcePosition.Binlog resumedTransaction;

    /** Called by Camel once the properties are set. */
    @Override
    public void start() {
        appendLog = new AppendLog(appendLogFormat, sourceName == null || sourceName.isBlank() ? task : sourceName);
        super.start();
    }

    @Override
    protected Map<String, String> prepareTask(SourceDatabase source, boolean fullLoadWanted) throws Exception {
        Map<String, String> offsets = super.prepareTask(source, fullLoadWanted);
        resumedTransaction = binlogTransaction(offsets);
        return offsets;
    }

    /** The binlog transaction a saved MySQL-family position points into, or null. */
    private static SourcePosition.Binlog binlogTransaction(Map<String, String> offsets) {
        for (String value : offsets.values()) {
            try {
                Object offset = new com.fasterxml.jackson.databind.ObjectMapper().readValue(value, Object.class);
                SourcePosition.Binlog binlog = offset instanceof Map<?, ?> fields ? SourcePosition.ofBinlogOffset(fields) : null;
                if (binlog != null) {
                    return binlog;
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // not a JSON offset: not a binlog position
            }
        }
        return null;
    }


    /**
     * The log orders and deduplicates its rows by the source position of their change, and rows read from a table now
     * have none; nor may a log's rows be replaced or merged (docs/table-operations.md).
     */
    @Override
    String reloadRefused(Reload reload) {
        return "the append log keeps every change at its source position and never replaces rows, so it has no place for "
                + "rows re-read from the table (a full load, --start-from initial, logs every table's rows anew after emptying the logs)";
    }

    @Override
    boolean keepsHistory() {
        return true;
    }

    @Override
    TableSchema shapeOf(TableSchema target) {
        return appendLog.tableOf(target);
    }

    /** Only changes up to the newest the log held at the start can be delivered again: that id is remembered. */
    @Override
    void tableOpened(java.sql.Connection c, TableId target) throws SQLException {
        BigDecimal newest = sql.maxOf(c, target, AppendLog.SEQUENCE_ID, null, null);
        if (newest != null) {
            appendedAtStart.put(target, newest);
        }
    }

    /** Every change of the batch as its log entries. */
    @Override
    List<ChangeEvent> rowsOf(ChangeBatch batch) {
        return appendLog.entries(batch.events(), source);
    }

    /** The log's JSON column holds any structure: column changes become a row of the log instead. */
    @Override
    boolean columnChangesLogged(MappedTable mapped, TableId table, List<SchemaChange> changes, SourcePosition position)
            throws SQLException {
        if (appendLog.format() != AppendLog.Format.JSON) {
            return false;
        }
        if (!changes.isEmpty()) {
            appendStatement(mapped, table, "ALTER", String.join("; ", changes.stream().map(ColumnChanges::statement).toList()), position);
        }
        return true;
    }

    /** A TRUNCATE is a row of the log; the rows before it stay. */
    @Override
    boolean truncateLogged(MappedTable mapped, TableId table) throws SQLException {
        appendStatement(mapped, table, "TRUNCATE", "TRUNCATE TABLE " + table, null);
        return true;
    }

    @Override
    void tableForgotten(TableId table) {
        tablesByName.clear();
    }

    /**
     * Appends a schema statement of the source to its table's log (its text in the JSON format only); {@code position}
     * is the first row showing a column change, null for a statement without a row.
     */
    private void appendStatement(MappedTable mapped, TableId table, String kind, String ddl, SourcePosition position) throws SQLException {
        ChangeEvent row = appendLog.statement(table, source, kind, ddl, position);
        if (appendLog.format() == AppendLog.Format.FLATTENED) {
            row.row().remove("ddl_sql");
        }
        session.execute(c -> writeChanges(c, mapped, table, List.of(row)));
    }

    /**
     * Whether the target holds the rows of a change already ({@code position|source table}, see
     * {@link AppendLogPositions}). Only changes at or below the newest id the target had when the task started can be
     * there, so only those are looked up.
     */
    public synchronized boolean hasAppended(String key) {
        int bar = key.indexOf('|');
        SourcePosition position = SourcePosition.parse(key.substring(0, bar));
        String table = key.substring(bar + 1);
        if (appendedAtStart.isEmpty() || AppendLog.logPlace(position) == null) {
            return false; // nothing was in the log when the task started: nothing can be delivered again
        }
        MappedTable mapped = tablesByName.computeIfAbsent(table, name -> tables.entrySet().stream()
                .filter(e -> e.getKey().toString().equals(name)).map(Map.Entry::getValue).findFirst().orElse(null));
        if (mapped == null) {
            return false;
        }
        TableId target = mapped.target().id();
        java.math.BigDecimal before = AppendLog.sequenceOf(position, 0, AppendLog.BEFORE);
        java.math.BigDecimal after = AppendLog.sequenceOf(position, 0, AppendLog.AFTER);
        java.math.BigDecimal newestAtStart = appendedAtStart.get(target);
        if (newestAtStart == null || before.compareTo(newestAtStart) > 0) {
            return false;
        }
        boolean[] found = {false};
        try {
            session.query(c -> found[0] = sql.holdsAny(c, target, AppendLog.SEQUENCE_ID, List.of(before, after)));
        } catch (SQLException e) {
            fail(e);
            throw new IllegalStateException(e);
        }
        return found[0];
    }

    /**
     * The number the next change of a binlog transaction gets in the append log ({@link TransactionOrdinals}): 0,
     * except for the transaction the task stopped in, whose numbering goes on after the highest the target holds.
     */
    public synchronized long nextOrdinalOf(SourcePosition.Binlog transaction) {
        if (!transaction.sameTransaction(resumedTransaction)) {
            return 0;
        }
        java.math.BigInteger first = AppendLog.logPlace(transaction.withOrdinal(0));
        java.math.BigInteger next = AppendLog.logPlace(new SourcePosition.Binlog(transaction.file(), transaction.position() + 1, null, 0));
        long[] ordinal = {0};
        try {
            session.query(c -> {
                for (TargetTable target : targets.values()) {
                    java.math.BigDecimal held = sql.maxOf(c, target.id(), AppendLog.SEQUENCE_ID, new java.math.BigDecimal(first.shiftLeft(2)),
                            new java.math.BigDecimal(next.shiftLeft(2)));
                    if (held != null) {
                        ordinal[0] = Math.max(ordinal[0], held.toBigInteger().shiftRight(2).subtract(first).longValueExact() + 1);
                    }
                }
            });
        } catch (SQLException e) {
            fail(e);
            throw new IllegalStateException(e);
        }
        return ordinal[0];
    }

    public void setAppendLogFormat(String appendLogFormat) {
        this.appendLogFormat = appendLogFormat;
    }
}
