package routes.sink.streamload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import routes.capture.DebeziumValues.JsonText;
import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.RowImage;
import routes.change.SourceOperation;
import routes.change.SourcePosition;
import routes.change.TableId;

class JsonRowsTest {

    @Test
    void rowsCarryTheDeleteFieldAndValuesInTheirTextForms() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 7L);
        row.put("amount", new BigDecimal("12.30"));
        row.put("at", LocalDateTime.of(2024, 1, 2, 3, 4, 5, 120_000_000));
        row.put("zoned", OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2)));
        row.put("day", LocalDate.of(2024, 2, 29));
        row.put("bytes", new byte[] {1, (byte) 0xff});
        row.put("doc", new JsonText("{\"a\": [1, 2]}"));
        row.put("ratio", 0.5d);
        row.put("nothing", null);
        ChangeEvent upsert = new ChangeEvent(new TableId("public", "t"), Operation.UPSERT, List.of("id"), Map.of("id", 7L), row, Set.of(), 1,
                SourceOperation.INSERT, Instant.EPOCH, RowImage.NONE, SourcePosition.parse("lsn:1"));
        ChangeEvent delete = new ChangeEvent(new TableId("public", "t"), Operation.DELETE, List.of("id"), Map.of("id", 8L), Map.of(), Set.of(), 2,
                SourceOperation.DELETE, Instant.EPOCH, RowImage.NONE, SourcePosition.parse("lsn:2"));

        assertEquals("[{\"id\":7,\"amount\":\"12.30\",\"at\":\"2024-01-02 03:04:05.120000\",\"zoned\":\"2024-01-02 01:04:05\","
                + "\"day\":\"2024-02-29\",\"bytes\":\"\\\\x01ff\",\"doc\":\"{\\\"a\\\": [1, 2]}\",\"ratio\":0.5,\"nothing\":null,"
                + "\"__DORIS_DELETE_SIGN__\":0},{\"id\":8,\"__DORIS_DELETE_SIGN__\":1}]",
                new String(JsonRows.of(List.of(upsert, delete), "__DORIS_DELETE_SIGN__"), StandardCharsets.UTF_8));
    }
}
