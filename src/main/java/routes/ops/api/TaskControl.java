package routes.ops.api;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;

import routes.state.SyncTask;
import routes.state.TaskPhase;

/**
 * Stops and starts a task of a CamelContext on an operator's request, and remembers who stopped it. A stop ends the
 * task's capture route (its engine stops; its writer stays, holding nothing uncommitted that the source would not
 * send again); a start starts that route again, and the engine resumes from the position committed with the
 * target's data, so changes made meanwhile follow without loss. One per context, like its task registry.
 */
public final class TaskControl {

    private final CamelContext context;
    private final Map<String, Instant> stoppedByOperator = new ConcurrentHashMap<>();

    private TaskControl(CamelContext context) {
        this.context = context;
    }

    /** The control of this CamelContext, created on first use. */
    public static TaskControl of(CamelContext context) {
        synchronized (context) {
            TaskControl control = context.getCamelContextExtension().getContextPlugin(TaskControl.class);
            if (control == null) {
                control = new TaskControl(context);
                context.getCamelContextExtension().addContextPlugin(TaskControl.class, control);
            }
            return control;
        }
    }

    /** Stops the task's capture and waits until its engine has stopped. */
    public void stop(SyncTask task) throws Exception {
        String route = captureRoute(task);
        stoppedByOperator.putIfAbsent(task.name(), Instant.now());
        context.getRouteController().stopRoute(route);
    }

    /** Starts the task's capture again (it resumes from its committed position). */
    public void start(SyncTask task) throws Exception {
        String route = captureRoute(task);
        context.getRouteController().startRoute(route);
        stoppedByOperator.remove(task.name());
    }

    /** Whether the task runs: neither failed nor stopped (by an operator, or with its context). */
    public boolean isRunning(SyncTask task) {
        return phase(task) != TaskPhase.STOPPED && phase(task) != TaskPhase.FAILED;
    }

    /** The task's phase as operators see it: STOPPED while stopped on request (a failure still says FAILED). */
    public TaskPhase phase(SyncTask task) {
        TaskPhase phase = task.phase();
        if (phase == TaskPhase.FAILED) {
            return phase;
        }
        return stoppedByOperator.containsKey(task.name()) || captureStopped(task) ? TaskPhase.STOPPED : phase;
    }

    /** Why the task does not run, for readiness; null while it runs. */
    public String stopReason(SyncTask task) {
        if (task.failure() != null) {
            return "task '" + task.name() + "' stopped on an error: " + task.failure();
        }
        Instant stopped = stoppedByOperator.get(task.name());
        if (stopped != null) {
            return "task '" + task.name() + "' was stopped through the API at " + stopped + " (POST /api/tasks/" + task.name()
                    + "/start starts it again)";
        }
        return phase(task) == TaskPhase.STOPPED ? "task '" + task.name() + "' is stopped" : null;
    }

    /** When an operator stopped the task; null unless it is stopped on request. */
    public Instant stoppedAt(SyncTask task) {
        return stoppedByOperator.get(task.name());
    }

    private boolean captureStopped(SyncTask task) {
        String route = task.captureRoute();
        if (route == null || context.getRoute(route) == null) {
            return false;
        }
        ServiceStatus status = context.getRouteController().getRouteStatus(route);
        return status != null && (status.isStopped() || status.isStopping());
    }

    private String captureRoute(SyncTask task) {
        String route = task.captureRoute();
        if (route == null || context.getRoute(route) == null) {
            throw new IllegalStateException("task '" + task.name() + "' has no capture route in this process yet");
        }
        return route;
    }
}
