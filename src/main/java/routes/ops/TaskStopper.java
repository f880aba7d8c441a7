package routes.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stops a task's capture route, so a failed task visibly stops instead of running on without writing. */
public final class TaskStopper {

    private static final Logger LOG = LoggerFactory.getLogger(TaskStopper.class);

    private TaskStopper() {
    }

    /**
     * Stops, on a thread of its own (the caller may be the capture engine's thread, which the stop waits for),
     * every route that consumes from a Debezium endpoint named after the task.
     */
    public static void stopCapture(CamelContext context, String task) {
        if (context == null || context.isStopping() || context.isStopped()) {
            return;
        }
        Thread stopper = new Thread(() -> {
            for (Route route : context.getRoutes()) {
                if (isCaptureOf(route, task)) {
                    try {
                        context.getRouteController().stopRoute(route.getRouteId());
                    } catch (Exception e) {
                        LOG.warn("Could not stop route {} of task {}: {}", route.getRouteId(), task, e.getMessage());
                    }
                }
            }
        }, "realtime-sync-stop-" + task);
        stopper.setDaemon(true);
        stopper.start();
    }

    /** True for the route that consumes the task's Debezium endpoint ({@code debezium-<db>:<task>}). */
    public static boolean isCaptureOf(Route route, String task) {
        String uri = route.getEndpoint().getEndpointUri();
        return uri.startsWith("debezium-") && uri.substring(uri.indexOf(':') + 1).replaceFirst("^//", "").split("\\?")[0].equals(task);
    }
}
