package routes.capture;

import java.util.concurrent.TimeoutException;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import routes.state.TaskHandover;
import routes.state.TaskSink;

/**
 * Where a task's capture stands in the source's transactions, read from Debezium's transaction markers
 * (provide.transaction.metadata: a BEGIN record before a transaction's first row, an END record after its last). The
 * engine tells the task of every record the route has processed ({@link #processed}); the target commits only while
 * no source transaction is open there ({@link #atBoundary}), so no transaction is ever visible in part. Rows outside
 * transactions (full load, heartbeats) are boundaries of their own.
 */
public final class SourceTransactions {

    /** Debezium's schema name of a transaction marker's value (fields status, id, event_count, data_collections). */
    static final String MARKER_SCHEMA = "io.debezium.connector.common.TransactionMetadataValue";

    /** Debezium's schema name of a heartbeat's value. */
    static final String HEARTBEAT_SCHEMA = "io.debezium.connector.common.Heartbeat";

    /** A marker's place: a transaction begins or ends there. */
    enum Marker { BEGIN, END }

    private volatile boolean open;

    /** The marker a record is, or null for any other record. */
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
    public void processed(SourceRecord record) {
        Marker marker = markerOf(record);
        if (marker != null) {
            open = marker == Marker.BEGIN;
        }
    }

    /** The capture starts (again) at the position the target committed, which is a boundary. */
    public void restarted() {
        open = false;
    }

    /** Whether the records processed so far end outside any source transaction, so that committing them cuts none. */
    public boolean atBoundary() {
        return !open;
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
