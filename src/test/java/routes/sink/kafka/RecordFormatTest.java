package routes.sink.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.capture.DebeziumValues;
import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.RowImage;
import routes.change.SourceOperation;
import routes.change.SourcePosition;
import routes.change.TableId;
import routes.ops.TaskProblem;

/** Both value formats, the record key, and the JSON form of every value type the capture hands over. */
class RecordFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableId ORDERS = new TableId("public", "orders");
    private static final SourceNames SOURCE = new SourceNames("postgresql", "shop-sync", "shop", "public", "orders");
    private static final Instant COMMITTED = Instant.parse("2024-05-01T10:00:00.123Z");
    private static final long NOW = 1_714_557_600_999L;

    private final RecordFormat debezium = RecordFormat.named("debezium-json", new JsonValues(JsonValues.TimestampStyle.ISO));
    private final RecordFormat canal = RecordFormat.named("canal-json", new JsonValues(JsonValues.TimestampStyle.ISO));

    private static Map<String, Object> row(Object... pairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }

    private static ChangeEvent change(SourceOperation op, Map<String, Object> row, RowImage before) {
        Map<String, Object> key = row("id", 7L);
        return new ChangeEvent(ORDERS, op == SourceOperation.DELETE ? Operation.DELETE : Operation.UPSERT, List.of("id"), key,
                op == SourceOperation.DELETE ? Map.of() : row, Set.of(), 1, op, COMMITTED, before, SourcePosition.parse("lsn:123456"));
    }

    private static JsonNode parse(byte[] bytes) throws Exception {
        return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
    }

    @Test
    void keyIsThePrimaryKeyInKeyOrder() throws Exception {
        ChangeEvent change = new ChangeEvent(ORDERS, Operation.UPSERT, List.of("region", "id"), row("id", 7L, "region", "eu"),
                row("id", 7L, "region", "eu", "status", "new"), Set.of(), 1, SourceOperation.INSERT, COMMITTED, RowImage.NONE,
                SourcePosition.parse("lsn:1"));
        assertEquals("{\"region\":\"eu\",\"id\":7}", new String(debezium.key(change), StandardCharsets.UTF_8));
        assertEquals("{\"region\":\"eu\",\"id\":7}", new String(canal.key(change), StandardCharsets.UTF_8));
    }

    @Test
    void debeziumInsertAndFullLoadRead() throws Exception {
        JsonNode insert = parse(debezium.change(change(SourceOperation.INSERT, row("id", 7L, "status", "new"), RowImage.NONE), SOURCE, NOW));
        assertEquals(List.of("before", "after", "source", "transaction", "op", "ts_ms"), fieldNames(insert));
        assertTrue(insert.get("before").isNull());
        assertEquals("{\"id\":7,\"status\":\"new\"}", insert.get("after").toString());
        assertEquals("c", insert.get("op").asText());
        assertEquals(NOW, insert.get("ts_ms").asLong());
        JsonNode source = insert.get("source");
        assertEquals("postgresql", source.get("connector").asText());
        assertEquals("shop-sync", source.get("name").asText());
        assertEquals(COMMITTED.toEpochMilli(), source.get("ts_ms").asLong());
        assertEquals("false", source.get("snapshot").asText());
        assertEquals("shop", source.get("db").asText());
        assertEquals("public", source.get("schema").asText());
        assertEquals("orders", source.get("table").asText());
        assertEquals("lsn:123456", source.get("position").asText());

        JsonNode read = parse(debezium.change(change(SourceOperation.FULL_LOAD, row("id", 7L, "status", "new"), RowImage.NONE), SOURCE, NOW));
        assertEquals("r", read.get("op").asText());
        assertEquals("true", read.get("source").get("snapshot").asText());
    }

    @Test
    void debeziumUpdateCarriesTheOldRowOnlyWhenTheSourceSentIt() throws Exception {
        JsonNode withOld = parse(debezium.change(change(SourceOperation.UPDATE, row("id", 7L, "status", "paid"),
                RowImage.of(row("id", 7L, "status", "new"))), SOURCE, NOW));
        assertEquals("u", withOld.get("op").asText());
        assertEquals("{\"id\":7,\"status\":\"new\"}", withOld.get("before").toString());
        assertEquals("{\"id\":7,\"status\":\"paid\"}", withOld.get("after").toString());

        JsonNode withoutOld = parse(debezium.change(change(SourceOperation.UPDATE, row("id", 7L, "status", "paid"), RowImage.NONE), SOURCE, NOW));
        assertTrue(withoutOld.get("before").isNull());
    }

    @Test
    void debeziumDeleteHasTheOldRowOrItsKeyAndNoAfter() throws Exception {
        JsonNode full = parse(debezium.change(change(SourceOperation.DELETE, Map.of(), RowImage.of(row("id", 7L, "status", "paid"))), SOURCE, NOW));
        assertEquals("d", full.get("op").asText());
        assertEquals("{\"id\":7,\"status\":\"paid\"}", full.get("before").toString());
        assertTrue(full.get("after").isNull());

        JsonNode keyOnly = parse(debezium.change(change(SourceOperation.DELETE, Map.of(), RowImage.NONE), SOURCE, NOW));
        assertEquals("{\"id\":7}", keyOnly.get("before").toString());
    }

    @Test
    void debeziumMarksValuesTheSourceDidNotSend() throws Exception {
        ChangeEvent toasted = new ChangeEvent(ORDERS, Operation.UPSERT, List.of("id"), row("id", 7L), row("id", 7L, "status", "paid"),
                Set.of("note"), 1, SourceOperation.UPDATE, COMMITTED, RowImage.NONE, SourcePosition.parse("lsn:9"));
        JsonNode after = parse(debezium.change(toasted, SOURCE, NOW)).get("after");
        assertEquals(DebeziumValues.UNAVAILABLE, after.get("note").asText());
        assertFalse(parse(canal.change(toasted, SOURCE, NOW)).get("data").get(0).has("note"));
    }

    @Test
    void debeziumTruncate() throws Exception {
        JsonNode truncate = parse(debezium.truncate(SOURCE, COMMITTED, NOW));
        assertEquals("t", truncate.get("op").asText());
        assertTrue(truncate.get("before").isNull() && truncate.get("after").isNull());
        assertEquals("orders", truncate.get("source").get("table").asText());
    }

    @Test
    void canalInsertUpdateAndDelete() throws Exception {
        JsonNode insert = parse(canal.change(change(SourceOperation.FULL_LOAD, row("id", 7L, "status", "new", "qty", 2), RowImage.NONE), SOURCE, NOW));
        assertEquals(List.of("data", "database", "es", "id", "isDdl", "old", "pkNames", "sql", "table", "ts", "type"), fieldNames(insert));
        assertEquals("INSERT", insert.get("type").asText());
        assertEquals("[{\"id\":7,\"status\":\"new\",\"qty\":2}]", insert.get("data").toString());
        assertTrue(insert.get("old").isNull());
        assertEquals("public", insert.get("database").asText());
        assertEquals("orders", insert.get("table").asText());
        assertEquals("[\"id\"]", insert.get("pkNames").toString());
        assertFalse(insert.get("isDdl").asBoolean());
        assertEquals(COMMITTED.toEpochMilli(), insert.get("es").asLong());
        assertEquals(NOW, insert.get("ts").asLong());

        JsonNode update = parse(canal.change(change(SourceOperation.UPDATE, row("id", 7L, "status", "paid", "qty", 2),
                RowImage.of(row("id", 7L, "status", "new", "qty", 2))), SOURCE, NOW));
        assertEquals("UPDATE", update.get("type").asText());
        assertEquals("[{\"status\":\"new\"}]", update.get("old").toString(), "old holds only the columns that changed");
        JsonNode blindUpdate = parse(canal.change(change(SourceOperation.UPDATE, row("id", 7L, "status", "paid"), RowImage.NONE), SOURCE, NOW));
        assertEquals("[{}]", blindUpdate.get("old").toString());

        JsonNode delete = parse(canal.change(change(SourceOperation.DELETE, Map.of(), RowImage.of(row("id", 7L, "status", "paid"))), SOURCE, NOW));
        assertEquals("DELETE", delete.get("type").asText());
        assertEquals("[{\"id\":7,\"status\":\"paid\"}]", delete.get("data").toString());
        JsonNode keyOnly = parse(canal.change(change(SourceOperation.DELETE, Map.of(), RowImage.NONE), SOURCE, NOW));
        assertEquals("[{\"id\":7}]", keyOnly.get("data").toString());
    }

    @Test
    void canalTruncateIsADdlMessage() throws Exception {
        JsonNode truncate = parse(canal.truncate(SOURCE, COMMITTED, NOW));
        assertEquals("TRUNCATE", truncate.get("type").asText());
        assertTrue(truncate.get("isDdl").asBoolean());
        assertTrue(truncate.get("data").isNull());
    }

    @Test
    void valuesKeepTheirTypesExactly() throws Exception {
        Map<String, Object> values = row(
                "big", 9_007_199_254_740_993L,                 // 2^53 + 1: a double would round it
                "small", (short) -3,
                "price", "12345678901234567890.123456789",     // decimals arrive as exact text
                "money", new BigDecimal("1E+3"),
                "ratio", 0.1d,
                "nan", Double.NaN,
                "inf", Float.NEGATIVE_INFINITY,
                "flag", true,
                "bytes", new byte[] {0, 1, (byte) 0xff},
                "day", LocalDate.of(2024, 2, 29),
                "bc", LocalDate.of(-44, 3, 15),
                "at", LocalTime.of(23, 59, 59, 999_999_000),
                "noon", LocalTime.NOON,
                "local", LocalDateTime.of(2024, 5, 1, 12, 30, 0, 250_000_000),
                "instant", OffsetDateTime.of(2024, 5, 1, 14, 30, 0, 1_000, ZoneOffset.ofHours(2)),
                "timetz", OffsetTime.of(10, 0, 0, 0, ZoneOffset.ofHours(-5)),
                "doc", new DebeziumValues.JsonText("{\"a\": [1, 2]}"),
                "bits", new DebeziumValues.BitString("0101"),
                "tags", List.of("a", "b"),
                "missing", null);
        JsonNode after = parse(debezium.change(change(SourceOperation.INSERT, values, RowImage.NONE), SOURCE, NOW)).get("after");
        assertTrue(after.get("big").isIntegralNumber());
        assertEquals("9007199254740993", after.get("big").asText());
        assertEquals(-3, after.get("small").asInt());
        assertEquals("12345678901234567890.123456789", after.get("price").textValue());
        assertEquals("1000", after.get("money").textValue());
        assertEquals(0.1d, after.get("ratio").doubleValue());
        assertEquals("NaN", after.get("nan").textValue());
        assertEquals("-Infinity", after.get("inf").textValue());
        assertTrue(after.get("flag").booleanValue());
        assertEquals("AAH/", after.get("bytes").textValue());
        assertEquals("2024-02-29", after.get("day").textValue());
        assertEquals("-0044-03-15", after.get("bc").textValue());
        assertEquals("23:59:59.999999", after.get("at").textValue());
        assertEquals("12:00:00", after.get("noon").textValue());
        assertEquals("2024-05-01T12:30:00.25", after.get("local").textValue());
        assertEquals("2024-05-01T12:30:00.000001Z", after.get("instant").textValue());
        assertEquals("10:00:00-05:00", after.get("timetz").textValue());
        assertEquals("{\"a\": [1, 2]}", after.get("doc").textValue());
        assertEquals("0101", after.get("bits").textValue());
        assertEquals("[\"a\",\"b\"]", after.get("tags").toString());
        assertTrue(after.get("missing").isNull());

        RecordFormat sql = RecordFormat.named("canal-json", new JsonValues(JsonValues.TimestampStyle.of("SQL")));
        JsonNode data = parse(sql.change(change(SourceOperation.INSERT, values, RowImage.NONE), SOURCE, NOW)).get("data").get(0);
        assertEquals("2024-05-01 12:30:00.25", data.get("local").textValue());
        assertEquals("2024-05-01 12:30:00.000001Z", data.get("instant").textValue());
        assertEquals("9007199254740993", data.get("big").asText());
    }

    @Test
    void unknownFormatsAreRefused() {
        assertThrows(TaskProblem.class, () -> RecordFormat.named("avro", null));
        assertThrows(TaskProblem.class, () -> JsonValues.TimestampStyle.of("epoch"));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
