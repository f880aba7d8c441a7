package routes.sink;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import routes.capture.DebeziumValues.JsonText;
import routes.capture.SourceDatabase;
import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.RowImage;
import routes.change.SourceOperation;
import routes.change.SourcePosition;
import routes.change.TableId;
import routes.schema.Column;
import routes.schema.TableSchema;

/**
 * The append-log write mode: every source change becomes rows appended to the target table, in the append log table
 * format of real-time synchronization products (sequence_id, operation_type, execute_time, before_image, after_image,
 * src_datasource, src_database, src_table, then the source columns flattened, or merged into one JSON column).
 *
 * <p>An insert appends its after image, a delete its before image, an update its before image (when the source sends
 * one: MySQL-family binlogs, PostgreSQL tables with REPLICA IDENTITY FULL) and its after image. {@code sequence_id}
 * is the change's place in the source log (PostgreSQL: its LSN; MySQL family: binlog file number, transaction position
 * and the change's number in the transaction) times four, plus 1 for a before image and 2 for an after image: a replayed change gets the same id, which is
 * the table's primary key, so it is written once whatever the replays. Full-load rows are appended as inserts numbered
 * in the order they were read, below every log position.
 */
public final class AppendLog {

    /** How the source columns are kept. */
    public enum Format {
        /** One target column per source column, as the source has them. */
        FLATTENED,
        /** All source columns in one JSON column, data_columns, next to ddl_sql for schema statements. */
        JSON;

        static Format parse(String text) {
            return switch (text == null || text.isBlank() ? "flattened" : text.toLowerCase(Locale.ROOT)) {
                case "flattened" -> FLATTENED;
                case "json" -> JSON;
                default -> throw new IllegalArgumentException("appendLogFormat must be flattened or json, not '" + text + "'");
            };
        }
    }

    static final String SEQUENCE_ID = "sequence_id";
    static final List<String> KEY = List.of(SEQUENCE_ID);
    /**
     * The four ids of a log place, in order: a column change the row is the first to show, the row's before image,
     * its after image, a statement that came after it (TRUNCATE).
     */
    static final int STATEMENT_AT_ROW = 0;
    static final int BEFORE = 1;
    static final int AFTER = 2;
    static final int STATEMENT_AFTER_ROW = 3;

    private final Format format;
    private final String sourceName;
    /** The newest log place seen this run, after which statements are numbered. */
    private BigInteger latest = BigInteger.ZERO;

    AppendLog(String format, String sourceName) {
        this.format = Format.parse(format);
        this.sourceName = sourceName;
    }

    Format format() {
        return format;
    }

    /** The target table of a source table: the log's own columns, then the source's (all nullable), keyed by sequence_id. */
    TableSchema tableOf(TableSchema source) {
        boolean postgres = TableSchema.POSTGRESQL.equals(source.typeSystem());
        String name = postgres ? "text" : "varchar(255)";
        List<Column> columns = new ArrayList<>(List.of(
                new Column(SEQUENCE_ID, postgres ? "numeric(38,0)" : "decimal(38,0)", false),
                new Column("operation_type", postgres ? "character varying(16)" : "varchar(16)", false),
                new Column("execute_time", postgres ? "timestamp(3) with time zone" : "timestamp(3)", true),
                new Column("before_image", postgres ? "character(1)" : "char(1)", false),
                new Column("after_image", postgres ? "character(1)" : "char(1)", false),
                new Column("src_datasource", name, true),
                new Column("src_database", name, true),
                new Column("src_table", name, true)));
        if (format == Format.JSON) {
            columns.add(new Column("ddl_sql", postgres ? "text" : "longtext", true));
            columns.add(new Column("data_columns", "json", true));
        } else {
            source.columns().forEach(c -> columns.add(new Column(c.name(), c.sourceType(), true)));
        }
        return new TableSchema(source.id(), List.copyOf(columns), KEY, source.typeSystem());
    }

    /** The rows a batch of source changes appends, each an upsert keyed by its sequence_id. */
    List<ChangeEvent> entries(List<ChangeEvent> changes, SourceDatabase source) {
        List<ChangeEvent> entries = new ArrayList<>(changes.size() * 2);
        for (ChangeEvent change : changes) {
            String operation = switch (change.sourceOperation()) {
                case FULL_LOAD, INSERT -> "I";
                case UPDATE -> "U";
                case DELETE -> "D";
            };
            Map<String, Object> before = change.before().values();
            if (change.operation() == Operation.DELETE) {
                entries.add(entry(change, source, operation, false, before.isEmpty() ? change.key() : before));
            } else {
                if (change.sourceOperation() == SourceOperation.UPDATE && !before.isEmpty()) {
                    entries.add(entry(change, source, operation, false, before));
                }
                entries.add(entry(change, source, operation, true, change.row()));
            }
        }
        return entries;
    }

    /**
     * A schema statement of the source as a row of its own (operation_type ALTER, TRUNCATE, ...; ddl_sql in the JSON
     * format). A column change is numbered by the first row showing it ({@code position}); a statement without a row
     * (TRUNCATE) is numbered after the newest change of this run.
     */
    ChangeEvent statement(TableId table, SourceDatabase source, String kind, String ddl, SourcePosition position) {
        BigDecimal id = position != null && logPlace(position) != null ? sequenceOf(position, 0, STATEMENT_AT_ROW)
                : new BigDecimal(latest.shiftLeft(2).add(BigInteger.valueOf(STATEMENT_AFTER_ROW)));
        Map<String, Object> row = header(id, kind, OffsetDateTime.now(ZoneOffset.UTC), false, false, table, source);
        row.put("ddl_sql", ddl);
        return new ChangeEvent(table, Operation.UPSERT, KEY, Map.of(SEQUENCE_ID, id), row, java.util.Set.of(),
                0, SourceOperation.UPDATE, java.time.Instant.now(), RowImage.NONE, new SourcePosition.Marker("statement:" + id));
    }

    private ChangeEvent entry(ChangeEvent change, SourceDatabase source, String operation, boolean after, Map<String, Object> image) {
        BigInteger place = logPlace(change.position());
        if (place != null && place.compareTo(latest) > 0) {
            latest = place;
        }
        BigDecimal id = sequenceOf(change.position(), change.sequence(), after ? AFTER : BEFORE);
        Map<String, Object> row = header(id, operation, OffsetDateTime.ofInstant(change.eventTime(), ZoneOffset.UTC), !after, after,
                change.table(), source);
        if (format == Format.JSON) {
            row.put("data_columns", new JsonText(DirtyRowStore.json(image)));
        } else {
            row.putAll(image);
        }
        return new ChangeEvent(change.table(), Operation.UPSERT, KEY, Map.of(SEQUENCE_ID, id), row, java.util.Set.of(),
                change.sequence(), change.sourceOperation(), change.eventTime(), RowImage.NONE, change.position());
    }

    private Map<String, Object> header(BigDecimal id, String operation, OffsetDateTime time, boolean beforeImage, boolean afterImage,
            TableId table, SourceDatabase source) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(SEQUENCE_ID, id);
        row.put("operation_type", operation);
        row.put("execute_time", time);
        row.put("before_image", beforeImage ? "Y" : "N");
        row.put("after_image", afterImage ? "Y" : "N");
        row.put("src_datasource", sourceName);
        row.put("src_database", source.databaseOf(table));
        row.put("src_table", table.table());
        return row;
    }

    /**
     * The sequence_id of one row: the change's log place times four plus its slot. A full-load row has no log place:
     * its arrival number is used, below every place of the log.
     */
    static BigDecimal sequenceOf(SourcePosition position, long arrival, int slot) {
        BigInteger place = logPlace(position);
        if (place == null) {
            place = BigInteger.valueOf(arrival);
        }
        return new BigDecimal(place.shiftLeft(2).add(BigInteger.valueOf(slot)));
    }

    /**
     * The place of a change in the source log as one number, or null for a full-load row. PostgreSQL: the LSN.
     * MySQL family: the binlog file's number, then its transaction's position (below 2^32: binlog files stop at
     * 1 GiB) and the change's number within the transaction ({@link TransactionOrdinals}, below 2^32), so that
     * numbers grow with the log.
     */
    static BigInteger logPlace(SourcePosition position) {
        if (position instanceof SourcePosition.Lsn lsn) {
            return BigInteger.valueOf(lsn.value()).add(BigInteger.ONE.shiftLeft(40));
        }
        if (position instanceof SourcePosition.Binlog binlog) {
            return BigInteger.valueOf(binlog.fileNumber()).shiftLeft(32).add(BigInteger.valueOf(binlog.position())).shiftLeft(32)
                    .add(BigInteger.valueOf(binlog.ordinal())).add(BigInteger.ONE.shiftLeft(40));
        }
        return null;
    }
}
