package routes.alerting;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.ops.TaskEvent;
import routes.ops.TaskEvents;
import routes.state.TaskRegistry;

/**
 * What a rule-set kamelet runs beside its own route (the rules): hands every task event to the rule set's SEDA queue
 * without ever waiting (the writer reports events on its own thread; a full queue drops the event and counts it),
 * creates from {@value #DEFINITION} the periodic evaluation and the delivery routes, the way routes.sink.SinkRoute
 * creates a sink's route from its template, and, as the rules route's last step, hands each notice to the delivery
 * route's queue, again without waiting.
 */
public class AlertRouting implements Processor, CamelContextAware {

    /** The SEDA queue of a rule set's events and evaluation ticks, and the one of its notices to deliver. */
    public static final String EVENTS = "realtime-sync-alert-events-";
    public static final String DELIVERY = "realtime-sync-alert-delivery-";
    /** The header naming what the rule set's route got: a task event's type, or {@value #EVALUATION}. */
    public static final String EVENT_HEADER = TaskEvents.EVENT_HEADER;
    public static final String EVALUATION = "Evaluation";
    static final String DEFINITION = "classpath:realtime-sync/alert-routes.yaml";
    /** The registry name of a rule set's retry predicate (its name follows). */
    private static final String RETRY_WHILE = "realtimeSyncAlertRetryWhile-";
    /** The registry name of a rule set's routing (its name follows), which GET /api/tasks/{task}/alert-rules reads. */
    private static final String RULE_SET = "realtimeSyncAlertRuleSet-";
    private static final Logger LOG = LoggerFactory.getLogger(AlertRouting.class);

    private CamelContext camelContext;
    private String name;
    private AlertHistory history;
    private AlertRules rules;
    private String channels = "";
    private int retries = 6;
    private long retryDelayMs = 2000;
    private long evaluationSeconds = 15;
    private Producer events;
    private Producer delivery;
    private volatile boolean running;
    private final AtomicLong dropped = new AtomicLong();

    /** Called by Camel once the properties are set: creates the evaluation and delivery routes, then takes events. */
    public void start() throws Exception {
        if (channels.isBlank()) {
            throw new IllegalArgumentException("realtime-sync-alert-rules: name where alerts go in channels, e.g. "
                    + "channels: \"direct:alerts-feishu\" (endpoint URIs, comma-separated)");
        }
        ModelCamelContext model = (ModelCamelContext) camelContext;
        synchronized (model) {
            if (model.getRouteTemplateDefinition("realtime-sync-alert-delivery") == null) {
                PluginHelper.getRoutesLoader(model).loadRoutes(ResourceHelper.resolveMandatoryResource(model, DEFINITION));
            }
        }
        String evaluation = TemplatedRouteBuilder.builder(camelContext, "realtime-sync-alert-evaluation")
                .routeId("realtime-sync-alert-evaluation-" + name)
                .parameter("name", "realtime-sync-alert-evaluation-" + name)
                .parameter("events", EVENTS + name)
                .parameter("periodMs", evaluationSeconds * 1000)
                .add();
        camelContext.getRegistry().bind(RETRY_WHILE + name, org.apache.camel.Predicate.class,
                (org.apache.camel.Predicate) this::worthRetrying);
        String deliveryRoute = TemplatedRouteBuilder.builder(camelContext, "realtime-sync-alert-delivery")
                .routeId("realtime-sync-alert-delivery-" + name)
                .parameter("delivery", DELIVERY + name)
                .parameter("channels", withoutOwnErrorHandler(channels))
                .parameter("retries", retries)
                .parameter("retryDelayMs", retryDelayMs)
                .parameter("undelivered", "realtime-sync-alert-undelivered-" + name)
                .parameter("retryWhile", RETRY_WHILE + name)
                .bean("routing", this)
                .add();
        for (String routeId : List.of(evaluation, deliveryRoute)) {
            // Created while Camel starts the kamelet's route: start them the way camel-kamelet starts a kamelet's route.
            ServiceStatus status = camelContext.getRouteController().getRouteStatus(routeId);
            if (status == null || !status.isStarted()) {
                model.startRouteDefinitions(List.of(model.getRouteDefinition(routeId)));
            }
        }
        // For GET /api/tasks/{task}/alerts.
        camelContext.getRegistry().bind("realtimeSyncAlertHistory-" + name, AlertHistory.class, history);
        // For GET /api/tasks/{task}/alert-rules.
        if (rules != null) {
            camelContext.getRegistry().bind(RULE_SET + name, AlertRouting.class, this);
        }
        events = camelContext.getEndpoint("seda:" + EVENTS + name + "?blockWhenFull=false").createProducer();
        delivery = camelContext.getEndpoint("seda:" + DELIVERY + name + "?blockWhenFull=false").createProducer();
        ServiceHelper.startService(events, delivery);
        running = true;
        TaskRegistry.of(camelContext).onEvent(this::intake);
    }

    /**
     * Each rule of the rule sets of {@code context} that speak of {@code task} (a set without a task filter speaks of
     * every task), rule sets by name: {ruleSet, rule, enabled, level, task, channels, settings}. The channels are named
     * only as far as they hold no secret ({@link #channelNames}).
     */
    public static List<Map<String, Object>> configuredRules(CamelContext context, String task) {
        List<Map<String, Object>> described = new java.util.ArrayList<>();
        new java.util.TreeMap<>(context.getRegistry().findByTypeWithName(AlertRouting.class)).forEach((bean, set) -> {
            if (!bean.startsWith(RULE_SET) || set.rules == null || !set.rules.appliesTo(task)) {
                return;
            }
            for (AlertRules.Rule rule : set.rules.describe()) {
                Map<String, Object> view = new java.util.LinkedHashMap<>();
                view.put("ruleSet", ruleSetName(context, set.name));
                view.put("rule", rule.rule());
                view.put("enabled", rule.enabled());
                view.put("level", rule.level().name());
                view.put("task", set.rules.task());
                view.put("channels", channelNames(set.channels));
                Map<String, Object> settings = new java.util.LinkedHashMap<>(rule.settings());
                // Suppression, the same for every rule of the set.
                settings.put("minIntervalSeconds", set.history == null ? null : set.history.minInterval().toSeconds());
                view.put("settings", settings);
                described.add(view);
            }
        });
        return described;
    }

    /**
     * A rule set as its user named it: the id of the route that reads from the kamelet (in examples/alerts.yaml
     * {@code alert-rules}), rather than the kamelet's own route id, which Camel numbers unless told otherwise.
     */
    private static String ruleSetName(CamelContext context, String kameletRoute) {
        for (org.apache.camel.Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof org.apache.camel.component.kamelet.KameletEndpoint kamelet
                    && kameletRoute.equals(kamelet.getRouteId())) {
                return route.getRouteId();
            }
        }
        return kameletRoute;
    }

    /**
     * The channels without what may be secret: a webhook's path and a URI's query (tokens, keys, a signing secret) and
     * user information. {@code kamelet:feishu-alert-sink?webhookUrl=...} is named {@code kamelet:feishu-alert-sink},
     * {@code https://user:pw@example.org/hook/abc} {@code https://example.org}.
     */
    static List<String> channelNames(String channels) {
        List<String> names = new java.util.ArrayList<>();
        for (String uri : channels.split(",")) {
            String channel = uri.trim();
            int query = channel.indexOf('?');
            if (query >= 0) {
                channel = channel.substring(0, query);
            }
            int authority = channel.indexOf("://");
            if (authority >= 0) {
                String rest = channel.substring(authority + 3);
                int path = rest.indexOf('/');
                String host = path < 0 ? rest : rest.substring(0, path);
                channel = channel.substring(0, authority + 3) + host.substring(host.lastIndexOf('@') + 1);
            }
            if (!channel.isEmpty()) {
                names.add(channel);
            }
        }
        return names;
    }

    /** Called by Camel on shutdown. */
    public void stop() {
        running = false;
        ServiceHelper.stopService(events, delivery);
    }

    /** The rules route's last step: the notice to the channels' queue; when a hanging channel filled it, dropped. */
    @Override
    public void process(Exchange exchange) {
        try {
            delivery.process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception full = exchange.getException();
        if (full != null) {
            exchange.setException(null);
            LOG.warn("Alert rules {}: a notice was not queued for its channels, which keep up too slowly ({}): {}", name,
                    full.getMessage(), AlertText.title(exchange.getMessage().getBody(AlertMessage.class)));
        }
    }

    /** On the thread that reports the event (a writer's): an offer to the queue, nothing more. */
    void intake(TaskEvent event) {
        if (!running) {
            return;
        }
        Exchange exchange = new DefaultExchange(camelContext);
        Map<String, Object> headers = new HashMap<>();
        headers.put(EVENT_HEADER, event.getClass().getSimpleName());
        headers.put(TaskEvents.TASK_HEADER, event.task());
        headers.put(TaskEvents.TABLE_HEADER, event.table() == null ? "" : event.table());
        exchange.getMessage().setHeaders(headers);
        exchange.getMessage().setBody(event);
        try {
            events.process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null && dropped.incrementAndGet() % 1000 == 1) {
            LOG.warn("Alert rules {}: {} task events dropped so far, the alert routes keep up too slowly ({})", name, dropped.get(),
                    exchange.getException().getMessage());
        }
    }

    /**
     * The channels, each kamelet told to leave a failure to this route: with an error handler of its own, a kamelet's
     * route marks a failed delivery exhausted, and the delivery route then neither retried it nor logged it undelivered.
     */
    static String withoutOwnErrorHandler(String channels) {
        List<String> uris = new java.util.ArrayList<>();
        for (String uri : channels.split(",")) {
            String channel = uri.trim();
            if (channel.startsWith("kamelet:") && !channel.contains("noErrorHandler=")) {
                // First: after the kamelet's own parameters it would end up inside an address the kamelet checks.
                int query = channel.indexOf('?');
                channel = query < 0 ? channel + "?noErrorHandler=true"
                        : channel.substring(0, query + 1) + "noErrorHandler=true&" + channel.substring(query + 1);
            }
            if (!channel.isEmpty()) {
                uris.add(channel);
            }
        }
        return String.join(",", uris);
    }

    /**
     * Whether a channel's failed delivery is tried again: up to {@code retries} times, unless the channel said sending
     * again cannot work (a bad signature, a removed bot, a refused login).
     */
    boolean worthRetrying(Exchange exchange) {
        AlertDeliveryException delivery = deliveryFailure(exchange);
        if (delivery != null && !delivery.retryable()) {
            return false;
        }
        return exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) < retries;
    }

    private static AlertDeliveryException deliveryFailure(Exchange exchange) {
        Throwable cause = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return org.apache.camel.util.ObjectHelper.getException(AlertDeliveryException.class, cause);
    }

    /** The dead-letter route's log line: which alert went undelivered and why, without the channel's address (a secret). */
    public void undelivered(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String why = cause == null ? "unknown" : String.valueOf(cause.getMessage()).replaceAll("\\w+://\\S+", "<channel>");
        Object body = exchange.getMessage().getBody();
        String what = body instanceof AlertMessage notice ? (notice.recovery() ? "recovery " : "alert ") + notice.rule() + " of task "
                + notice.task() + (notice.table() == null ? "" : " table " + notice.table()) : String.valueOf(body);
        AlertDeliveryException delivery = deliveryFailure(exchange);
        int tried = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        LOG.warn("Alert rules {}: {} not delivered to a channel, {}; it is in the alert history only: {}", name, what,
                delivery != null && !delivery.retryable() ? "not retried (the channel said sending again cannot work)"
                        : "given up after " + tried + " retries", why);
    }

    public void setName(String name) {
        this.name = name;
    }

    public void setHistory(AlertHistory history) {
        this.history = history;
    }

    /** The rule set's rules, described by GET /api/tasks/{task}/alert-rules. */
    public void setRules(AlertRules rules) {
        this.rules = rules;
    }

    public void setChannels(String channels) {
        this.channels = channels == null ? "" : channels.trim();
    }

    public void setRetries(int retries) {
        this.retries = retries;
    }

    public void setRetryDelayMs(long retryDelayMs) {
        this.retryDelayMs = retryDelayMs;
    }

    public void setEvaluationSeconds(long evaluationSeconds) {
        this.evaluationSeconds = evaluationSeconds;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
