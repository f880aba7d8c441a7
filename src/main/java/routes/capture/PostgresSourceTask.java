package routes.capture;

import java.lang.reflect.Field;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;

import io.debezium.config.Configuration;

import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.connector.postgresql.PostgresConnectorConfig.LogicalDecoder;
import io.debezium.connector.postgresql.PostgresConnectorTask;
import io.debezium.connector.postgresql.PostgresOffsetContext;
import io.debezium.connector.postgresql.PostgresPartition;
import io.debezium.connector.postgresql.PostgresSchema;
import io.debezium.connector.postgresql.connection.MessageDecoder;
import io.debezium.connector.postgresql.connection.MessageDecoderContext;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.connector.postgresql.connection.PostgresReplicationConnection;
import io.debezium.connector.postgresql.connection.ReplicationConnection;
import io.debezium.connector.postgresql.connection.pgoutput.PgOutputUtf8NamesDecoder;
import io.debezium.pipeline.ChangeEventSourceCoordinator;

/**
 * Debezium's PostgreSQL task, streaming with {@link PgOutputUtf8NamesDecoder} in place of Debezium 3.4's pgoutput
 * decoder, which mangles non-ASCII schema, table and column names and so loses primary keys that have such a column.
 * Debezium picks its decoder from a fixed list ({@code plugin.name}), so the task puts ours into the replication
 * connection Debezium builds, before the connection streams.
 *
 * <p>Its poll batches end where source transactions end ({@link TransactionBatches}), and it acknowledges a position
 * to the replication slot only once the target has committed every record processed up to it: Debezium's task
 * acknowledges the last processed record when it stops, even when the engine's last offset flush failed or was
 * refused (inside a source transaction), and the slot would then run ahead of the target.
 *
 * <p>The target saves only positions between source transactions, and a restart resumes there as PostgreSQL's own
 * subscribers do: streaming from the transaction's commit end, which the server answers with every later transaction
 * whole. Debezium would instead search the log for the last change it processed ({@code lsn_proc}) and skip the
 * changes up to it; at a transaction's end that position is also the position of the next change written after the
 * commit, so a concurrent transaction lost that change and its earlier ones. The offsets of these records therefore
 * leave {@code lsn_proc} out.
 */
public class PostgresSourceTask extends PostgresConnectorTask {

    private final TransactionBatches batches = new TransactionBatches();
    private volatile boolean processedSinceFlush;

    @Override
    public ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> start(Configuration config) {
        batches.start(config);
        return LastEventSummary.positionOnly(super.start(config));
    }

    /** Debezium's offset key of the last change processed, which makes a restart search the log for it. */
    static final String LAST_CHANGE_PROCESSED = "lsn_proc";

    @Override
    public List<SourceRecord> doPoll() throws InterruptedException {
        // Offsets first: an END folded into its transaction's last row brings that row the offset made here.
        return batches.cut(super.doPoll().stream().map(PostgresSourceTask::resumingAfterTransaction).toList());
    }

    /** A transaction's end or a heartbeat, with an offset that resumes after the transaction; other records as they are. */
    static SourceRecord resumingAfterTransaction(SourceRecord record) {
        Map<String, ?> offset = record.sourceOffset();
        if (offset == null || !offset.containsKey(LAST_CHANGE_PROCESSED) || !(SourceTransactions.markerOf(record) == SourceTransactions.Marker.END
                || SourceTransactions.isHeartbeat(record))) {
            return record;
        }
        Map<String, Object> betweenTransactions = new HashMap<>(offset);
        betweenTransactions.remove(LAST_CHANGE_PROCESSED);
        return new SourceRecord(record.sourcePartition(), betweenTransactions, record.topic(), record.kafkaPartition(), record.keySchema(),
                record.key(), record.valueSchema(), record.value(), record.timestamp(), record.headers());
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) throws InterruptedException {
        processedSinceFlush = true;
        batches.processed(record);
        super.commitRecord(record, metadata);
    }

    /** Called by the engine after the target committed the offsets of every processed record. */
    @Override
    public void commit() throws InterruptedException {
        processedSinceFlush = false;
        super.commit();
    }

    @Override
    public void performCommit() {
        if (!processedSinceFlush) {
            super.performCommit();
        }
    }

    @Override
    protected ReplicationConnection buildReplicationConnection(PostgresConnection jdbcConnection, PostgresSchema schema,
            PostgresConnectorConfig config) throws SQLException {
        ReplicationConnection connection = super.buildReplicationConnection(jdbcConnection, schema, config);
        if (config.plugin() == LogicalDecoder.PGOUTPUT) {
            useDecoder(connection, new PgOutputUtf8NamesDecoder(new MessageDecoderContext(config, schema), jdbcConnection));
        }
        return connection;
    }

    /** Replaces the decoder a replication connection was built with (its private {@code messageDecoder} field). */
    static void useDecoder(ReplicationConnection connection, MessageDecoder decoder) {
        try {
            Field field = PostgresReplicationConnection.class.getDeclaredField("messageDecoder");
            field.setAccessible(true);
            field.set(connection, decoder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot install the pgoutput decoder that reads non-ASCII names: this Debezium "
                    + "version's PostgresReplicationConnection has no messageDecoder field (" + e + ")", e);
        }
    }
}
