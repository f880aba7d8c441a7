package routes.ops.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

import com.fasterxml.jackson.databind.JsonNode;

import routes.change.TableId;
import routes.state.SyncTask;
import routes.state.TaskPhase;
import routes.state.TaskRegistry;

/** What each /api/tasks call does, read from (and, for stop and start, done through) the context's task registry. */
final class TaskEndpoints {

    private final TaskRegistry registry;
    private final TaskControl control;
    private final TaskViews views;

    TaskEndpoints(CamelContext context) {
        this.registry = TaskRegistry.of(context);
        this.control = TaskControl.of(context);
        this.views = new TaskViews(control);
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
        String name = exchange.getMessage().getHeader("table", String.class);
        TableId table = TaskViews.find(task, name);
        if (table == null) {
            ApiResponses.message(exchange, 404, "task '" + task.name() + "' has no table '" + name
                    + "': name it as schema.table (or database.table), as GET /api/tasks/" + task.name() + "/tables lists it");
            return;
        }
        ApiResponses.json(exchange, 200, views.table(table, task.tables().get(table), task.loads().get(table)));
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

    /** POST /api/tasks/{task}/start: starts a stopped task again from its committed position. */
    void start(Exchange exchange) throws Exception {
        SyncTask task = named(exchange);
        if (task == null) {
            return;
        }
        String body = exchange.getMessage().getBody(String.class);
        if (body != null && !body.isBlank()) {
            JsonNode request;
            try {
                request = ApiResponses.mapper().readTree(body);
            } catch (Exception e) {
                ApiResponses.message(exchange, 400, "the body is not JSON: send none (or {}) to start from the committed position");
                return;
            }
            if (request.has("from")) {
                ApiResponses.message(exchange, 400, "\"from\" is not supported yet: a start resumes from the position committed"
                        + " with the target's data; send no body");
                return;
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
        control.start(task);
        ApiResponses.json(exchange, 200, views.task(task));
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
