package routes.ops;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whether each task runs, and if it failed, why: read by health checks, the runner and alerting. */
public final class TaskStatus {

    private static final Logger LOG = LoggerFactory.getLogger(TaskStatus.class);
    private static final Map<String, String> FAILURES = new ConcurrentHashMap<>();
    private static final List<BiConsumer<String, String>> LISTENERS = new CopyOnWriteArrayList<>();

    private TaskStatus() {
    }

    /** Marks the task failed (first reason wins), logs it once and tells the listeners. */
    public static void fail(String task, String reason) {
        if (FAILURES.putIfAbsent(task, reason) == null) {
            LOG.error("Task '{}' stopped: {}", task, reason);
            LISTENERS.forEach(listener -> listener.accept(task, reason));
        }
    }

    public static String failure(String task) {
        return FAILURES.get(task);
    }

    public static void clear(String task) {
        FAILURES.remove(task);
    }

    /** Called with (task, reason) when a task fails. */
    public static void onFailure(BiConsumer<String, String> listener) {
        LISTENERS.add(listener);
    }
}
