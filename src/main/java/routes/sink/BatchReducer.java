package routes.sink;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import routes.change.ChangeEvent;
import routes.change.Operation;

/**
 * Reduces a batch to one final change per primary key: the last change wins. A later upsert that lacks a value
 * (unchanged TOAST) takes it from an earlier upsert of the same key in the batch, when there is one.
 */
public final class BatchReducer {

    private BatchReducer() {
    }

    /** The final change of every key, in the order keys were first seen. */
    public static List<ChangeEvent> reduce(List<ChangeEvent> events) {
        Map<List<Object>, ChangeEvent> last = new LinkedHashMap<>();
        for (ChangeEvent event : events) {
            List<Object> key = event.keyValues();
            ChangeEvent previous = last.get(key);
            last.put(key, previous == null ? event : merge(previous, event));
        }
        return new ArrayList<>(last.values());
    }

    private static ChangeEvent merge(ChangeEvent previous, ChangeEvent next) {
        if (next.operation() == Operation.DELETE || next.unavailable().isEmpty() || previous.operation() == Operation.DELETE) {
            return next;
        }
        Map<String, Object> row = new LinkedHashMap<>(next.row());
        Set<String> stillUnavailable = new HashSet<>();
        for (String column : next.unavailable()) {
            if (previous.row().containsKey(column)) {
                row.put(column, previous.row().get(column));
            } else {
                stillUnavailable.add(column);
            }
        }
        return new ChangeEvent(next.table(), next.operation(), next.keyColumns(), next.key(), row,
                Set.copyOf(stillUnavailable), next.sequence(), next.sourceOperation(), next.eventTime(), next.before(),
                next.position());
    }
}
