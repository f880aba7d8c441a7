package routes.capture;

import java.util.List;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;

import io.debezium.config.Configuration;
import io.debezium.connector.mysql.MySqlConnectorTask;
import io.debezium.connector.mysql.MySqlOffsetContext;
import io.debezium.connector.mysql.MySqlPartition;
import io.debezium.pipeline.ChangeEventSourceCoordinator;

/**
 * Debezium's MySQL task, its poll batches ending where source transactions end: it hands its start, its batches and
 * its processed records to {@link TransactionBatches}, as {@link MariaDbSourceTask} does over Debezium's MariaDB task
 * (the two Debezium tasks have no common class to put one override of each in).
 */
public class MySqlSourceTask extends MySqlConnectorTask {

    private final TransactionBatches batches = new TransactionBatches();

    @Override
    public ChangeEventSourceCoordinator<MySqlPartition, MySqlOffsetContext> start(Configuration config) {
        batches.start(config);
        return LastEventSummary.positionOnly(super.start(config));
    }

    @Override
    public List<SourceRecord> doPoll() throws InterruptedException {
        return batches.cut(super.doPoll());
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) throws InterruptedException {
        batches.processed(record);
        super.commitRecord(record, metadata);
    }
}
