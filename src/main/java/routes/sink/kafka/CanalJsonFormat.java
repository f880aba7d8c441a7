package routes.sink.kafka;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.SourceOperation;

/**
 * Canal's flat message: {@code {"data":[row],"database":...,"es":...,"id":0,"isDdl":false,"old":[...],
 * "pkNames":[...],"sql":"","table":...,"ts":...,"type":"INSERT"}}. Full-load rows are INSERTs (Canal has no read
 * operation); an UPDATE's {@code old} holds the previous values of the columns that changed, or is {@code [{}]} when
 * the source sent no old row (PostgreSQL without REPLICA IDENTITY FULL); a DELETE's {@code data} holds the old row,
 * or its key when the source sent only that. {@code database} is the table's schema (MySQL family: its database), as
 * Flink CDC writes it. Canal's mysqlType and sqlType maps are not written: the values carry JSON types instead.
 */
final class CanalJsonFormat extends RecordFormat {

    CanalJsonFormat(JsonValues values) {
        super(values);
    }

    @Override
    byte[] change(ChangeEvent change, SourceNames source, long nowMillis) {
        return json(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("data");
            Map<String, Object> before = change.before().values();
            if (change.operation() == Operation.DELETE) {
                values.writeRow(g, before.isEmpty() ? orderedKey(change) : before);
            } else {
                values.writeRow(g, change.row());
            }
            g.writeEndArray();
            g.writeStringField("database", source.schema());
            g.writeNumberField("es", change.eventTime().toEpochMilli());
            g.writeNumberField("id", 0);
            g.writeBooleanField("isDdl", false);
            g.writeFieldName("old");
            if (change.sourceOperation() == SourceOperation.UPDATE) {
                g.writeStartArray();
                values.writeRow(g, changedColumns(before, change.row()));
                g.writeEndArray();
            } else {
                g.writeNull();
            }
            g.writeArrayFieldStart("pkNames");
            for (String column : change.keyColumns()) {
                g.writeString(column);
            }
            g.writeEndArray();
            g.writeStringField("sql", "");
            g.writeStringField("table", source.table());
            g.writeNumberField("ts", nowMillis);
            g.writeStringField("type", change.operation() == Operation.DELETE ? "DELETE"
                    : change.sourceOperation() == SourceOperation.UPDATE ? "UPDATE" : "INSERT");
            g.writeEndObject();
        });
    }

    @Override
    byte[] truncate(SourceNames source, Instant when, long nowMillis) {
        return json(g -> {
            g.writeStartObject();
            g.writeNullField("data");
            g.writeStringField("database", source.schema());
            g.writeNumberField("es", when.toEpochMilli());
            g.writeNumberField("id", 0);
            g.writeBooleanField("isDdl", true);
            g.writeNullField("old");
            g.writeNullField("pkNames");
            g.writeStringField("sql", "");
            g.writeStringField("table", source.table());
            g.writeNumberField("ts", nowMillis);
            g.writeStringField("type", "TRUNCATE");
            g.writeEndObject();
        });
    }

    @Override
    boolean isDelete(JsonNode value) {
        return "DELETE".equals(value.path("type").asText());
    }

    /** Canal's old: the previous value of each column whose value the update changed. */
    private static Map<String, Object> changedColumns(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> old = new LinkedHashMap<>();
        for (Map.Entry<String, Object> column : before.entrySet()) {
            if (after.containsKey(column.getKey()) && !Objects.deepEquals(column.getValue(), after.get(column.getKey()))) {
                old.put(column.getKey(), column.getValue());
            }
        }
        return old;
    }
}
