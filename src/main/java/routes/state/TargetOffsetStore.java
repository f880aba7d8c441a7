package routes.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.OffsetBackingStore;
import org.apache.kafka.connect.util.Callback;

import routes.capture.ChosenStart;
import routes.capture.SourceDatabases;

/**
 * Debezium's offset store for a task, kept in the task's target. The engine calls {@link #set} after the route has
 * returned for every record of a poll batch that ends outside any source transaction (see
 * routes.capture.TransactionBoundaryCommitPolicy); we then commit the target transaction holding those records
 * together with their offsets, and only then report success. If the target cannot commit, {@code set} fails, the engine
 * cancels the flush and does not acknowledge the position to the source (the replication slot keeps the log).
 */
public class TargetOffsetStore implements OffsetBackingStore {

    /**
     * Debezium property (passed as additionalProperties) naming the task whose writer holds the offsets. No dash in
     * it: Camel turns additionalProperties.a-b into aB. The task itself is found by its key ({@link TaskHandover}).
     */
    public static final String TASK_PROPERTY = "realtimesync.task";

    private final Map<ByteBuffer, ByteBuffer> offsets = new ConcurrentHashMap<>();
    private Map<String, String> config;
    private String task;
    private SyncTask syncTask;
    private TaskSink sink;
    /** Entries the next commit saves too: the record of a start position whose full load runs first. */
    private final Map<String, String> firstCommitAlso = new ConcurrentHashMap<>();

    @Override
    public void configure(WorkerConfig workerConfig) {
        config = workerConfig.originalsStrings();
        task = config.get(TASK_PROPERTY);
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException("Debezium property " + TASK_PROPERTY + " must name the task");
        }
    }

    @Override
    public void start() {
        try {
            syncTask = TaskHandover.find(config.get(TaskHandover.KEY));
            sink = syncTask.awaitWriter(60);
            syncTask.captureSettings(config);
            syncTask.engineStarted();
            String snapshotMode = config.getOrDefault("snapshot.mode", "initial");
            boolean fullLoadWanted = !snapshotMode.equals("never") && !snapshotMode.equals("no_data");
            ChosenStart chosen = chosenStart();
            Map<routes.change.TableId, SyncTask.TableLoad> loadsBefore = syncTask.loads();
            Map<String, String> stored = sink.open(SourceDatabases.fromDebeziumConfig(config),
                    chosen == null ? fullLoadWanted : chosen.fullLoad());
            if (chosen != null) {
                try {
                    stored = chosen.apply(sink, syncTask, stored, loadedNow(loadsBefore));
                } catch (routes.ops.TaskProblem problem) {
                    syncTask.fail(problem.getMessage()); // its own line, not the engine's stop that follows
                    throw problem;
                }
                firstCommitAlso.putAll(chosen.pendingMarker());
            }
            stored.forEach((key, value) -> offsets.put(bytes(key), bytes(value)));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * The start position asked for this start (docs/start-positions.md), checked against the source before anything is
     * written: a position it no longer holds stops the task with one line saying so.
     */
    private ChosenStart chosenStart() {
        StartPosition.Request request = syncTask.takeStartRequest();
        if (request == null) {
            return null;
        }
        try {
            return ChosenStart.check(request, config, task);
        } catch (RuntimeException e) {
            syncTask.fail(e.getMessage());
            throw e;
        }
    }

    /** Whether opening the target ran or began a full load of every table (its chunked load copies inside open). */
    private boolean loadedNow(Map<routes.change.TableId, SyncTask.TableLoad> loadsBefore) {
        if (syncTask.phase() == TaskPhase.FULL_LOAD) {
            return true;
        }
        // A chunked load's progress entries are new objects whenever it plans or copies a chunk.
        Map<routes.change.TableId, SyncTask.TableLoad> after = syncTask.loads();
        return after.entrySet().stream().anyMatch(e -> loadsBefore.get(e.getKey()) != e.getValue());
    }

    @Override
    public void stop() {
        if (sink != null) {
            sink.captureStopped();
        } else if (syncTask != null) {
            syncTask.fail("the capture engine could not start; its error is logged above");
        }
    }

    @Override
    public Future<Map<ByteBuffer, ByteBuffer>> get(Collection<ByteBuffer> keys) {
        Map<ByteBuffer, ByteBuffer> found = new HashMap<>();
        for (ByteBuffer key : keys) {
            ByteBuffer value = offsets.get(key);
            if (value != null) {
                found.put(key, value);
            }
        }
        return CompletableFuture.completedFuture(found);
    }

    @Override
    public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
        Map<String, String> text = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (key != null && value != null) {
                text.put(string(key), string(value));
            }
        });
        try {
            if (!sink.transactionBoundary().atBoundary()) {
                // Only the engine's flush at its stop comes here inside a transaction (the commit policy waits for
                // its end): committing would show it in part. The target's open transaction is dropped instead.
                throw new IllegalStateException("Task '" + task + "' stops inside a source transaction: its changes so far are "
                        + "not committed and are captured again at the next start");
            }
            if (!firstCommitAlso.isEmpty()) {
                text.putAll(firstCommitAlso);
            }
            sink.commit(text);
            firstCommitAlso.clear();
        } catch (Exception e) {
            if (callback != null) {
                callback.onCompletion(e, null);
            }
            return CompletableFuture.failedFuture(e);
        }
        offsets.putAll(values);
        if (callback != null) {
            callback.onCompletion(null, null);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of();
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
