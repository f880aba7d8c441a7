package routes.ops.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.state.SyncTask;

/**
 * A look at the source beside the capture, on the metrics' own schedule and connection, never on the sync's path:
 * what the source keeps for the task and how long it will. A failing probe is logged once (and again once it works
 * after failing); its gauges are NaN meanwhile, and the task goes on.
 */
abstract class SourceProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceProbe.class);

    protected final SyncTask task;
    private boolean bound;
    private boolean failing;

    SourceProbe(SyncTask task) {
        this.task = task;
    }

    /** The probe that fits the task's source, from the settings its capture engine runs with. */
    static SourceProbe of(SyncTask task) {
        String connector = task.captureSettings().getOrDefault("connector.class", "").toLowerCase(java.util.Locale.ROOT);
        return connector.contains("postgres") ? new PostgresSlotProbe(task) : new BinlogRetentionProbe(task);
    }

    final synchronized void bind(MeterRegistry registry, SyncTask task, Tags tags) {
        if (!bound) {
            bound = true;
            register(registry, tags);
        }
    }

    /** Registers the probe's gauges, reading what the last probe found. */
    protected abstract void register(MeterRegistry registry, Tags tags);

    /** One short look at the source; throws when it cannot. */
    protected abstract void probe() throws Exception;

    /** What the gauges show when the probe fails. */
    protected abstract void forget();

    final void run() {
        try {
            probe();
            task.sourceReachable();
            if (failing) {
                failing = false;
                LOG.info("Task '{}': the source probe for metrics works again", task.name());
            }
        } catch (Exception e) {
            forget();
            // The capture retries a lost source by itself without end: this is what the task-status alert rule sees.
            task.sourceUnreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
            if (!failing) {
                failing = true;
                LOG.warn("Task '{}': the source probe for metrics failed, its gauges show NaN until it works: {}", task.name(),
                        e.getMessage());
            }
        }
    }

    @Override
    public void close() {
    }
}
