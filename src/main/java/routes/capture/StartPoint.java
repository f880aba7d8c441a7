package routes.capture;

import java.util.List;
import java.util.Map;

import routes.state.StartPosition;

/** A source's side of a chosen start position: whether it still has it, and where its capture engine then starts. */
interface StartPoint {

    /**
     * Where the capture engine starts: its offset value, the schema history records at it (binlog sources), and how
     * it compares with a committed offset value.
     */
    record Resolved(Map<String, Object> offset, List<String> schemaHistory, String described) {
    }

    /**
     * Checks that the source still holds the position (before anything is written), and throws a
     * {@link routes.ops.TaskProblem} saying which way out there is when it does not.
     */
    void check(StartPosition position);

    /** Where the engine starts for {@code position}, found now ({@code latest} and {@code initial}: the end now). */
    Resolved resolve(StartPosition position);

    /**
     * Whether {@code chosen} lies before (negative), at (0) or after (positive) the committed offset value; null when the
     * two cannot be compared.
     */
    Integer compare(Map<String, Object> committed, Resolved chosen);

    /**
     * The schema history records that give the capture engine the tables' structure at {@code offset} (binlog
     * sources); empty where the engine keeps no schema history.
     */
    default List<String> schemaHistoryAt(Map<String, Object> offset) {
        return List.of();
    }
}
