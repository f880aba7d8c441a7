package routes.sink.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import routes.state.TableState;


/**
 * A task's state in a compacted topic of its own, written in the same Kafka transaction as the rows it describes, so
 * a read_committed reader always finds the state that matches the topics: Debezium's source offsets
 * ({@code offset:<partition>}), Debezium's schema history of binlog sources ({@code history:<sequence>}, one record
 * each, kept in order), each table's status ({@code table:<schema.table>}), the columns each table's records carry
 * ({@code columns:<schema.table>}, see {@link RecordColumns}) and the number of records sent to the dead-letter topic
 * ({@code dead-letters}). Compaction keeps the newest value of each key; a null value deletes one.
 */
final class TaskStateTopic {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OFFSET = "offset:";
    private static final String HISTORY = "history:";
    private static final String TABLE = "table:";
    private static final String COLUMNS = "columns:";
    private static final String DEAD_LETTERS = "dead-letters";

    /** A table's status (see {@link TableState}), its reason and its topic. */
    record TableStatus(TableState status, String reason, String topic) {
    }

    private final String topic;
    private final Map<String, String> offsets = new LinkedHashMap<>();
    private final TreeMap<Long, String> history = new TreeMap<>();
    private final Map<String, TableStatus> tables = new LinkedHashMap<>();
    private final Map<String, String> columns = new LinkedHashMap<>();
    private long deadLetters;

    TaskStateTopic(String topic) {
        this.topic = topic;
    }

    String topic() {
        return topic;
    }

    /** Reads the whole topic as a read_committed consumer sees it now. */
    void read(Consumer<byte[], byte[]> consumer, Duration timeout) {
        TopicReader.readAll(consumer, topic, timeout, (key, value) -> {
            if (key != null) {
                apply(text(key), value == null ? null : text(value));
            }
        });
    }

    private void apply(String key, String value) {
        if (key.startsWith(OFFSET)) {
            put(offsets, key.substring(OFFSET.length()), value);
        } else if (key.startsWith(HISTORY)) {
            put(history, Long.parseLong(key.substring(HISTORY.length())), value);
        } else if (key.startsWith(TABLE)) {
            put(tables, key.substring(TABLE.length()), value == null ? null : status(value));
        } else if (key.startsWith(COLUMNS)) {
            put(columns, key.substring(COLUMNS.length()), value);
        } else if (key.equals(DEAD_LETTERS)) {
            deadLetters = value == null ? 0 : Long.parseLong(value);
        }
    }

    private static <K, V> void put(Map<K, V> map, K key, V value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    Map<String, String> offsets() {
        return offsets;
    }

    List<String> history() {
        return new ArrayList<>(history.values());
    }

    Map<String, TableStatus> tables() {
        return tables;
    }

    /** The columns each table's records carry (JSON of {@link RecordColumns}), by table. */
    Map<String, String> columns() {
        return columns;
    }

    /** Saves the columns a table's records carry; null forgets them. */
    ProducerRecord<byte[], byte[]> columnsRecord(String table, String json) {
        put(columns, table, json);
        return record(COLUMNS + table, json);
    }

    /** Forgets the columns of every table (a full load that starts over sends the rows as they are now). */
    List<ProducerRecord<byte[], byte[]>> clearColumns() {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (String table : columns.keySet()) {
            records.add(record(COLUMNS + table, null));
        }
        columns.clear();
        return records;
    }

    long deadLetters() {
        return deadLetters;
    }

    /** The records saving these offsets (the view here changes only once they are committed: see {@link #committed}). */
    List<ProducerRecord<byte[], byte[]>> offsetRecords(Map<String, String> newOffsets) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        newOffsets.forEach((key, value) -> records.add(record(OFFSET + key, value)));
        return records;
    }

    /** Records the offsets a committed transaction saved. */
    void committed(Map<String, String> newOffsets) {
        offsets.putAll(newOffsets);
    }

    ProducerRecord<byte[], byte[]> historyRecord(String document) {
        long sequence = history.isEmpty() ? 1 : history.lastKey() + 1;
        history.put(sequence, document);
        return record(HISTORY + String.format("%019d", sequence), document);
    }

    /** Deletes the schema history (a full load that starts over records it again). */
    List<ProducerRecord<byte[], byte[]>> clearHistory() {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Long sequence : history.keySet()) {
            records.add(record(HISTORY + String.format("%019d", sequence), null));
        }
        history.clear();
        return records;
    }

    ProducerRecord<byte[], byte[]> tableRecord(String table, TableStatus status) {
        tables.put(table, status);
        ObjectNode value = JSON.createObjectNode().put("status", status.status().name()).put("reason", status.reason()).put("topic", status.topic());
        return record(TABLE + table, value.toString());
    }

    ProducerRecord<byte[], byte[]> deadLetterCountRecord(long count) {
        deadLetters = count;
        return record(DEAD_LETTERS, Long.toString(count));
    }

    private ProducerRecord<byte[], byte[]> record(String key, String value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static TableStatus status(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new TableStatus(TableState.valueOf(node.path("status").asText()), node.path("reason").isNull() ? null : node.path("reason").asText(),
                    node.path("topic").isNull() ? null : node.path("topic").asText());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable table status in the task state: " + json, e);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
