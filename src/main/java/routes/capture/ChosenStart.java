package routes.capture;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.change.TableId;
import routes.ops.TaskProblem;
import routes.state.FullLoadState;
import routes.state.StartPosition;
import routes.state.SyncTask;
import routes.state.TableOperationRefused;
import routes.state.TableState;
import routes.state.TaskSink;

/**
 * A start position an operator chose for a task's capture (docs/start-positions.md): checked against the source before
 * anything is written, then, once the target is open, written to it as the committed position (with the structure
 * there, for binlog sources), so that the engine starts there and later starts resume from what the task commits.
 * Which changes the jump skips or reads again is logged. The choice is recorded with the offsets (under
 * {@link #MARKER_KEY}), so a run with the same {@code --start-from} does not apply it a second time.
 */
public final class ChosenStart {

    /** The offsets entry recording the last start position applied; Debezium reads only its own entries. */
    public static final String MARKER_KEY = "{\"realtimesync\":\"start-from\"}";

    private static final Logger LOG = LoggerFactory.getLogger(ChosenStart.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StartPosition.Request request;
    private final Map<String, String> config;
    private final StartPoint point;
    private final String task;
    private Map<String, String> pendingMarker = Map.of();

    private ChosenStart(StartPosition.Request request, Map<String, String> config, String task) {
        this.request = request;
        this.config = config;
        this.point = StartPoints.of(config);
        this.task = task;
    }

    /**
     * Checks the position suits the task's source and that the source still holds it; throws a {@link TaskProblem}
     * with the one line to show (naming {@value StartPosition#OPTION} and the way out) when not. Writes nothing.
     */
    public static ChosenStart check(StartPosition.Request request, Map<String, String> config, String task) {
        StartPosition position = request.position();
        boolean postgres = StartPoints.isPostgres(config);
        if (!position.suits(postgres)) {
            throw new TaskProblem(StartPosition.OPTION + " " + position + " is a " + (postgres ? "MySQL-family" : "PostgreSQL")
                    + " position, but task '" + task + "' reads a " + (postgres ? "PostgreSQL" : "MySQL-family") + " source: use "
                    + (postgres ? "latest, initial or lsn:X/Y" : "latest, initial, binlog:FILE:POS, gtid:SET or timestamp:ISO-8601"));
        }
        ChosenStart chosen = new ChosenStart(request, config, task);
        chosen.point.check(position);
        return chosen;
    }

    /** Whether the target is to be opened for a full load (initial) rather than for streaming from the chosen place. */
    public boolean fullLoad() {
        return request.position() instanceof StartPosition.Initial;
    }

    /**
     * Once the target is open ({@code stored}: the offsets it returned), makes the choice the committed position and
     * returns the offsets the engine starts from. {@code loadedNow}: opening ran (or began) a full load of every table.
     */
    public Map<String, String> apply(TaskSink sink, SyncTask syncTask, Map<String, String> stored, boolean loadedNow) throws Exception {
        StartPosition position = request.position();
        String asked = request.commandLine() ? StartPosition.OPTION + " " + position : "the API's start {\"from\": \"" + position + "\"}";
        Map<String, Object> marker = read(stored.get(MARKER_KEY));
        if (request.commandLine() && position.toString().equals(marker.get("from"))) {
            LOG.info("Task '{}': {} was applied at {} already; the task resumes from its committed position (to start there again, "
                    + "POST /api/tasks/{}/start with {\"from\": \"{}\"})", task, asked, marker.get("applied"), task, position);
            return stored;
        }
        String key = engineKey();
        Map<String, Object> committed = read(stored.get(key));
        Map<String, String> offsets = new LinkedHashMap<>();
        if (position instanceof StartPosition.Initial && (loadedNow || !FullLoadState.isComplete(engineOffsets(stored)))) {
            LOG.info("Task '{}': {}: the target holds no complete position, so the task runs its full load of every table, then streams",
                    task, asked);
            pendingMarker = Map.of(MARKER_KEY, markerValue("a full load"));
            return stored;
        }
        StartPoint.Resolved chosen = point.resolve(position instanceof StartPosition.Initial ? new StartPosition.Latest() : position);
        if (position instanceof StartPosition.Initial) {
            LOG.warn("Task '{}': {}: the task streams from {} instead of its committed position {} and resyncs every table (each is "
                    + "copied into a staging table that replaces its rows in one commit, so readers never see it half loaded); until "
                    + "a table's resync finishes it holds the rows it had plus the changes from there on", task, asked, chosen.described(),
                    describe(committed));
            resyncEveryTable(sink, syncTask);
        } else {
            LOG.warn("Task '{}': {}", task, whatTheStartDoes(asked, committed, chosen));
        }
        if (!StartPoints.isPostgres(config) && takesStructureNow(committed, chosen, sink)) {
            for (String record : point.schemaHistoryAt(chosen.offset())) {
                sink.appendSchemaHistory(record);
            }
        }
        offsets.put(key, write(chosen.offset()));
        Map<String, String> commit = new LinkedHashMap<>(offsets);
        commit.put(MARKER_KEY, markerValue(chosen.described()));
        sink.commit(commit);
        Map<String, String> resumed = new LinkedHashMap<>(stored);
        resumed.putAll(commit);
        return resumed;
    }

    /** The marker still to commit with the task's first commit (a start whose full load runs first); empty if none. */
    public Map<String, String> pendingMarker() {
        return pendingMarker;
    }

    /** The one line saying what starting from {@code chosen} instead of {@code committed} skips or reads again. */
    private String whatTheStartDoes(String asked, Map<String, Object> committed, StartPoint.Resolved chosen) {
        String from = asked + ": the task starts from " + chosen.described();
        if (committed.isEmpty()) {
            return from + " on a target that holds no position: the tables get no full load, only the changes from there on, so "
                    + "they may differ from the source until they are resynced";
        }
        String instead = from + " instead of its committed position " + describe(committed);
        Integer order = point.compare(committed, chosen);
        if (order == null) {
            return instead + ": the changes between the two are skipped or read again, whichever way the chosen position lies, "
                    + "so the target may differ from the source until the tables are resynced";
        }
        if (order > 0) {
            return instead + ": the changes between them are skipped, so the target may differ from the source until the tables "
                    + "are resynced";
        }
        if (order < 0) {
            return instead + ": the changes between them are read and applied again (as whole rows by key, so each row ends as "
                    + "the source's newest; an append-only target receives them twice)";
        }
        return instead + ", the same place: nothing is skipped or read again";
    }

    /**
     * Whether the target's schema history is to take the tables' structure now at the chosen place: not when the place
     * lies before the committed one, whose history is exact there.
     */
    private boolean takesStructureNow(Map<String, Object> committed, StartPoint.Resolved chosen, TaskSink sink) {
        Integer order = committed.isEmpty() ? null : point.compare(committed, chosen);
        return order == null || order > 0 || sink.schemaHistory().isEmpty();
    }

    /** Resyncs every syncing or paused table: refused by a target that cannot, before anything is committed. */
    private void resyncEveryTable(TaskSink sink, SyncTask syncTask) throws Exception {
        for (Map.Entry<TableId, SyncTask.TableStatus> table : syncTask.tables().entrySet()) {
            TableState state = table.getValue().state();
            if (state != TableState.SYNCING && state != TableState.PAUSED) {
                if (state != TableState.RESYNCING && state != TableState.SKIPPED) {
                    LOG.warn("Task '{}': table {} is {} and is not resynced by initial; resync it on its own", task, table.getKey(), state);
                }
                continue;
            }
            try {
                sink.resync(table.getKey());
            } catch (TableOperationRefused refused) {
                throw new TaskProblem(StartPosition.OPTION + " initial on a task whose target holds a position reloads every table "
                        + "through a resync, which this task cannot do (" + refused.getMessage() + "): empty the task's target state "
                        + "to load it anew, or start without " + StartPosition.OPTION + " (docs/start-positions.md)");
            }
        }
    }

    private String markerValue(String position) {
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("from", request.position().toString());
        marker.put("applied", Instant.now().toString());
        marker.put("position", position);
        return write(marker);
    }

    /** The engine's offsets key for this task: Debezium's [connector name, {"server": topic prefix}]. */
    private String engineKey() {
        return write(List.of(config.get("name"), Map.of("server", config.get("topic.prefix"))));
    }

    private static Map<String, String> engineOffsets(Map<String, String> stored) {
        Map<String, String> engine = new LinkedHashMap<>(stored);
        engine.keySet().removeIf(key -> key.startsWith("{\"realtimesync\""));
        return engine;
    }

    /** A committed offset value as people read it. */
    static String describe(Map<String, Object> committed) {
        if (committed.get("lsn") instanceof Number) {
            return PostgresStartPoint.text(committed);
        }
        if (committed.get("file") != null) {
            Object gtids = committed.get("gtids");
            return "binlog:" + committed.get("file") + ":" + committed.get("pos") + (gtids == null || gtids.toString().isBlank() ? "" : " (gtid " + gtids + ")");
        }
        return committed.isEmpty() ? "(none)" : committed.toString();
    }

    private static Map<String, Object> read(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
