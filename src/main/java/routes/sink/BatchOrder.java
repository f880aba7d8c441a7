package routes.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import routes.change.ChangeBatch;
import routes.change.TableId;

/**
 * Keeps a table's changes in source order on the target although its batches may reach the writer out of order (a
 * batch completed by timeout can reach the aggregator's writing thread after a newer one of the same table completed
 * by size): a late batch is applied, then every newer batch of its table applied since the last commit is applied
 * again, which restores the newest state (applying a batch is idempotent). Only the writer's thread uses it.
 */
public final class BatchOrder {

    private final Map<TableId, List<ChangeBatch>> sinceCommit = new HashMap<>();

    /** The batches to apply now, in order: this one, then the newer ones of its table applied since the last commit. */
    public List<ChangeBatch> toApply(ChangeBatch batch) {
        List<ChangeBatch> batches = new ArrayList<>();
        batches.add(batch);
        for (ChangeBatch newer : sinceCommit.getOrDefault(batch.table(), List.of())) {
            if (newer.firstSequence() > batch.firstSequence()) {
                batches.add(newer);
            }
        }
        return batches;
    }

    /** The batch (and the newer ones {@link #toApply} gave with it) reached the target's open unit of work. */
    public void applied(ChangeBatch batch) {
        sinceCommit.computeIfAbsent(batch.table(), t -> new ArrayList<>()).add(batch);
    }

    /** The target committed: what it holds is durable, nothing before needs applying again. */
    public void committed() {
        sinceCommit.clear();
    }

    /**
     * Every batch the aggregator held was applied at once (inside a long source transaction): the batches that come
     * later are all newer, so none of those kept need applying again, and memory stays bounded.
     */
    public void drained() {
        sinceCommit.clear();
    }

    /** Changes kept for applying again, in all tables. */
    public long held() {
        long changes = 0;
        for (List<ChangeBatch> batches : sinceCommit.values()) {
            for (ChangeBatch batch : batches) {
                changes += batch.size();
            }
        }
        return changes;
    }
}
