package routes.state;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How classes Debezium creates by class name (the offset store, the schema history, an offset commit policy) find
 * their task: the capture route puts a key into the engine's properties, unique per CamelContext and task, and they
 * look the task up by it here. Two CamelContexts running tasks of the same name never meet.
 */
public final class TaskHandover {

    /** Debezium property holding the key (no dash in it: Camel turns additionalProperties.a-b into aB). */
    public static final String KEY = "realtimesync.task.key";
    /** The same for the schema history, which sees only the properties under its own prefix. */
    public static final String SCHEMA_HISTORY_KEY = "schema.history.internal." + KEY;

    private static final Map<String, SyncTask> TASKS = new ConcurrentHashMap<>();

    private TaskHandover() {
    }

    static String newKey(String contextName, String task) {
        return task + "@" + contextName + "/" + UUID.randomUUID();
    }

    static void add(SyncTask task) {
        TASKS.put(task.key(), task);
    }

    static void remove(SyncTask task) {
        TASKS.remove(task.key(), task);
    }

    /** Whether a task of the same name, in another CamelContext, was handed over before this one and still runs. */
    static boolean nameTakenBefore(SyncTask task) {
        return TASKS.values().stream().anyMatch(other -> other != task && other.name().equals(task.name()) && other.created() < task.created());
    }

    /** Puts the task's key into a Debezium endpoint's additional properties, before its engine is created. */
    static void handOver(Map<String, Object> engineProperties, SyncTask task) {
        engineProperties.put(KEY, task.key());
        engineProperties.put(SCHEMA_HISTORY_KEY, task.key());
    }

    /** The task a Debezium engine runs for; {@code key} is the value of {@link #KEY} in its properties. */
    public static SyncTask find(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("Debezium property " + KEY + " is missing: the capture route must have "
                    + CaptureRegistration.class.getName() + " among its route policies (the source kamelets do)");
        }
        SyncTask task = TASKS.get(key);
        if (task == null) {
            throw new IllegalStateException("No task for key " + key + ": its CamelContext has stopped");
        }
        return task;
    }
}
