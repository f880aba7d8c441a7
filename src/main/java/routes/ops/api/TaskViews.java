package routes.ops.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import routes.change.TableId;
import routes.state.SyncTask;
import routes.state.TableState;

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
        view.put("commitLatencySeconds", seconds(task.commitLatency()));
        Map<String, Integer> states = new LinkedHashMap<>();
        task.tables().values().forEach(status -> states.merge(status.state().name(), 1, Integer::sum));
        view.put("tableStates", states);
        return view;
    }

    /** Every table of the task, in name order (one pass over the registry's maps: 1,000 tables stay quick). */
    List<Map<String, Object>> tables(SyncTask task) {
        List<Map<String, Object>> views = new ArrayList<>();
        Map<TableId, SyncTask.TableStatus> tables = task.tables();
        Map<TableId, SyncTask.TableLoad> loads = task.loads();
        tables.forEach((table, status) -> views.add(table(task, table, status, loads.get(table))));
        loads.forEach((table, load) -> {
            if (!tables.containsKey(table)) {
                views.add(table(task, table, null, load));
            }
        });
        return views;
    }

    /** One table of the task as the registry holds it. */
    Map<String, Object> table(SyncTask task, TableId table) {
        return table(task, table, task.tableStatus(table), task.load(table));
    }

    /**
     * One table: state, why, since when, its row counts this run, its last commit (position, source time, latency),
     * and its chunked full load when it has one this run. Read from the registry's counters: nothing is computed on the
     * data path for it.
     */
    Map<String, Object> table(SyncTask task, TableId table, SyncTask.TableStatus status, SyncTask.TableLoad load) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("table", table.toString());
        view.put("schema", table.schema());
        view.put("name", table.table());
        view.put("state", status == null ? null : status.state().name());
        view.put("reason", status == null ? null : status.reason());
        view.put("since", status == null ? null : time(status.since()));
        boolean stopped = status != null && (status.state() == TableState.STOPPED || status.state() == TableState.TASK_STOPPED);
        view.put("lastError", stopped ? status.reason() : null);
        SyncTask.TableCounters counters = task.countersOf(table);
        SyncTask.TableCommit last = counters == null ? null : counters.lastCommit();
        view.put("rowsWritten", counters == null ? 0 : counters.written());
        view.put("rowsRefused", counters == null ? 0 : counters.refused());
        view.put("commitLatencySeconds", last == null ? null : seconds(last.commitLatency()));
        view.put("position", last == null ? null : last.position());
        view.put("positionTime", last == null ? null : time(last.positionTime()));
        view.put("updatedAt", last == null ? null : time(last.updatedAt()));
        if (load != null) {
            Map<String, Object> fullLoad = new LinkedHashMap<>();
            fullLoad.put("chunks", load.chunks());
            fullLoad.put("chunksDone", load.chunksDone());
            fullLoad.put("rowsCopied", load.rowsCopied());
            fullLoad.put("rowsTotal", task.loadEstimate(table));
            fullLoad.put("etaSeconds", task.loadSecondsLeft(table));
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

    static Double seconds(Duration duration) {
        return duration == null ? null : duration.toMillis() / 1000.0;
    }

    static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
