package routes.sink.streamload;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The body a Stream Load answers with. The HTTP status says little (a failed load answers 200 too): the body's
 * {@code Status} decides, and its {@code Message} tells a transient refusal (too many versions) from bad data.
 */
public record LoadResponse(String status, String message, long txnId, String existingJobStatus, String errorUrl, long loadedRows,
        long filteredRows, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXISTING_TXN = Pattern.compile("txn \\[(\\d+)]");

    /** What the writer does with an answer. */
    public enum Outcome {
        /** The rows are committed (visible now, or soon: Publish Timeout means committed, not yet published). */
        LOADED,
        /** The rows are precommitted (two-phase commit): visible once the transaction is committed. */
        PRECOMMITTED,
        /** An earlier load with this label finished: this batch is in already. */
        ALREADY_LOADED,
        /** A load with this label is still running or precommitted: find out how it ends before going on. */
        LABEL_BUSY,
        /** The target refused for now (too many versions to compact, busy): back off and send it again. */
        RETRY,
        /** Rows were refused (ErrorURL lists them); the load as a whole did not happen. */
        REJECTED_ROWS,
        /** Anything else: the task cannot go on with this table as it is. */
        FAILED
    }

    public static LoadResponse parse(String body) {
        JsonNode json;
        try {
            json = JSON.readTree(body == null ? "" : body);
        } catch (Exception e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            return new LoadResponse("", "not a Stream Load answer: " + abbreviate(body), -1, "", "", 0, 0, body);
        }
        return new LoadResponse(text(json, "Status"), text(json, "Message"), json.path("TxnId").asLong(-1),
                text(json, "ExistingJobStatus"), text(json, "ErrorURL"), json.path("NumberLoadedRows").asLong(0),
                json.path("NumberFilteredRows").asLong(0), body);
    }

    public Outcome outcome(boolean twoPhaseCommit) {
        switch (status) {
            case "Success":
                return twoPhaseCommit ? Outcome.PRECOMMITTED : Outcome.LOADED;
            case "Publish Timeout":
                return Outcome.LOADED;
            case "Label Already Exists":
                return "FINISHED".equals(existingJobStatus) || "VISIBLE".equals(existingJobStatus)
                        || "COMMITTED".equals(existingJobStatus) ? Outcome.ALREADY_LOADED : Outcome.LABEL_BUSY;
            default:
                if (isTooManyVersions() || isBusy()) {
                    return Outcome.RETRY;
                }
                return !errorUrl.isEmpty() ? Outcome.REJECTED_ROWS : Outcome.FAILED;
        }
    }

    /**
     * Doris error -235 (TOO_MANY_VERSION): the tablet holds more versions than it may until compaction catches up.
     * Loading again after a pause succeeds; nothing is wrong with the data.
     */
    public boolean isTooManyVersions() {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("e-235") || m.contains("too many versions") || m.contains("too_many_version")
                || (m.contains("version count") && m.contains("exceed"));
    }

    /** Refusals that say "not now": memory limits, a full load queue, a transaction limit, a timeout. */
    private boolean isBusy() {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("too many running txns") || m.contains("mem_limit_exceeded") || m.contains("memory limit exceeded")
                || m.contains("timeout") || m.contains("too many transaction") || m.contains("backend is busy");
    }

    /** The transaction holding this label, as the Label Already Exists message names it ("relate to txn [123]"). */
    public Optional<Long> existingTxnId() {
        Matcher m = EXISTING_TXN.matcher(message);
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /** A short description for logs and errors (the body holds no secret, but may be long). */
    public String describe() {
        return "Status=" + status + (message.isEmpty() ? "" : ", Message=" + abbreviate(message))
                + (existingJobStatus.isEmpty() ? "" : ", ExistingJobStatus=" + existingJobStatus);
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }
}
