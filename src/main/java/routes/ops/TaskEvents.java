package routes.ops;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.support.EndpointHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a CamelContext's task events to the routes that consume them: every event to {@value #ENDPOINT} (body:
 * the {@link TaskEvent}), and each alert also to {@value #ALERTS_ENDPOINT} (body: its message), where alerting
 * routes deliver it to a log, a webhook, a chat. An endpoint no route consumes is skipped; alerts are logged at WARN
 * either way. Delivery runs on one thread of its own, in order, behind a bounded queue: a slow consumer never holds up
 * the data (past {@value #QUEUE} waiting events, new ones are dropped and counted in a WARN).
 */
public final class TaskEvents implements AutoCloseable {

    /** Where routes consume every task event: body = the {@link TaskEvent}; headers below. */
    public static final String ENDPOINT = "direct:realtime-sync-events";
    /** Where alerting routes consume alerts: body = the message; headers task, alert kind, table. */
    public static final String ALERTS_ENDPOINT = "direct:realtime-sync-alerts";
    public static final String TASK_HEADER = "RealtimeSyncTask";
    /** The event's type: TableStateChanged, SchemaChangeApplied, SchemaChangeDeclined, RowsRefused, TaskFailed, EngineRestarted. */
    public static final String EVENT_HEADER = "RealtimeSyncEvent";
    /** The source table (schema.table); empty for events of the whole task. */
    public static final String TABLE_HEADER = "RealtimeSyncTable";
    /** The alert kind: SCHEMA_CHANGE, TABLE_STOPPED or DEAD_LETTER (alerts, and events that are alerts). */
    public static final String ALERT_HEADER = "RealtimeSyncAlert";

    static final int QUEUE = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(TaskEvents.class);

    private final CamelContext context;
    private final AtomicLong dropped = new AtomicLong();
    private ExecutorService delivery;
    private ProducerTemplate template;

    public TaskEvents(CamelContext context) {
        this.context = context;
    }

    public void publish(TaskEvent event) {
        if (event.alert() != null) {
            LOG.warn("Task '{}' alert {} on {}: {}", event.task(), event.alert(), table(event), event.message());
        }
        if (context.isStopping() || context.isStopped()) {
            return;
        }
        try {
            delivery().execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            if (!context.isStopping() && !context.isStopped() && dropped.incrementAndGet() % 1000 == 1) {
                LOG.warn("Task '{}': {} task events dropped so far; the route consuming {} or {} keeps up too slowly",
                        event.task(), dropped.get(), ENDPOINT, ALERTS_ENDPOINT);
            }
        }
    }

    /**
     * Sends a message of a task's other than an event (a dead letter, say) to {@code endpoint}, on the same ordered
     * thread and queue as the events: nothing when no route consumes the endpoint, and never holding up the caller.
     */
    public void deliver(String endpoint, Object body, Map<String, Object> headers) {
        if (context.isStopping() || context.isStopped()) {
            return;
        }
        try {
            delivery().execute(() -> {
                if (consumed(endpoint)) {
                    send(endpoint, body, headers);
                }
            });
        } catch (RejectedExecutionException e) {
            if (dropped.incrementAndGet() % 1000 == 1) {
                LOG.warn("Task '{}': {} messages to {} dropped so far; the route consuming it keeps up too slowly",
                        headers.get(TASK_HEADER), dropped.get(), endpoint);
            }
        }
    }

    private synchronized ExecutorService delivery() {
        if (delivery == null) {
            delivery = context.getExecutorServiceManager().newThreadPool(this, "realtime-sync-events",
                    new ThreadPoolProfileBuilder("realtime-sync-events").poolSize(1).maxPoolSize(1).maxQueueSize(QUEUE)
                            .rejectedPolicy(ThreadPoolRejectedPolicy.Abort).build());
        }
        return delivery;
    }

    private void deliver(TaskEvent event) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(TASK_HEADER, event.task());
        headers.put(TABLE_HEADER, table(event));
        if (consumed(ENDPOINT)) {
            Map<String, Object> eventHeaders = new HashMap<>(headers);
            eventHeaders.put(EVENT_HEADER, event.getClass().getSimpleName());
            if (event.alert() != null) {
                eventHeaders.put(ALERT_HEADER, event.alert());
            }
            send(ENDPOINT, event, eventHeaders);
        }
        if (event.alert() != null && consumed(ALERTS_ENDPOINT)) {
            headers.put(ALERT_HEADER, event.alert());
            send(ALERTS_ENDPOINT, event.message(), headers);
        }
    }

    private void send(String endpoint, Object body, Map<String, Object> headers) {
        Exchange sent = template().send(endpoint, exchange -> {
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeaders(headers);
        });
        if (sent.getException() != null) {
            LOG.warn("Task '{}': the route consuming {} failed on an event: {}", headers.get(TASK_HEADER), endpoint,
                    sent.getException().getMessage());
        }
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        return template;
    }

    private boolean consumed(String endpoint) {
        for (Route route : context.getRoutes()) {
            if (EndpointHelper.matchEndpoint(context, route.getEndpoint().getEndpointUri(), endpoint)) {
                return true;
            }
        }
        return false;
    }

    private static String table(TaskEvent event) {
        return event.table() == null ? "" : event.table();
    }

    @Override
    public synchronized void close() {
        if (delivery != null) {
            context.getExecutorServiceManager().shutdown(delivery);
            delivery = null;
        }
        if (template != null) {
            try {
                template.close();
            } catch (Exception e) {
                LOG.debug("Closing the event producer failed", e);
            }
            template = null;
        }
    }
}
