package routes.sink;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.support.EndpointHelper;

import routes.change.ChangeEvent;
import routes.change.TableId;

/**
 * Rows the target refused, handed on once the transaction that recorded them has committed: each goes to
 * {@value #ENDPOINT} (body: the row as JSON, the key for a delete; headers below), where a task's own route can alert
 * on it, file it or repair it. Without a route consuming that endpoint nothing is sent; realtime_sync.dirty_rows (for
 * the Kafka sink: its dead-letter topic) is the durable record either way. Rows of a transaction that does not commit
 * are never sent: the task stops, and a replay records them again. Sent asynchronously: delivery never holds up the
 * data.
 */
public final class DeadLetters {

    public static final String ENDPOINT = "direct:realtime-sync-dead-letters";
    public static final String TASK_HEADER = "RealtimeSyncTask";
    /** The source table, schema.table. */
    public static final String TABLE_HEADER = "RealtimeSyncTable";
    /** Where the row was to go: the target table, or the Kafka topic. */
    public static final String TARGET_HEADER = "RealtimeSyncTarget";
    public static final String OPERATION_HEADER = "RealtimeSyncOperation";
    public static final String KEY_HEADER = "RealtimeSyncKey";
    public static final String POSITION_HEADER = "RealtimeSyncPosition";
    public static final String REASON_HEADER = "RealtimeSyncReason";

    /** One refused row: its table, where it was to go, its operation, key and row as JSON, its source position and why. */
    public record Letter(TableId table, String target, String operation, String key, String row, String position, String reason) {

        public static Letter of(TableId table, Object target, ChangeEvent change, String reason) {
            return new Letter(table, String.valueOf(target), change.operation().name(), DirtyRowStore.json(change.key()),
                    change.row().isEmpty() ? null : DirtyRowStore.json(change.row()), change.position(), reason);
        }
    }

    private final CamelContext camelContext;
    private final String task;
    /** In arrival order, each once: a transaction replayed after a lost connection refuses the same rows again. */
    private final Set<Letter> uncommitted = new LinkedHashSet<>();
    private ProducerTemplate template;

    public DeadLetters(CamelContext camelContext, String task) {
        this.camelContext = camelContext;
        this.task = task;
    }

    /** A row refused inside the open transaction. */
    public synchronized void refused(Letter letter) {
        uncommitted.add(letter);
    }

    /** The open transaction committed: its refused rows go on. */
    public void committed() {
        List<Letter> letters;
        synchronized (this) {
            if (uncommitted.isEmpty()) {
                return;
            }
            letters = List.copyOf(uncommitted);
            uncommitted.clear();
        }
        if (camelContext == null || !delivered()) {
            return;
        }
        if (template == null) {
            template = camelContext.createProducerTemplate();
        }
        for (Letter letter : letters) {
            template.asyncSend(ENDPOINT, exchange -> {
                exchange.getMessage().setBody(letter.row() == null ? letter.key() : letter.row());
                Map<String, Object> headers = new HashMap<>();
                headers.put(TASK_HEADER, task);
                headers.put(TABLE_HEADER, letter.table().toString());
                headers.put(TARGET_HEADER, letter.target());
                headers.put(OPERATION_HEADER, letter.operation());
                headers.put(KEY_HEADER, letter.key());
                headers.put(POSITION_HEADER, letter.position());
                headers.put(REASON_HEADER, letter.reason());
                exchange.getMessage().setHeaders(headers);
            });
        }
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
