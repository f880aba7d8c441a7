package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.LinkedHashMap;
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

class BatchReducerTest {

    private static final TableId T = new TableId("public", "t");
    private long sequence;

    private ChangeEvent upsert(int id, String value, String... unavailable) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        if (value != null) {
            row.put("v", value);
        }
        return new ChangeEvent(T, Operation.UPSERT, List.of("id"), Map.of("id", id), row, Set.of(unavailable),
                ++sequence, SourceOperation.INSERT, Instant.EPOCH, RowImage.NONE, SourcePosition.parse("lsn:" + sequence));
    }

    private ChangeEvent delete(int id) {
        return new ChangeEvent(T, Operation.DELETE, List.of("id"), Map.of("id", id), Map.of(), Set.of(),
                ++sequence, SourceOperation.DELETE, Instant.EPOCH, RowImage.NONE, SourcePosition.parse("lsn:" + sequence));
    }

    @Test
    void lastChangePerKeyWins() {
        List<ChangeEvent> reduced = BatchReducer.reduce(List.of(upsert(1, "a"), upsert(2, "b"), upsert(1, "c"), delete(2), upsert(3, "d")));
        assertEquals(3, reduced.size());
        assertEquals("c", reduced.get(0).row().get("v"));
        assertEquals(Operation.DELETE, reduced.get(1).operation());
        assertEquals("d", reduced.get(2).row().get("v"));
    }

    @Test
    void deleteThenReinsertKeepsTheReinsert() {
        List<ChangeEvent> reduced = BatchReducer.reduce(List.of(upsert(1, "a"), delete(1), upsert(1, "b")));
        assertEquals(1, reduced.size());
        assertEquals("b", reduced.get(0).row().get("v"));
    }

    @Test
    void unchangedToastValueIsTakenFromAnEarlierChangeOfTheBatch() {
        List<ChangeEvent> reduced = BatchReducer.reduce(List.of(upsert(1, "big"), upsert(1, null, "v")));
        assertEquals("big", reduced.get(0).row().get("v"));
        assertEquals(Set.of(), reduced.get(0).unavailable());
    }

    @Test
    void unchangedToastValueWithoutEarlierValueStaysUnavailable() {
        List<ChangeEvent> reduced = BatchReducer.reduce(List.of(upsert(1, null, "v")));
        assertEquals(Set.of("v"), reduced.get(0).unavailable());
        assertEquals(Map.of("id", 1), reduced.get(0).row());
    }
}
