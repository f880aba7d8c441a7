package routes.sink.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import routes.change.ChangeEvent;
import routes.ops.TaskProblem;

/**
 * How a change becomes a Kafka record: the key is the row's primary key as a JSON object (the same text for every
 * change of a key, so Kafka's partitioner keeps a key's changes in order and compaction keeps its newest), the value
 * is the change in the chosen format.
 */
abstract class RecordFormat {

    private static final JsonFactory JSON = new JsonFactory();

    protected final JsonValues values;

    protected RecordFormat(JsonValues values) {
        this.values = values;
    }

    /** The format a task names: debezium-json or canal-json. */
    static RecordFormat named(String name, JsonValues values) {
        String format = name == null || name.isBlank() ? "debezium-json" : name.trim().toLowerCase(Locale.ROOT);
        return switch (format) {
            case "debezium-json" -> new DebeziumJsonFormat(values);
            case "canal-json" -> new CanalJsonFormat(values);
            default -> throw new TaskProblem("The kafka-sink setting format '" + name + "' does not exist: use debezium-json or "
                    + "canal-json.");
        };
    }

    /** The record key: the primary key columns in key order, e.g. {@code {"id":42}}. */
    byte[] key(ChangeEvent change) {
        return json(g -> values.writeRow(g, orderedKey(change)));
    }

    /** The record value of a row change. */
    abstract byte[] change(ChangeEvent change, SourceNames source, long nowMillis);

    /** The record value announcing that the source emptied the table (written without a key). */
    abstract byte[] truncate(SourceNames source, Instant when, long nowMillis);

    /** Whether a record value in this format says its row is gone. */
    abstract boolean isDelete(JsonNode value);

    /** The key values in key order (the change's key map may hold them in another order). */
    protected static Map<String, Object> orderedKey(ChangeEvent change) {
        Map<String, Object> key = new java.util.LinkedHashMap<>();
        for (String column : change.keyColumns()) {
            key.put(column, change.key().get(column));
        }
        return key;
    }

    /** Writes one JSON document with the generator and returns its UTF-8 bytes. */
    protected static byte[] json(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            writer.write(generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @FunctionalInterface
    protected interface Writer {
        void write(JsonGenerator json) throws IOException;
    }
}
