package routes.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;

import routes.capture.DebeziumValues.JsonText;
import routes.change.ChangeEvent;
import routes.change.TableId;
import routes.ops.TaskProblem;
import routes.sink.dialect.SqlDialect;

/**
 * The dead letters of a task: rows the target refused, kept in realtime_sync.dirty_rows (table, key, row as JSON,
 * the target's error, time) inside the same transaction as the rows written around them, so a replay after a crash
 * records them again rather than twice. Counts them against the task's limit: past it, the task stops.
 */
public final class DirtyRowStore {

    private static final Logger LOG = LoggerFactory.getLogger(DirtyRowStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private final String task;
    private final SqlDialect dialect;
    private final long limit;
    /** Told (source table, the target's error) of each row refused the first time this run. */
    private final BiConsumer<TableId, String> refused;
    private final DeadLetters deadLetters;
    private long storedBefore;
    /** Rejected changes of this run, by arrival sequence: a replay of the same transaction does not count twice. */
    private final Set<Long> rejectedThisRun = ConcurrentHashMap.newKeySet();

    public DirtyRowStore(String task, SqlDialect dialect, long limit, BiConsumer<TableId, String> refused, DeadLetters deadLetters) {
        this.task = task;
        this.dialect = dialect;
        this.limit = limit;
        this.refused = refused;
        this.deadLetters = deadLetters;
    }

    /** Reads how many rows earlier runs stored: the limit is the task's, not one run's. */
    public void open(Connection connection) throws SQLException {
        storedBefore = dialect.countDirtyRows(connection, task);
    }

    public long count() {
        return storedBefore + rejectedThisRun.size();
    }

    public void store(Connection connection, TableId source, TableId target, ChangeEvent change, SQLException error) throws SQLException {
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        dialect.saveDirtyRow(connection, task, source, target, change.operation().name(), json(change.key()),
                change.row().isEmpty() ? null : json(change.row()), reason);
        deadLetters.refused(DeadLetters.Letter.of(source, target, change, reason));
        if (rejectedThisRun.add(change.sequence())) {
            LOG.warn("Task '{}': the target refused a row of {} (key {}); it is kept in realtime_sync.dirty_rows: {}", task, source,
                    json(change.key()), reason);
            refused.accept(source, reason);
        }
        if (count() > limit) {
            throw new TaskProblem("The target refused " + count() + " rows, more than the task's dirtyRowLimit of " + limit
                    + " (see realtime_sync.dirty_rows for each row and its error). Fix the cause (type mapping, constraints "
                    + "on the target), then raise the limit or clear the rows you dealt with, and restart the task.");
        }
    }

    /** The transaction holding the rows stored since the last commit has committed: they go on as dead letters. */
    public void committed() {
        deadLetters.committed();
    }

    /** The values as JSON: JSON stays JSON, bytes are \\x-hex, everything else its text form. */
    static String json(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, jsonable(v)));
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            return String.valueOf(values);
        }
    }

    private static Object jsonable(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Number || value instanceof String) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return "\\x" + HEX.formatHex(bytes);
        }
        if (value instanceof JsonText json) {
            return new RawValue(json.json());
        }
        if (value instanceof List<?> list) {
            return list.stream().map(DirtyRowStore::jsonable).toList();
        }
        return value.toString();
    }
}
