package routes.ops;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** DOWN, with the reason, once the task has stopped on an error; embedding applications see it in Camel health. */
public class TaskHealthCheck extends AbstractHealthCheck {

    private final String task;

    public TaskHealthCheck(String task) {
        super("realtime-sync", "task-" + task);
        this.task = task;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String failure = TaskStatus.failure(task);
        if (failure == null) {
            builder.up();
        } else {
            builder.message(failure).down();
        }
    }
}
