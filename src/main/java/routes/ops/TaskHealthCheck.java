package routes.ops;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import routes.state.SyncTask;

/**
 * A task's health, read from its registry: DOWN, with the reason, once the task has stopped on an error; the phase,
 * counters and last position as details. Embedding applications see it in Camel health.
 */
public class TaskHealthCheck extends AbstractHealthCheck {

    private final SyncTask task;

    public TaskHealthCheck(SyncTask task) {
        super("realtime-sync", "task-" + task.name());
        this.task = task;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("phase", task.phase().name());
        builder.detail("rows.read", task.rowsRead());
        builder.detail("rows.written", task.rowsWritten());
        builder.detail("rows.refused", task.rowsRefused());
        if (task.position() != null) {
            builder.detail("position", task.position());
        }
        String failure = task.failure();
        if (failure == null) {
            builder.up();
        } else {
            builder.message(failure).down();
        }
    }
}
