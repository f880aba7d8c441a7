package routes.change;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One row change in the shape every writer understands, whatever the source.
 *
 * @param table        the source table
 * @param operation    upsert or delete
 * @param keyColumns   the primary-key columns, in key order
 * @param key          the row's key values (for an upsert whose key changed, the new key)
 * @param row          the full new row for an upsert (column -> Java value, see {@link routes.capture.DebeziumValues});
 *                     empty for a delete
 * @param unavailable  columns whose value the source did not send (unchanged TOAST): the target keeps its own
 * @param sequence     arrival order within this run, so writers can tell an older batch from a newer one
 * @param sourceOperation what the source did: a full-load read, or a captured insert, update or delete
 * @param eventTime    when the change happened on the source (its commit time; for a full-load row, when it was read)
 * @param before       the row as it was before an update or delete, when the source sends it (MySQL-family binlogs,
 *                     PostgreSQL with REPLICA IDENTITY FULL; the key alone otherwise)
 * @param position     where the change sits in the source's log (PostgreSQL: an LSN, one per change; MySQL family: a
 *                     binlog place whose position is the transaction's start, so that changes of one transaction share
 *                     it); a full-load row: its table and key
 */
public record ChangeEvent(
        TableId table,
        Operation operation,
        List<String> keyColumns,
        Map<String, Object> key,
        Map<String, Object> row,
        Set<String> unavailable,
        long sequence,
        SourceOperation sourceOperation,
        Instant eventTime,
        RowImage before,
        SourcePosition position) {

    /** Identity of the row for "last change wins": the key values in key order. */
    public List<Object> keyValues() {
        return keyColumns.stream().map(key::get).toList();
    }

    /** The same change carrying another row image. */
    public ChangeEvent withRow(Map<String, Object> newRow) {
        return new ChangeEvent(table, operation, keyColumns, key, newRow, unavailable, sequence, sourceOperation, eventTime,
                before, position);
    }

    /** The same change at a position stated more precisely. */
    public ChangeEvent withPosition(SourcePosition newPosition) {
        return new ChangeEvent(table, operation, keyColumns, key, row, unavailable, sequence, sourceOperation, eventTime, before,
                newPosition);
    }

    /** The position of a row read by the full load: one per table and key, as the full load reads each row once. */
    public static SourcePosition fullLoadPosition(TableId table, Map<String, Object> key) {
        return new SourcePosition.FullLoadRow(table, Arrays.asList(key.values().toArray()));
    }
}
