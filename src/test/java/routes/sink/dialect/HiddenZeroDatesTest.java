package routes.sink.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
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
import routes.schema.Column;
import routes.schema.TableSchema;

class HiddenZeroDatesTest {

    private static final TableId T = new TableId("shop", "legacy");
    private static final TableSchema MYSQL = new TableSchema(T, List.of(new Column("id", "int(11)", false),
            new Column("d", "date", true), new Column("d_req", "date", false), new Column("dt_req", "datetime(6)", false),
            new Column("note", "varchar(10)", true)), List.of("id"), TableSchema.MYSQL);

    private static ChangeEvent update(Map<String, Object> before, Map<String, Object> after) {
        return new ChangeEvent(T, Operation.UPSERT, List.of("id"), Map.of("id", 1), after, Set.of(), 1, SourceOperation.UPDATE,
                Instant.EPOCH, RowImage.of(before), SourcePosition.parse("binlog:f:1:0"));
    }

    private static Map<String, Object> row(Object d, Object dReq, Object dtReq, String note) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1);
        row.put("d", d);
        row.put("d_req", dReq);
        row.put("dt_req", dtReq);
        row.put("note", note);
        return row;
    }

    @Test
    void unchangedStandInsAreLeftToTheTarget() {
        LocalDateTime epoch = LocalDateTime.of(1970, 1, 1, 0, 0);
        ChangeEvent kept = HiddenZeroDates.keepTargetValues(
                List.of(update(row(null, LocalDate.EPOCH, epoch, "a"), row(null, LocalDate.EPOCH, epoch, "b"))), MYSQL).get(0);
        assertEquals(Map.of("id", 1, "note", "b"), kept.row());
        assertEquals(Set.of("d", "d_req", "dt_req"), kept.unavailable());
    }

    @Test
    void changedDatesAndRealValuesAreWritten() {
        Map<String, Object> before = row(LocalDate.of(2024, 3, 15), LocalDate.of(2024, 3, 15), LocalDateTime.of(2024, 3, 15, 1, 2), "a");
        Map<String, Object> after = row(null, LocalDate.EPOCH, LocalDateTime.of(2024, 3, 15, 1, 2), "a");
        ChangeEvent changed = update(before, after);
        assertSame(changed, HiddenZeroDates.keepTargetValues(List.of(changed), MYSQL).get(0));
    }

    @Test
    void insertsAndOtherSourcesAreLeftAlone() {
        Map<String, Object> row = new HashMap<>(row(null, LocalDate.EPOCH, null, "a"));
        ChangeEvent insert = new ChangeEvent(T, Operation.UPSERT, List.of("id"), Map.of("id", 1), row, Set.of(), 1,
                SourceOperation.INSERT, Instant.EPOCH, RowImage.NONE, SourcePosition.parse("binlog:f:1:0"));
        assertSame(insert, HiddenZeroDates.keepTargetValues(List.of(insert), MYSQL).get(0));
        TableSchema postgres = new TableSchema(T, MYSQL.columns(), List.of("id"), TableSchema.POSTGRESQL);
        ChangeEvent update = update(row(null, null, null, "a"), row(null, null, null, "b"));
        assertSame(update, HiddenZeroDates.keepTargetValues(List.of(update), postgres).get(0));
    }
}
