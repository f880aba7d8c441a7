package routes.ops;

import java.lang.reflect.Field;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Route;
import org.apache.camel.component.debezium.DebeziumConsumer;
import org.apache.camel.support.service.ServiceHelper;

import routes.state.SyncTask;

/**
 * Notices a capture engine that died while its route still runs. Camel's Debezium consumer runs the engine as the
 * only task of a single-thread executor and only logs when it ends; an executor with nothing running or queued
 * after it has run its task means the engine is gone, and the task must stop visibly.
 */
public final class CaptureWatchdog implements AutoCloseable {

    private final ScheduledExecutorService scheduler;

    public CaptureWatchdog(CamelContext context, SyncTask task, Runnable onEngineDeath) {
        scheduler = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "realtime-sync-watchdog-" + task.name());
        scheduler.scheduleWithFixedDelay(() -> {
            if (context.isStarted() && engineDied(context, task)) {
                onEngineDeath.run();
            }
        }, 2, 2, TimeUnit.SECONDS);
    }

    private static boolean engineDied(CamelContext context, SyncTask task) {
        Route route = task.captureRoute() == null ? null : context.getRoute(task.captureRoute());
        Consumer consumer = route == null ? null : route.getConsumer();
        return consumer instanceof DebeziumConsumer && ServiceHelper.isStarted(consumer) && engineExecutor(consumer) instanceof ThreadPoolExecutor executor
                && executor.getCompletedTaskCount() > 0 && executor.getActiveCount() == 0 && executor.getQueue().isEmpty();
    }

    /** DebeziumConsumer keeps its executor private (Camel 4.17); read it, or give up quietly if that changes. */
    private static ExecutorService engineExecutor(Consumer consumer) {
        try {
            Field field = DebeziumConsumer.class.getDeclaredField("executorService");
            field.setAccessible(true);
            return (ExecutorService) field.get(consumer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
