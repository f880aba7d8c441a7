package routes.capture;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;

import io.debezium.pipeline.ChangeEventSourceCoordinator;
import io.debezium.pipeline.meters.CommonEventMeter;
import io.debezium.pipeline.metrics.PipelineMetrics;
import io.debezium.pipeline.source.spi.EventMetadataProvider;
import io.debezium.pipeline.spi.OffsetContext;
import io.debezium.pipeline.txmetadata.TransactionInfo;
import io.debezium.spi.schema.DataCollectionId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium's capture metrics keep a text summary of every captured change as their JMX attribute LastEvent, written
 * on the capture's reading thread for each change: its source position and its key, the key printed through Jackson.
 * Measured on the MariaDB and PostgreSQL backlogs (W2) and one large transaction (W4), that printing took 8-16 % of
 * the sync's CPU samples, more than the transaction markers cost. Here LastEvent says only the position.
 */
final class LastEventSummary {

    private static final Logger LOG = LoggerFactory.getLogger(LastEventSummary.class);

    private LastEventSummary() {
    }

    /** The coordinator with its full-load and streaming metrics summarising each change by its position only. */
    static <C extends ChangeEventSourceCoordinator<?, ?>> C positionOnly(C coordinator) {
        for (String metrics : new String[] { "snapshotMetrics", "streamingMetrics" }) {
            try {
                if (field(ChangeEventSourceCoordinator.class, metrics).get(coordinator) instanceof PipelineMetrics pipeline) {
                    positionOnly((CommonEventMeter) field(PipelineMetrics.class, "commonEventMeter").get(pipeline));
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Only a cost: the metrics go on printing each change's key.
                LOG.debug("Debezium's {} keep their full LastEvent summary: this Debezium version lays them out differently", metrics, e);
            }
        }
        return coordinator;
    }

    /** The meter with its summaries of the position only. */
    static void positionOnly(CommonEventMeter meter) throws ReflectiveOperationException {
        Field provider = field(CommonEventMeter.class, "metadataProvider");
        EventMetadataProvider current = (EventMetadataProvider) provider.get(meter);
        if (!(current instanceof PositionOnly)) {
            provider.set(meter, new PositionOnly(current));
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** The connector's own provider, but summarising a change by its source position. */
    private record PositionOnly(EventMetadataProvider delegate) implements EventMetadataProvider {

        @Override
        public String toSummaryString(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            Map<String, String> position = delegate.getEventSourcePosition(source, offset, key, value);
            return position == null ? null : "position: " + position;
        }

        @Override
        public Instant getEventTimestamp(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return delegate.getEventTimestamp(source, offset, key, value);
        }

        @Override
        public Map<String, String> getEventSourcePosition(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return delegate.getEventSourcePosition(source, offset, key, value);
        }

        @Override
        public String getTransactionId(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return delegate.getTransactionId(source, offset, key, value);
        }

        @Override
        public TransactionInfo getTransactionInfo(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return delegate.getTransactionInfo(source, offset, key, value);
        }
    }
}
