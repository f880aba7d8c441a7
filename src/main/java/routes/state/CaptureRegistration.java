package routes.state;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.DelegateEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.debezium.DebeziumConstants;
import org.apache.camel.component.debezium.DebeziumEndpoint;
import org.apache.camel.support.RoutePolicySupport;

import routes.ops.TaskProblem;

/**
 * The route policy of a source kamelet's capture route: registers the route as its task's capture in the task
 * registry (where stopping a failed task and the engine watchdog find it), hands the engine the key its offset store
 * and schema history find the task by ({@link TaskHandover}), and counts the row changes the capture reads.
 */
public class CaptureRegistration extends RoutePolicySupport {

    /** Debezium's operations that carry a row: create, read (full load), update, delete. */
    private static final Set<String> ROW_OPERATIONS = Set.of("c", "r", "u", "d");
    /** Debezium's extra key properties of its metrics' JMX names. */
    private static final String METRIC_TAGS = "custom.metric.tags";

    /**
     * Debezium property (set here, read by the source's checks) saying the capture runs under leader election: the
     * replication slot may still be held for a while by the connection of the leader it takes over from.
     */
    public static final String LEADER_ELECTION = "realtimesync.leader.election";

    private String task;
    private SyncTask syncTask;
    /** Each table's counters by Debezium's record identifier (its topic, one string per table), found once per table. */
    private final Map<String, SyncTask.TableCounters> countersByTopic = new ConcurrentHashMap<>();

    @Override
    public void onInit(Route route) {
        syncTask = TaskRegistry.of(route.getCamelContext()).task(task);
        String other = syncTask.captureRoute();
        if (other != null && !other.equals(route.getRouteId()) && route.getCamelContext().getRoute(other) != null) {
            throw new TaskProblem("Task '" + task + "' has two capture routes (" + other + " and " + route.getRouteId()
                    + "): give each source kamelet a task name of its own.");
        }
        syncTask.captureRoute(route.getRouteId());
        // The kamelet's leaderElection wraps the capture in camel-master's master: endpoint (docs/scale-out.md).
        boolean leaderElected = route.getEndpoint() instanceof DelegateEndpoint;
        Endpoint captured = leaderElected ? ((DelegateEndpoint) route.getEndpoint()).getEndpoint() : route.getEndpoint();
        if (leaderElected) {
            syncTask.leaderElected();
        }
        if (captured instanceof DebeziumEndpoint<?> endpoint) {
            Map<String, Object> properties = endpoint.getConfiguration().getAdditionalProperties();
            if (properties == null) {
                properties = new HashMap<>();
                endpoint.getConfiguration().setAdditionalProperties(properties);
            }
            TaskHandover.handOver(properties, syncTask);
            if (leaderElected) {
                properties.put(LEADER_ELECTION, "true");
            }
            if (TaskHandover.nameTakenBefore(syncTask)) {
                // Debezium names its JMX metrics after the topic prefix (the task's name): an engine finding the name
                // taken waits a minute, then runs without metrics. Another context's task of the same name tags its own.
                properties.put(METRIC_TAGS, "camelContext=" + route.getCamelContext().getName().replaceAll("[^A-Za-z0-9_.-]", "_"));
            }
        }
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        String operation = exchange.getMessage().getHeader(DebeziumConstants.HEADER_OPERATION, String.class);
        if (operation != null && ROW_OPERATIONS.contains(operation)) {
            Object source = exchange.getMessage().getHeader(DebeziumConstants.HEADER_SOURCE_METADATA);
            SyncTask.TableCounters table = source instanceof Map<?, ?> metadata ? counters(exchange, metadata) : null;
            if (table != null) {
                syncTask.rowRead(table, sourceMillis(source));
            } else {
                syncTask.rowRead(sourceMillis(source));
            }
        }
    }

    /** The counters of the change's table: by its record identifier, the table read from the source metadata once. */
    private SyncTask.TableCounters counters(Exchange exchange, Map<?, ?> metadata) {
        Object topic = exchange.getMessage().getHeader(DebeziumConstants.HEADER_IDENTIFIER);
        SyncTask.TableCounters known = topic == null ? null : countersByTopic.get(topic);
        if (known != null) {
            return known;
        }
        // PostgreSQL names a schema; MySQL-family sources name a database instead.
        Object container = metadata.get("schema") != null ? metadata.get("schema") : metadata.get("db");
        Object table = metadata.get("table");
        if (container == null || table == null) {
            return null;
        }
        SyncTask.TableCounters found = syncTask.counters(new routes.change.TableId(container.toString(), table.toString()));
        if (topic instanceof String name) {
            countersByTopic.put(name, found);
        }
        return found;
    }

    /** The change's commit time on the source (Debezium's source {@code ts_ms}); 0 when unknown. */
    private static long sourceMillis(Object source) {
        return source instanceof Map<?, ?> metadata && metadata.get("ts_ms") instanceof Number ts ? ts.longValue() : 0;
    }

    public void setTask(String task) {
        this.task = task;
    }
}
