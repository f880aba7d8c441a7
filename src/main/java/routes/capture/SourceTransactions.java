package routes.capture;

import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import routes.state.TaskHandover;
import routes.state.TaskSink;
import routes.state.TransactionBoundary;

/**
 * Debezium's transaction markers (provide.transaction.metadata: a BEGIN record before a transaction's first row, an
 * END record after its last) read from the capture's records: the engine tells the task of every record the route has
 * processed ({@link #processed}), which moves the task's {@link TransactionBoundary}. A marker either travels as its own
 * record or is folded into a neighbouring row of its transaction ({@link MarkedRecord}, {@link TransactionBatches}).
 */
public final class SourceTransactions {

    /** Debezium's schema name of a transaction marker's value (fields status, id, event_count, data_collections). */
    static final String MARKER_SCHEMA = "io.debezium.connector.common.TransactionMetadataValue";

    /** Debezium's schema name of a heartbeat's value. */
    static final String HEARTBEAT_SCHEMA = "io.debezium.connector.common.Heartbeat";

    /** A marker's place: a transaction begins or ends there. */
    enum Marker { BEGIN, END }

    private SourceTransactions() {
    }

    /**
     * A captured record that also stands for the marker folded into it: processing it moves the boundary as processing
     * that marker would ({@link #processed}). A row that takes in its transaction's END also takes the END's offset.
     */
    static final class MarkedRecord extends SourceRecord {

        private final Marker marker;

        MarkedRecord(SourceRecord record, Map<String, ?> offset, Marker marker) {
            super(record.sourcePartition(), offset, record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                    record.valueSchema(), record.value(), record.timestamp(), record.headers());
            this.marker = marker;
        }

        Marker marker() {
            return marker;
        }
    }

    /** The marker a record is, or null for any other record (also for a record a marker was folded into). */
    static Marker markerOf(SourceRecord record) {
        Schema schema = record.valueSchema();
        if (schema == null || !MARKER_SCHEMA.equals(schema.name()) || !(record.value() instanceof Struct value)) {
            return null;
        }
        return "END".equals(value.getString("status")) ? Marker.END : Marker.BEGIN;
    }

    /** Whether a record is a heartbeat: it carries only the capture's position. */
    static boolean isHeartbeat(SourceRecord record) {
        Schema schema = record.valueSchema();
        return schema != null && HEARTBEAT_SCHEMA.equals(schema.name());
    }

    /** The route has processed this record (called in stream order by the capture engine's thread). */
    static void processed(SourceRecord record, TransactionBoundary boundary) {
        Marker marker = record instanceof MarkedRecord marked ? marked.marker() : markerOf(record);
        if (marker == Marker.BEGIN) {
            boundary.begun();
        } else if (marker == Marker.END) {
            boundary.ended();
        }
    }

    /**
     * The writer of a task, where its transaction state lives (Debezium creates the capture's classes by name, so they
     * meet the writer through {@link TaskHandover}, by the key in the engine's properties). The one place the capture
     * side looks it up.
     */
    static TaskSink taskSink(String key) {
        try {
            return TaskHandover.find(key).awaitWriter(60);
        } catch (TimeoutException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
