package routes.sink.kafka;

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

class RecordColumnsTest {

    private static final TableId T = new TableId("public", "items");

    @Test
    void appliedChangesLeaveRecordsAsTheyCome() {
        RecordColumns columns = new RecordColumns(List.of("id", "name", "note"));
        List<String> now = List.of("id", "name", "price");
        assertEquals(List.of("price"), columns.addedIn(now));
        assertEquals(List.of("note"), columns.droppedIn(now));
        columns.changed(now, Set.of("price"), Set.of("note"));
        assertEquals(row("id", 3, "name", "salt", "price", 7), columns.recorded(change(row("id", 3, "name", "salt", "price", 7))).row());
    }

    @Test
    void ignoredChangesKeepADroppedFieldAsNullAndLeaveAnAddedOneOut() {
        RecordColumns columns = new RecordColumns(List.of("id", "name", "note"));
        columns.changed(List.of("id", "name", "price"), Set.of(), Set.of());
        assertEquals(row("id", 3, "name", "salt", "note", null), columns.recorded(change(row("id", 3, "name", "salt", "price", 7))).row());
        // The left-out column dropped in turn: nothing to decide, the records never carried it.
        assertEquals(List.of(), columns.droppedIn(List.of("id", "name")));
        columns.changed(List.of("id", "name"), Set.of(), Set.of());
        // The kept column added again: its values are back.
        columns.changed(List.of("id", "name", "note"), Set.of(), Set.of());
        assertEquals(row("id", 4, "name", "oil", "note", "x"), columns.recorded(change(row("id", 4, "name", "oil", "note", "x"))).row());
    }

    @Test
    void theStateKeepsTheShapeTheRecordsHave() {
        RecordColumns columns = new RecordColumns(List.of("id", "name", "note"));
        columns.changed(List.of("id", "name", "price"), Set.of(), Set.of());
        String saved = columns.toJson();
        assertEquals("{\"source\":[\"id\",\"name\",\"price\"],\"leftOut\":[\"price\"],\"keptNull\":[\"note\"]}", saved);
        RecordColumns restored = RecordColumns.fromJson(saved);
        assertEquals(saved, restored.toJson());
        assertEquals(row("id", 3, "name", "salt", "note", null), restored.recorded(change(row("id", 3, "name", "salt", "price", 7))).row());
        assertEquals(List.of("origin"), restored.addedIn(List.of("id", "name", "price", "origin")));
    }

    private static Map<String, Object> row(Object... pairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }

    private static ChangeEvent change(Map<String, Object> row) {
        return new ChangeEvent(T, Operation.UPSERT, List.of("id"), Map.of("id", row.get("id")), row, Set.of(), 1, SourceOperation.INSERT,
                Instant.EPOCH, RowImage.NONE, new SourcePosition.Marker("test"));
    }
}
