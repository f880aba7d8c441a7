package routes.ops;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.state.SyncTask;

/** Stops a task's capture route, so a failed task visibly stops instead of running on without writing. */
public final class TaskStopper {

    private static final Logger LOG = LoggerFactory.getLogger(TaskStopper.class);

    private TaskStopper() {
    }

    /**
     * Stops, on a thread of its own (the caller may be the capture engine's thread, which the stop waits for), the
     * route the task's registry names as its capture.
     */
    public static void stopCapture(CamelContext context, SyncTask task) {
        String route = task.captureRoute();
        if (context == null || route == null || context.isStopping() || context.isStopped()) {
            return;
        }
        Thread stopper = new Thread(() -> {
            try {
                context.getRouteController().stopRoute(route);
            } catch (Exception e) {
                LOG.warn("Could not stop route {} of task {}: {}", route, task.name(), e.getMessage());
            }
        }, "realtime-sync-stop-" + task.name());
        stopper.setDaemon(true);
        stopper.start();
    }
}
