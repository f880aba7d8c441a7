package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import routes.change.ChangeBatch;
import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.RowImage;
import routes.change.SourceOperation;
import routes.change.TableId;

class BatchOrderTest {

    private static final TableId T = new TableId("public", "t");
    private static final TableId U = new TableId("public", "u");

    private static ChangeBatch batch(TableId table, long sequence) {
        ChangeBatch batch = new ChangeBatch(table);
        batch.add(new ChangeEvent(table, Operation.UPSERT, List.of("id"), Map.of("id", 1), Map.of("id", 1), Set.of(), sequence,
                SourceOperation.INSERT, Instant.EPOCH, RowImage.NONE, new routes.change.SourcePosition.Lsn(sequence)));
        return batch;
    }

    @Test
    void aLateBatchIsFollowedByTheNewerOnesOfItsTable() {
        BatchOrder order = new BatchOrder();
        ChangeBatch newer = batch(T, 20);
        ChangeBatch other = batch(U, 30);
        ChangeBatch late = batch(T, 10);
        assertEquals(List.of(newer), order.toApply(newer));
        order.applied(newer);
        order.applied(other);
        assertEquals(List.of(late, newer), order.toApply(late));
        order.applied(late);
        order.committed();
        assertEquals(List.of(late), order.toApply(late), "after a commit nothing is applied again");
    }
}
