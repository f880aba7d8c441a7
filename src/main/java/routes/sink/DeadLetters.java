package routes.sink;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import routes.change.ChangeEvent;
import routes.change.TableId;
import routes.ops.TaskEvents;
import routes.state.SyncTask;

/**
 * Rows the target refused, handed on once the transaction that recorded them has committed: each goes to
 * {@value #ENDPOINT} (body: the row as JSON, the key for a delete; headers below), where a task's own route can alert
 * on it, file it or repair it. Without a route consuming that endpoint nothing is sent; realtime_sync.dirty_rows (for
 * the Kafka sink: its dead-letter topic) is the durable record either way. Rows of a transaction that does not commit
 * are never sent: the task stops, and a replay records them again. Sent asynchronously: delivery never holds up the
 * data. The task keeps the last ones of each table in memory for the operator API ({@link SyncTask#refusedRows}).
 */
public final class DeadLetters {

    public static final String ENDPOINT = "direct:realtime-sync-dead-letters";
    public static final String TASK_HEADER = "RealtimeSyncTask";
    /** The source table, schema.table. */
    public static final String TABLE_HEADER = "RealtimeSyncTable";
    /** Where the row was to go: the target table, or the Kafka topic. */
    public static final String TARGET_HEADER = "RealtimeSyncTarget";
    public static final String OPERATION_HEADER = "RealtimeSyncOperation";
    public static final String KEY_HEADER = "RealtimeSyncKey";
    public static final String POSITION_HEADER = "RealtimeSyncPosition";
    public static final String REASON_HEADER = "RealtimeSyncReason";

    /** One refused row: its table, where it was to go, its operation, key and row as JSON, its source position and why. */
    public record Letter(TableId table, String target, String operation, String key, String row, String position, String reason) {

        public static Letter of(TableId table, Object target, ChangeEvent change, String reason) {
            return new Letter(table, String.valueOf(target), change.operation().name(), DirtyRowStore.json(change.key()),
                    change.row().isEmpty() ? null : DirtyRowStore.json(change.row()), String.valueOf(change.position()), reason);
        }
    }

    /** Delivers the letters (the task registry's, so in order with the task's events); null delivers nothing. */
    private final TaskEvents delivery;
    private final String task;
    /** Where the task keeps its tables' last refused rows; null keeps none. */
    private final SyncTask kept;
    /** In arrival order, each once: a transaction replayed after a lost connection refuses the same rows again. */
    private final Set<Letter> uncommitted = new LinkedHashSet<>();

    public DeadLetters(TaskEvents delivery, String task) {
        this(delivery, task, null);
    }

    public DeadLetters(TaskEvents delivery, String task, SyncTask kept) {
        this.delivery = delivery;
        this.task = task;
        this.kept = kept;
    }

    /** A row refused inside the open transaction. */
    public synchronized void refused(Letter letter) {
        uncommitted.add(letter);
    }

    /** The open transaction committed: its refused rows go on. */
    public void committed() {
        List<Letter> letters;
        synchronized (this) {
            if (uncommitted.isEmpty()) {
                return;
            }
            letters = List.copyOf(uncommitted);
            uncommitted.clear();
        }
        if (kept != null) {
            Instant now = Instant.now();
            Map<TableId, List<SyncTask.RefusedRow>> byTable = new LinkedHashMap<>();
            for (Letter letter : letters) {
                byTable.computeIfAbsent(letter.table(), t -> new ArrayList<>())
                        .add(new SyncTask.RefusedRow(now, letter.reason(), letter.key(), letter.row()));
            }
            byTable.forEach((table, rows) -> kept.refusedRowsKept(table.toString(), rows));
        }
        if (delivery == null) {
            return;
        }
        for (Letter letter : letters) {
            Map<String, Object> headers = new HashMap<>();
            headers.put(TASK_HEADER, task);
            headers.put(TABLE_HEADER, letter.table().toString());
            headers.put(TARGET_HEADER, letter.target());
            headers.put(OPERATION_HEADER, letter.operation());
            headers.put(KEY_HEADER, letter.key());
            headers.put(POSITION_HEADER, letter.position());
            headers.put(REASON_HEADER, letter.reason());
            delivery.deliver(ENDPOINT, letter.row() == null ? letter.key() : letter.row(), headers);
        }
    }
}
