package routes.sink.kafka;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import routes.capture.DebeziumValues;
import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.SourceOperation;

/**
 * Debezium's change event envelope as its JsonConverter writes it with schemas disabled:
 * {@code {"before":...,"after":...,"source":{...},"transaction":null,"op":"c","ts_ms":...}}, op r (full load), c, u,
 * d or t (truncate). A delete's {@code before} holds the old row when the source sent it, its key otherwise; an
 * update's {@code before} is null when the source sent no old row (PostgreSQL without REPLICA IDENTITY FULL), as with
 * Debezium. A column whose value the source did not send (PostgreSQL's unchanged TOAST) holds Debezium's placeholder
 * {@value DebeziumValues#UNAVAILABLE}.
 */
final class DebeziumJsonFormat extends RecordFormat {

    DebeziumJsonFormat(JsonValues values) {
        super(values);
    }

    @Override
    byte[] change(ChangeEvent change, SourceNames source, long nowMillis) {
        return json(g -> {
            g.writeStartObject();
            g.writeFieldName("before");
            Map<String, Object> before = change.before().values();
            if (change.operation() == Operation.DELETE) {
                values.writeRow(g, before.isEmpty() ? orderedKey(change) : before);
            } else if (change.sourceOperation() == SourceOperation.UPDATE && !before.isEmpty()) {
                values.writeRow(g, before);
            } else {
                g.writeNull();
            }
            g.writeFieldName("after");
            if (change.operation() == Operation.DELETE) {
                g.writeNull();
            } else {
                values.writeRow(g, afterImage(change));
            }
            writeSource(g, source, change.eventTime(), change.sourceOperation() == SourceOperation.FULL_LOAD,
                    change.position() == null ? null : change.position().toString());
            g.writeNullField("transaction");
            g.writeStringField("op", op(change.sourceOperation()));
            g.writeNumberField("ts_ms", nowMillis);
            g.writeEndObject();
        });
    }

    @Override
    byte[] truncate(SourceNames source, Instant when, long nowMillis) {
        return json(g -> {
            g.writeStartObject();
            g.writeNullField("before");
            g.writeNullField("after");
            writeSource(g, source, when, false, null);
            g.writeNullField("transaction");
            g.writeStringField("op", "t");
            g.writeNumberField("ts_ms", nowMillis);
            g.writeEndObject();
        });
    }

    @Override
    boolean isDelete(JsonNode value) {
        return "d".equals(value.path("op").asText());
    }

    private static Map<String, Object> afterImage(ChangeEvent change) {
        if (change.unavailable().isEmpty()) {
            return change.row();
        }
        Map<String, Object> row = new LinkedHashMap<>(change.row());
        change.unavailable().forEach(column -> row.put(column, DebeziumValues.UNAVAILABLE));
        return row;
    }

    private static void writeSource(JsonGenerator g, SourceNames source, Instant when, boolean snapshot, String position)
            throws java.io.IOException {
        g.writeObjectFieldStart("source");
        g.writeStringField("connector", source.connector());
        g.writeStringField("name", source.name());
        g.writeNumberField("ts_ms", when.toEpochMilli());
        g.writeStringField("snapshot", snapshot ? "true" : "false");
        g.writeStringField("db", source.database());
        g.writeStringField("schema", source.schema());
        g.writeStringField("table", source.table());
        if (position != null) {
            g.writeStringField("position", position);
        }
        g.writeEndObject();
    }

    private static String op(SourceOperation operation) {
        return switch (operation) {
            case FULL_LOAD -> "r";
            case INSERT -> "c";
            case UPDATE -> "u";
            case DELETE -> "d";
        };
    }
}
