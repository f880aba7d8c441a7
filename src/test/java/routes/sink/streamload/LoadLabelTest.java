package routes.sink.streamload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.RowImage;
import routes.change.SourceOperation;
import routes.change.SourcePosition;
import routes.change.TableId;

class LoadLabelTest {

    private static final TableId ORDERS = new TableId("ods", "orders");

    @Test
    void theSameBatchAlwaysGetsTheSameLabel() {
        List<ChangeEvent> batch = List.of(change(1, "lsn:100"), change(2, "lsn:101"), change(1, "lsn:102"));
        List<ChangeEvent> replayed = List.of(change(1, "lsn:100"), change(2, "lsn:101"), change(1, "lsn:102"));
        assertEquals(LoadLabel.of("task", "g1", ORDERS, batch, 0), LoadLabel.of("task", "g1", ORDERS, replayed, 0));
    }

    @Test
    void anythingThatNamesAnotherBatchGivesAnotherLabel() {
        List<ChangeEvent> batch = List.of(change(1, "lsn:100"), change(2, "lsn:101"));
        String label = LoadLabel.of("task", "g1", ORDERS, batch, 0);
        assertNotEquals(label, LoadLabel.of("task", "g1", ORDERS, List.of(change(1, "lsn:100"), change(2, "lsn:102")), 0), "last position");
        assertNotEquals(label, LoadLabel.of("task", "g1", ORDERS, List.of(change(1, "lsn:99"), change(2, "lsn:101")), 0), "first position");
        assertNotEquals(label, LoadLabel.of("task", "g1", ORDERS, List.of(change(1, "lsn:100"), change(3, "lsn:100.5"),
                change(2, "lsn:101")), 0), "size");
        assertNotEquals(label, LoadLabel.of("task", "g2", ORDERS, batch, 0), "a full load that started over");
        assertNotEquals(label, LoadLabel.of("other", "g1", ORDERS, batch, 0), "task");
        assertNotEquals(label, LoadLabel.of("task", "g1", new TableId("ods", "orders2"), batch, 0), "table");
        assertNotEquals(label, LoadLabel.of("task", "g1", ORDERS, batch, 1), "part of the batch");
    }

    @Test
    void labelsUseOnlyCharactersBothTargetsAcceptAndStayShort() {
        String label = LoadLabel.of("a task with spaces/and:colons".repeat(5), "g1", new TableId("ods", "tabelle_ä_" + "x".repeat(200)),
                List.of(change(1, "binlog:mysql-bin.000003:1234:0")), 0);
        assertTrue(label.matches("[A-Za-z0-9_-]+"), label);
        assertTrue(label.length() <= 128, label);
        assertTrue(label.startsWith("rs_a_task_with_spaces"), label);
    }

    private static ChangeEvent change(long id, String position) {
        return new ChangeEvent(new TableId("public", "orders"), Operation.UPSERT, List.of("id"), Map.of("id", id), Map.of("id", id), Set.of(),
                id, SourceOperation.INSERT, Instant.EPOCH, RowImage.NONE, SourcePosition.parse(position));
    }
}
