package routes.state;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where the capture side finds its task's writer. Debezium creates the offset store itself, by class name and a
 * no-argument constructor, so the two meet here by task name instead of by injection.
 */
public final class SyncTasks {

    private static final Map<String, CompletableFuture<TaskSink>> SINKS = new ConcurrentHashMap<>();

    private SyncTasks() {
    }

    public static void register(String task, TaskSink sink) {
        CompletableFuture<TaskSink> slot = SINKS.computeIfAbsent(task, t -> new CompletableFuture<>());
        if (slot.isDone() && slot.join() != sink) {
            SINKS.put(task, CompletableFuture.completedFuture(sink));
        } else {
            slot.complete(sink);
        }
    }

    public static void unregister(String task, TaskSink sink) {
        SINKS.computeIfPresent(task, (t, slot) -> slot.isDone() && slot.join() == sink ? null : slot);
    }

    /** The writer of a task; waits a little because routes and their beans start in no guaranteed order. */
    public static TaskSink await(String task, long seconds) throws TimeoutException {
        try {
            return SINKS.computeIfAbsent(task, t -> new CompletableFuture<>()).get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the writer of task " + task, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("No writer registered for task '" + task + "': the task route must end in a "
                    + "sink kamelet with the same task name (e.g. jdbc-merge-sink with task=" + task + ")");
        }
    }
}
