package routes.state;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads Debezium's own offsets to tell whether the task's full load (initial snapshot) finished. Debezium restarts
 * an unfinished snapshot from zero, so the target must then start from empty too: rows deleted on the source since
 * the interrupted attempt would otherwise stay on the target.
 */
public final class FullLoadState {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FullLoadState() {
    }

    public static boolean isComplete(Map<String, String> offsets) {
        if (offsets.isEmpty()) {
            return false;
        }
        for (String value : offsets.values()) {
            JsonNode offset = parse(value);
            boolean inSnapshot = offset.hasNonNull("snapshot") && !"false".equalsIgnoreCase(offset.get("snapshot").asText());
            boolean finished = offset.path("last_snapshot_record").asBoolean(false) || offset.path("snapshot_completed").asBoolean(false);
            if (inSnapshot && !finished) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored source offset is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
