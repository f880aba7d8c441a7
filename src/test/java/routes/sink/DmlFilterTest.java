package routes.sink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import routes.ops.TaskProblem;

class DmlFilterTest {

    private static ChangeEvent change(String schema, String table, SourceOperation op) {
        Operation operation = op == SourceOperation.DELETE ? Operation.DELETE : Operation.UPSERT;
        return new ChangeEvent(new TableId(schema, table), operation, List.of("id"), Map.of("id", 1), Map.of("id", 1), Set.of(),
                1, op, Instant.EPOCH, RowImage.NONE, SourcePosition.parse("lsn:1"));
    }

    private static DmlFilter filter(String rules) {
        DmlFilter filter = new DmlFilter();
        filter.setRules(rules);
        return filter;
    }

    @Test
    void firstMatchingEntryDecides() {
        DmlFilter filter = filter("shop\\.audit_.*=insert; shop\\..*=insert,update");
        assertFalse(filter.rejects(change("shop", "audit_log", SourceOperation.INSERT)));
        assertTrue(filter.rejects(change("shop", "audit_log", SourceOperation.UPDATE)));
        assertTrue(filter.rejects(change("shop", "audit_log", SourceOperation.DELETE)));
        assertFalse(filter.rejects(change("shop", "orders", SourceOperation.UPDATE)));
        assertTrue(filter.rejects(change("shop", "orders", SourceOperation.DELETE)));
    }

    @Test
    void tablesNoEntryMatchesKeepEveryOperation() {
        DmlFilter filter = filter("shop\\.orders=none");
        assertFalse(filter.rejects(change("shop", "orders_2024", SourceOperation.DELETE)));
        assertFalse(filter.rejects(change("other", "orders", SourceOperation.DELETE)));
        assertTrue(filter.rejects(change("shop", "orders", SourceOperation.INSERT)));
    }

    @Test
    void fullLoadRowsAreNeverFiltered() {
        assertFalse(filter(".*=none").rejects(change("shop", "orders", SourceOperation.FULL_LOAD)));
    }

    @Test
    void emptySettingKeepsEverything() {
        assertFalse(filter("").rejects(change("shop", "orders", SourceOperation.DELETE)));
    }

    @Test
    void aRegexMayHoldAnEqualsSign() {
        assertTrue(filter("(?=shop\\.).*=insert").rejects(change("shop", "t", SourceOperation.UPDATE)));
    }

    @Test
    void badEntriesSayWhatIsWrong() {
        assertThrows(TaskProblem.class, () -> filter("shop\\.orders"));
        assertThrows(TaskProblem.class, () -> filter("shop\\.orders=upsert"));
        assertThrows(TaskProblem.class, () -> filter("shop(=insert"));
    }
}
