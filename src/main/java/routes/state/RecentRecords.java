package routes.state;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The most recent records of each table of a task, oldest first: at most {@code perTable} per table and
 * {@code perTask} over all tables (past those the oldest go), so that a task of 1,000 tables holds a bounded amount
 * whatever happens. For the API's per-table histories; never on the per-row path.
 */
final class RecentRecords<T> {

    private final int perTable;
    private final int perTask;
    private final Map<String, ArrayDeque<T>> byTable = new HashMap<>();
    /** The table of every record held, in arrival order: where the task-wide oldest is. */
    private final ArrayDeque<String> arrivals = new ArrayDeque<>();

    RecentRecords(int perTable, int perTask) {
        this.perTable = perTable;
        this.perTask = perTask;
    }

    synchronized void add(String table, T record) {
        ArrayDeque<T> records = byTable.computeIfAbsent(table, t -> new ArrayDeque<>());
        records.addLast(record);
        arrivals.addLast(table);
        if (records.size() > perTable) {
            records.removeFirst();
            arrivals.removeFirstOccurrence(table);
        }
        if (arrivals.size() > perTask) {
            String oldest = arrivals.removeFirst();
            ArrayDeque<T> ofOldest = byTable.get(oldest);
            ofOldest.removeFirst();
            if (ofOldest.isEmpty()) {
                byTable.remove(oldest);
            }
        }
    }

    /** The table's records held, oldest first. */
    synchronized List<T> of(String table) {
        ArrayDeque<T> records = byTable.get(table);
        return records == null ? List.of() : List.copyOf(records);
    }
}
