package routes.ops.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import routes.change.TableId;
import routes.state.SyncTask;

/**
 * What the API shows of a task and its tables, read from the task registry: camelCase names, times as ISO-8601 UTC.
 * Only what the registry holds, never a task's configuration (its kamelet properties hold passwords).
 */
final class TaskViews {

    private final TaskControl control;

    TaskViews(TaskControl control) {
        this.control = control;
    }

    /** The task: phase, counters, the position last committed with the target's data, the last error. */
    Map<String, Object> task(SyncTask task) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", task.name());
        view.put("phase", control.phase(task).name());
        view.put("lastError", task.failure());
        view.put("stoppedAt", time(control.stoppedAt(task)));
        view.put("rowsRead", task.rowsRead());
        view.put("rowsWritten", task.rowsWritten());
        view.put("rowsRefused", task.rowsRefused());
        view.put("position", task.position());
        view.put("positionTime", time(task.positionTime()));
        view.put("committedAt", time(task.committedAt()));
        Duration latency = task.commitLatency();
        view.put("commitLatencySeconds", latency == null ? null : latency.toMillis() / 1000.0);
        Map<String, Integer> states = new LinkedHashMap<>();
        task.tables().values().forEach(status -> states.merge(status.state().name(), 1, Integer::sum));
        view.put("tableStates", states);
        return view;
    }

    /** Every table of the task, in name order. */
    List<Map<String, Object>> tables(SyncTask task) {
        List<Map<String, Object>> views = new ArrayList<>();
        Map<TableId, SyncTask.TableLoad> loads = task.loads();
        task.tables().forEach((table, status) -> views.add(table(table, status, loads.get(table))));
        loads.forEach((table, load) -> {
            if (!task.tables().containsKey(table)) {
                views.add(table(table, null, load));
            }
        });
        return views;
    }

    /** One table: state, why, since when, and its chunked full load when it has one this run. */
    Map<String, Object> table(TableId table, SyncTask.TableStatus status, SyncTask.TableLoad load) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("table", table.toString());
        view.put("schema", table.schema());
        view.put("name", table.table());
        view.put("state", status == null ? null : status.state().name());
        view.put("reason", status == null ? null : status.reason());
        view.put("since", status == null ? null : time(status.since()));
        if (load != null) {
            Map<String, Object> fullLoad = new LinkedHashMap<>();
            fullLoad.put("chunks", load.chunks());
            fullLoad.put("chunksDone", load.chunksDone());
            fullLoad.put("rowsCopied", load.rowsCopied());
            fullLoad.put("done", load.done());
            view.put("fullLoad", fullLoad);
        }
        return view;
    }

    /**
     * The table a path names: {@code schema.table} (or {@code database.table}) exactly as the source spells both,
     * or with either part in double quotes ({@code "public"."Order Items"}); null when the task has no such table.
     */
    static TableId find(SyncTask task, String name) {
        List<TableId> known = new ArrayList<>(task.tables().keySet());
        known.addAll(task.loads().keySet());
        for (TableId table : known) {
            if (table.toString().equals(name) || quoted(table).equals(name)) {
                return table;
            }
        }
        return null;
    }

    private static String quoted(TableId table) {
        return "\"" + table.schema().replace("\"", "\"\"") + "\".\"" + table.table().replace("\"", "\"\"") + "\"";
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
