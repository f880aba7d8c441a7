package routes.ops.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

import com.fasterxml.jackson.databind.JsonNode;

import routes.alerting.AlertHistory;
import routes.alerting.AlertRouting;
import routes.capture.ChosenStart;
import routes.capture.StartPoints;
import routes.change.TableId;
import routes.ops.TaskProblem;
import routes.state.ColumnMapping;
import routes.state.StartPosition;
import routes.state.SyncTask;
import routes.state.TaskPhase;
import routes.state.TableOperationRefused;
import routes.state.TaskRegistry;
import routes.state.TaskSink;

/** What each /api/tasks call does, read from (and, for stop and start, done through) the context's task registry. */
final class TaskEndpoints {

    private final CamelContext context;
    private final TaskRegistry registry;
    private final TaskControl control;
    private final TaskViews views;
    private final TaskHistory history;
    private final TaskConfiguration configuration;

    TaskEndpoints(CamelContext context, TaskHistory history) {
        this.context = context;
        this.registry = TaskRegistry.of(context);
        this.control = TaskControl.of(context);
        this.views = new TaskViews(control);
        this.history = history;
        this.configuration = new TaskConfiguration(context);
    }

    /** GET /api/tasks */
    void tasks(Exchange exchange) {
        List<Map<String, Object>> tasks = new ArrayList<>();
        registry.tasks().values().forEach(task -> tasks.add(views.task(task)));
        ApiResponses.json(exchange, 200, tasks);
    }

    /** GET /api/tasks/{task} */
    void task(Exchange exchange) {
        SyncTask task = named(exchange);
        if (task != null) {
            ApiResponses.json(exchange, 200, views.task(task));
        }
    }

    /** GET /api/tasks/{task}/tables */
    void tables(Exchange exchange) {
        SyncTask task = named(exchange);
        if (task != null) {
            ApiResponses.json(exchange, 200, views.tables(task));
        }
    }

    /** GET /api/tasks/{task}/tables/{table} */
    void table(Exchange exchange) {
        SyncTask task = named(exchange);
        if (task == null) {
            return;
        }
        TableId table = namedTable(exchange, task);
        if (table == null) {
            return;
        }
        ApiResponses.json(exchange, 200, views.table(task, table));
    }

    /** GET /api/tasks/{task}/history?minutes=60: the task's points of the last minutes (at most 60), every 10 s. */
    void history(Exchange exchange) {
        SyncTask task = named(exchange);
        Integer minutes = task == null ? null : minutes(exchange);
        if (minutes != null) {
            ApiResponses.json(exchange, 200, history.task(task.name(), minutes, Instant.now()));
        }
    }

    /** GET /api/tasks/{task}/tables/{table}/history?minutes=60: the table's latency and rows written, every 10 s. */
    void tableHistory(Exchange exchange) {
        SyncTask task = named(exchange);
        TableId table = task == null ? null : namedTable(exchange, task);
        Integer minutes = table == null ? null : minutes(exchange);
        if (minutes != null) {
            ApiResponses.json(exchange, 200, history.table(task.name(), table, minutes, Instant.now()));
        }
    }

    /** GET /api/tasks/{task}/tables/{table}/schema-changes: its last 100 schema changes and their outcome, oldest first. */
    void schemaChanges(Exchange exchange) {
        SyncTask task = named(exchange);
        TableId table = task == null ? null : namedTable(exchange, task);
        if (table != null) {
            List<Map<String, Object>> changes = new ArrayList<>();
            for (SyncTask.SchemaChangeRecord change : task.schemaChanges(table.toString())) {
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("at", change.at().toString());
                view.put("kind", change.kind());
                view.put("description", change.description());
                view.put("policy", change.policy());
                view.put("outcome", change.outcome());
                changes.add(view);
            }
            ApiResponses.json(exchange, 200, changes);
        }
    }

    /** GET /api/tasks/{task}/tables/{table}/refused: the last 100 rows the target refused, oldest first. */
    void refused(Exchange exchange) {
        SyncTask task = named(exchange);
        TableId table = task == null ? null : namedTable(exchange, task);
        if (table != null) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (SyncTask.RefusedRow row : task.refusedRows(table.toString())) {
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("at", row.at().toString());
                view.put("reason", row.reason());
                view.put("key", row.key());
                view.put("row", row.row());
                rows.add(view);
            }
            ApiResponses.json(exchange, 200, rows);
        }
    }

    /** GET /api/tasks/{task}/tables/{table}/mapping: each column's source and target name and type. */
    void mapping(Exchange exchange) {
        SyncTask task = named(exchange);
        TableId table = task == null ? null : namedTable(exchange, task);
        if (table == null) {
            return;
        }
        TaskSink sink;
        try {
            sink = task.awaitWriter(1);
        } catch (TimeoutException e) {
            ApiResponses.message(exchange, 409, "task '" + task.name() + "' is " + control.phase(task)
                    + ": its column mapping is known while its writer runs (POST /api/tasks/" + task.name() + "/start)");
            return;
        }
        List<ColumnMapping> mapping = sink.columnMapping(table);
        if (mapping == null) {
            ApiResponses.message(exchange, 409, "task '" + task.name() + "' writes no column mapping of table " + table + " to show: "
                    + "the table is not synced (GET /api/tasks/" + task.name() + "/tables says why), or the task's target ("
                    + sink.describeTarget() + ") does not tell");
            return;
        }
        List<Map<String, Object>> columns = new ArrayList<>();
        for (ColumnMapping column : mapping) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("sourceColumn", column.sourceColumn());
            view.put("sourceType", column.sourceType());
            view.put("targetColumn", column.targetColumn());
            view.put("targetType", column.targetType());
            columns.add(view);
        }
        ApiResponses.json(exchange, 200, columns);
    }

    /** GET /api/tasks/{task}/configuration: the task's YAML with every secret masked. */
    void configuration(Exchange exchange) throws Exception {
        SyncTask task = named(exchange);
        if (task == null) {
            return;
        }
        Map<String, Object> yaml = configuration.of(task);
        if (yaml == null) {
            ApiResponses.message(exchange, 404, "task '" + task.name() + "' was not loaded from a YAML file (its routes were added in code)");
            return;
        }
        ApiResponses.json(exchange, 200, yaml);
    }

    /** The minutes query parameter: 60 when absent, at most 60; null after answering 400 when it is no number. */
    private static Integer minutes(Exchange exchange) {
        String given = exchange.getMessage().getHeader("minutes", String.class);
        if (given == null || given.isBlank()) {
            return 60;
        }
        try {
            int minutes = Integer.parseInt(given.strip());
            if (minutes >= 1) {
                return Math.min(minutes, TaskHistory.POINTS * TaskHistory.INTERVAL_SECONDS / 60);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        ApiResponses.message(exchange, 400, "minutes=" + given + " is not a number of minutes: give 1 to 60 (the history holds the last hour)");
        return null;
    }

    /** GET /api/tasks/{task}/alerts: what the alert rules sent for it, from their history files (routes.alerting). */
    void alerts(Exchange exchange) {
        SyncTask task = named(exchange);
        if (task != null) {
            ApiResponses.json(exchange, 200, AlertHistory.sent(context, task.name()));
        }
    }

    /** GET /api/tasks/{task}/alert-rules: each rule of the rule sets that speak of the task, as configured. */
    void alertRules(Exchange exchange) {
        SyncTask task = named(exchange);
        if (task != null) {
            ApiResponses.json(exchange, 200, AlertRouting.configuredRules(context, task.name()));
        }
    }

    /** POST /api/tasks/{task}/stop: stops its capture; committed work stays, the source keeps what follows. */
    void stop(Exchange exchange) throws Exception {
        SyncTask task = named(exchange);
        if (task == null) {
            return;
        }
        if (task.phase() == TaskPhase.FAILED) {
            ApiResponses.message(exchange, 409, "task '" + task.name() + "' already stopped on an error: " + task.failure());
            return;
        }
        control.stop(task);
        ApiResponses.json(exchange, 200, views.task(task));
    }

    /**
     * POST /api/tasks/{task}/start: starts a stopped task again from its committed position, or with {"from": X} from
     * the position X names (docs/start-positions.md): 400 when X is malformed or for the other kind of source, 409
     * when the source no longer holds it; nothing is written then.
     */
    void start(Exchange exchange) throws Exception {
        SyncTask task = named(exchange);
        if (task == null) {
            return;
        }
        String body = exchange.getMessage().getBody(String.class);
        StartPosition from = null;
        if (body != null && !body.isBlank()) {
            JsonNode request;
            try {
                request = ApiResponses.mapper().readTree(body);
            } catch (Exception e) {
                ApiResponses.message(exchange, 400, "the body is not JSON: send none (or {}) to start from the committed position, "
                        + "or {\"from\": \"latest\"}");
                return;
            }
            if (request.has("from")) {
                try {
                    from = StartPosition.parse(request.get("from").asText());
                } catch (IllegalArgumentException e) {
                    ApiResponses.message(exchange, 400, e.getMessage());
                    return;
                }
            }
        }
        if (task.phase() == TaskPhase.FAILED) {
            ApiResponses.message(exchange, 409, "task '" + task.name() + "' stopped on an error (" + task.failure()
                    + "): fix it, then run the task again");
            return;
        }
        if (control.phase(task) != TaskPhase.STOPPED) {
            ApiResponses.message(exchange, 409, "task '" + task.name() + "' is running (" + control.phase(task) + "): stop it first");
            return;
        }
        if (from != null) {
            try {
                ChosenStart.check(new StartPosition.Request(from, false), task.captureSettings(), task.name());
            } catch (TaskProblem problem) {
                ApiResponses.message(exchange, from.suits(StartPoints.isPostgres(task.captureSettings())) ? 409 : 400, problem.getMessage());
                return;
            }
            task.startFrom(new StartPosition.Request(from, false));
        }
        control.start(task);
        ApiResponses.json(exchange, 200, views.task(task));
    }

    /**
     * POST /api/tasks/{task}/tables/{table}/{operation}: pause, resume, resync, backfill (body {"where": ...}),
     * prioritize or cancel one table (docs/table-operations.md). 202 once the operation is recorded (a resync or
     * backfill then runs on), 409 with the reason when the table's state or the target refuses it.
     */
    void tableOperation(Exchange exchange, String operation) throws Exception {
        SyncTask task = named(exchange);
        if (task == null) {
            return;
        }
        TableId table = namedTable(exchange, task);
        if (table == null) {
            return;
        }
        String where = null;
        if (operation.equals("backfill")) {
            where = whereOf(exchange.getMessage().getBody(String.class));
            if (where == null) {
                ApiResponses.message(exchange, 400, "a backfill needs a body {\"where\": \"condition on the source table\"}, "
                        + "e.g. {\"where\": \"id BETWEEN 100 AND 200\"}");
                return;
            }
        }
        if (control.phase(task) != TaskPhase.STREAMING && control.phase(task) != TaskPhase.FULL_LOAD) {
            ApiResponses.message(exchange, 409, "task '" + task.name() + "' is " + control.phase(task)
                    + ": table operations need a running task (POST /api/tasks/" + task.name() + "/start)");
            return;
        }
        TaskSink sink = task.awaitWriter(5);
        try {
            switch (operation) {
                case "pause" -> sink.pause(table);
                case "resume" -> sink.resume(table);
                case "resync" -> sink.resync(table);
                case "backfill" -> sink.backfill(table, where);
                case "prioritize" -> sink.prioritize(table);
                case "cancel" -> sink.cancel(table);
                default -> throw new IllegalArgumentException("unknown table operation " + operation);
            }
        } catch (TableOperationRefused refused) {
            ApiResponses.message(exchange, 409, refused.getMessage());
            return;
        }
        ApiResponses.json(exchange, 202, views.table(task, table));
    }

    /** The backfill's filter from its JSON body, or null when there is none. */
    private static String whereOf(String body) {
        try {
            JsonNode where = body == null || body.isBlank() ? null : ApiResponses.mapper().readTree(body).get("where");
            return where == null || !where.isTextual() || where.asText().isBlank() ? null : where.asText();
        } catch (Exception e) {
            return null;
        }
    }

    /** The task's table the path names; null after answering 404 when there is none. */
    private static TableId namedTable(Exchange exchange, SyncTask task) {
        String name = exchange.getMessage().getHeader("table", String.class);
        TableId table = TaskViews.find(task, name);
        if (table == null) {
            ApiResponses.message(exchange, 404, "task '" + task.name() + "' has no table '" + name
                    + "': name it as schema.table (or database.table), as GET /api/tasks/" + task.name() + "/tables lists it");
        }
        return table;
    }

    /** The task the path names; null after answering 404 when there is none. */
    private SyncTask named(Exchange exchange) {
        String name = exchange.getMessage().getHeader("task", String.class);
        SyncTask task = name == null ? null : registry.find(name);
        if (task == null) {
            ApiResponses.message(exchange, 404, "no task '" + name + "' in this process (tasks: "
                    + String.join(", ", registry.tasks().keySet()) + ")");
        }
        return task;
    }
}
