package routes.ops;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.support.EndpointHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises alert events (a schema change the task left unapplied, a table it stopped): each is logged at WARN and sent
 * to {@value #ENDPOINT}, where the task's alerting routes deliver it (to a log, a webhook, a chat). Without such a
 * route the log line is the alert. Sent asynchronously: delivery never holds up the data.
 */
public final class TaskAlerts {

    /** Where alerting routes consume alerts from: body = the message; headers below. */
    public static final String ENDPOINT = "direct:realtime-sync-alerts";
    public static final String TASK_HEADER = "RealtimeSyncTask";
    public static final String KIND_HEADER = "RealtimeSyncAlert";
    public static final String TABLE_HEADER = "RealtimeSyncTable";

    private static final Logger LOG = LoggerFactory.getLogger(TaskAlerts.class);

    private final CamelContext camelContext;
    private final String task;
    private ProducerTemplate template;

    public TaskAlerts(CamelContext camelContext, String task) {
        this.camelContext = camelContext;
        this.task = task;
    }

    public void raise(String kind, String table, String message) {
        LOG.warn("Task '{}' alert {} on {}: {}", task, kind, table, message);
        if (camelContext == null || !delivered()) {
            return;
        }
        if (template == null) {
            template = camelContext.createProducerTemplate();
        }
        template.asyncSend(ENDPOINT, exchange -> {
            exchange.getMessage().setBody(message);
            exchange.getMessage().setHeaders(new java.util.HashMap<>(Map.of(TASK_HEADER, task, KIND_HEADER, kind, TABLE_HEADER, table)));
        });
    }

    private boolean delivered() {
        for (Route route : camelContext.getRoutes()) {
            if (EndpointHelper.matchEndpoint(camelContext, route.getEndpoint().getEndpointUri(), ENDPOINT)) {
                return true;
            }
        }
        return false;
    }
}
