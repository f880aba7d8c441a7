package routes.capture;

import java.time.Duration;
import java.util.Properties;

import io.debezium.engine.spi.OffsetCommitPolicy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.state.TargetOffsetStore;
import routes.state.TaskHandover;
import routes.state.TaskSink;

/**
 * The capture engine's commit policy (Camel option offsetCommitPolicy): at the end of each poll batch, commit the
 * target together with the source position only where the processed records end outside every source transaction
 * ({@link routes.state.TransactionBoundary}). Inside one, the target's transaction stays open and the next batches go on filling
 * it; the writer may hand what it holds in memory to that open transaction meanwhile.
 *
 * <p>Debezium creates it by class name with the engine's properties, which name the task and hold its key.
 */
public class TransactionBoundaryCommitPolicy implements OffsetCommitPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionBoundaryCommitPolicy.class);

    private final String task;
    private final String taskKey;
    private TaskSink sink;

    public TransactionBoundaryCommitPolicy(Properties engineProperties) {
        this.task = engineProperties.getProperty(TargetOffsetStore.TASK_PROPERTY);
        this.taskKey = engineProperties.getProperty(TaskHandover.KEY);
    }

    @Override
    public boolean performCommit(long numberOfMessagesSinceLastCommit, Duration timeSinceLastCommit) {
        if (sink == null) {
            sink = SourceTransactions.taskSink(taskKey);
        }
        if (sink.transactionBoundary().atBoundary()) {
            return true;
        }
        try {
            sink.commitDeferred();
        } catch (Exception e) {
            // The writer has stopped the task with the reason; nothing commits.
            LOG.debug("Task '{}': handing held changes to the open target transaction failed", task, e);
        }
        return false;
    }
}
