package routes.change;

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
 */
public record ChangeEvent(
        TableId table,
        Operation operation,
        List<String> keyColumns,
        Map<String, Object> key,
        Map<String, Object> row,
        Set<String> unavailable,
        long sequence) {

    /** Identity of the row for "last change wins": the key values in key order. */
    public List<Object> keyValues() {
        return keyColumns.stream().map(key::get).toList();
    }
}
