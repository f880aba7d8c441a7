package routes.sink.streamload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a Stream Load task keeps beside Debezium's offsets, as one more entry of the task's offsets (so it is saved in
 * the same state transaction as they are): the label generation, and in two-phase commit mode the transactions
 * precommitted for the saved offsets together with the offsets before them. A restart commits those transactions; if
 * one of them cannot be committed any more (aborted, expired), the task goes back to the offsets before them and
 * loads that stretch again, which replays harmlessly (last change per key wins).
 *
 * @param generation changes whenever the full load starts over, so labels of reloaded rows are new
 * @param pending    transactions precommitted for the saved offsets and not known to be committed
 * @param previous   the offsets saved before those transactions (empty: the task's very first offsets)
 * @param startOver  the saved offsets are not to be used: the first batch's transactions were lost, load from nothing
 */
public record LoadLedger(String generation, List<PendingTxn> pending, Map<String, String> previous, boolean startOver) {

    /** The offset key of the entry; no Debezium offset key looks like it. */
    public static final String KEY = "{\"realtimesync\":\"stream-load\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A precommitted load: the target's transaction id, its label and the target table (for messages). */
    public record PendingTxn(long txnId, String label, String table) {
    }

    /** The entry among the stored offsets, or an empty ledger (no generation yet) when there is none. */
    public static LoadLedger from(Map<String, String> stored) {
        String text = stored.get(KEY);
        if (text == null) {
            return new LoadLedger(null, List.of(), Map.of(), false);
        }
        try {
            JsonNode json = JSON.readTree(text);
            List<PendingTxn> pending = new ArrayList<>();
            for (JsonNode txn : json.path("pending")) {
                pending.add(new PendingTxn(txn.path("txnId").asLong(), txn.path("label").asText(), txn.path("table").asText()));
            }
            Map<String, String> previous = new LinkedHashMap<>();
            json.path("previous").fields().forEachRemaining(e -> previous.put(e.getKey(), e.getValue().asText()));
            String generation = json.path("generation").asText(null);
            return new LoadLedger(generation, List.copyOf(pending), previous, json.path("startOver").asBoolean(false));
        } catch (Exception e) {
            throw new IllegalStateException("The task's stream load ledger is not readable JSON: " + e.getMessage(), e);
        }
    }

    /** Debezium's own offsets: the stored ones without this entry. */
    public static Map<String, String> offsetsOnly(Map<String, String> stored) {
        Map<String, String> offsets = new LinkedHashMap<>(stored);
        offsets.remove(KEY);
        return offsets;
    }

    public LoadLedger withPending(List<PendingTxn> txns, Map<String, String> before) {
        return new LoadLedger(generation, List.copyOf(txns), Map.copyOf(before), false);
    }

    public LoadLedger settled(boolean startOver) {
        return new LoadLedger(generation, List.of(), Map.of(), startOver);
    }

    /** The offsets to save: Debezium's, plus this entry. */
    public Map<String, String> with(Map<String, String> offsets) {
        Map<String, String> all = new LinkedHashMap<>(offsets);
        all.put(KEY, toJson());
        return all;
    }

    public String toJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("generation", generation);
        ArrayNode txns = json.putArray("pending");
        for (PendingTxn txn : pending) {
            txns.addObject().put("txnId", txn.txnId()).put("label", txn.label()).put("table", txn.table());
        }
        ObjectNode before = json.putObject("previous");
        previous.forEach(before::put);
        json.put("startOver", startOver);
        return json.toString();
    }
}
