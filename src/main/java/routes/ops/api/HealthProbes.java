package routes.ops.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

import routes.state.SyncTask;
import routes.state.TaskRegistry;

/**
 * The liveness and readiness probes: 200 UP or 503 DOWN. Without the token they say nothing more (probes carry no
 * secrets); with it, readiness also says why each task that does not run is stopped.
 */
final class HealthProbes {

    private final CamelContext context;
    private final TaskRegistry registry;
    private final TaskControl control;

    HealthProbes(CamelContext context) {
        this.context = context;
        this.registry = TaskRegistry.of(context);
        this.control = TaskControl.of(context);
    }

    /** GET /observe/health/live: the process serves and its CamelContext runs. */
    void live(Exchange exchange) {
        boolean up = context.isStarted() && !context.isStopping();
        answer(exchange, up, List.of());
    }

    /** GET /observe/health/ready: every task runs (none failed, none stopped). */
    void ready(Exchange exchange) {
        List<String> reasons = new ArrayList<>();
        for (SyncTask task : registry.tasks().values()) {
            String reason = control.stopReason(task);
            if (reason != null) {
                reasons.add(reason);
            }
        }
        boolean up = context.isStarted() && !context.isStopping() && reasons.isEmpty();
        if (!context.isStarted()) {
            reasons.add("the tasks are starting");
        }
        answer(exchange, up, reasons);
    }

    private static void answer(Exchange exchange, boolean up, List<String> reasons) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        if (exchange.getProperty(ApiGuard.AUTHORIZED, false, Boolean.class) && !reasons.isEmpty()) {
            body.put("reasons", reasons);
        }
        ApiResponses.json(exchange, up ? 200 : 503, body);
    }
}
