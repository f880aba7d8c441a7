package routes.state;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

import routes.ops.TaskEvent;
import routes.ops.TaskEvents;

/**
 * The tasks of one CamelContext, by name: nothing about a task lives in JVM-wide state, so two contexts in one JVM
 * may run tasks of the same name. Found with {@link #of(CamelContext)} (a context plugin, the way Camel keeps its
 * own per-context registries such as the health check registry), and bound as bean {@value #BEAN} for routes.
 */
public final class TaskRegistry extends ServiceSupport {

    /** The registry's bean name in its CamelContext. */
    public static final String BEAN = "realtimeSyncTasks";

    private final CamelContext context;
    private final Map<String, SyncTask> tasks = new ConcurrentHashMap<>();
    private final TaskEvents events;
    private final List<Consumer<TaskEvent>> listeners = new CopyOnWriteArrayList<>();
    /** The command line's start position, handed to every task of the context (see {@link #startEveryTaskFrom}). */
    private volatile StartPosition.Request startEveryTask;

    TaskRegistry(CamelContext context) {
        this.context = context;
        this.events = new TaskEvents(context);
    }

    /** The registry of this CamelContext, created on first use. */
    public static TaskRegistry of(CamelContext context) {
        synchronized (context) {
            TaskRegistry registry = context.getCamelContextExtension().getContextPlugin(TaskRegistry.class);
            if (registry == null) {
                registry = new TaskRegistry(context);
                context.getCamelContextExtension().addContextPlugin(TaskRegistry.class, registry);
                context.getRegistry().bind(BEAN, TaskRegistry.class, registry);
                routes.ops.metrics.TaskMetrics.start(context, registry);
                try {
                    context.addService(registry, true, true);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot start the task registry: " + e.getMessage(), e);
                }
            }
            return registry;
        }
    }

    /** Where the context's task events, alerts and dead letters are delivered from. */
    public TaskEvents events() {
        return events;
    }

    /** The task of this name, created on first use (by its writer or its capture route, whichever comes first). */
    public SyncTask task(String name) {
        return tasks.computeIfAbsent(name, n -> {
            SyncTask task = new SyncTask(n, TaskHandover.newKey(context.getName(), n), this::publish);
            TaskHandover.add(task);
            if (startEveryTask != null) {
                task.startFrom(startEveryTask);
            }
            return task;
        });
    }

    /** Every task of the context, those created later included, starts from this position at its first start. */
    public void startEveryTaskFrom(StartPosition.Request request) {
        startEveryTask = request;
        tasks.values().forEach(task -> task.startFrom(request));
    }

    /** The task of this name, or null when the context has none. */
    public SyncTask find(String name) {
        return tasks.get(name);
    }

    /** Every task, by name. */
    public Map<String, SyncTask> tasks() {
        return new java.util.TreeMap<>(tasks);
    }

    /**
     * Calls the listener with every event of this context's tasks, on the thread that reports it (keep it quick).
     * Routes consume the same events from {@link TaskEvents#ENDPOINT} instead, without holding anyone up.
     */
    public void onEvent(Consumer<TaskEvent> listener) {
        listeners.add(listener);
    }

    private void publish(TaskEvent event) {
        listeners.forEach(listener -> listener.accept(event));
        events.publish(event);
    }

    @Override
    protected void doStart() {
        tasks.values().forEach(TaskHandover::add);
    }

    @Override
    protected void doStop() {
        tasks.values().forEach(TaskHandover::remove);
        events.close();
    }
}
