package routes.capture;

import java.util.List;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;

import io.debezium.config.Configuration;
import io.debezium.connector.mariadb.MariaDbConnectorTask;
import io.debezium.connector.mariadb.MariaDbOffsetContext;
import io.debezium.connector.mariadb.MariaDbPartition;
import io.debezium.pipeline.ChangeEventSourceCoordinator;

/** Debezium's MariaDB task, its poll batches ending where source transactions end: the twin of {@link MySqlSourceTask}. */
public class MariaDbSourceTask extends MariaDbConnectorTask {

    private final TransactionBatches batches = new TransactionBatches();

    @Override
    protected ChangeEventSourceCoordinator<MariaDbPartition, MariaDbOffsetContext> start(Configuration config) {
        batches.start(config);
        return LastEventSummary.positionOnly(super.start(config));
    }

    @Override
    protected List<SourceRecord> doPoll() throws InterruptedException {
        return batches.cut(super.doPoll());
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) throws InterruptedException {
        batches.processed(record);
        super.commitRecord(record, metadata);
    }
}
