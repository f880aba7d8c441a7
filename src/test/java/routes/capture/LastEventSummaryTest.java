package routes.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import io.debezium.data.Envelope;
import io.debezium.pipeline.meters.CommonEventMeter;
import io.debezium.pipeline.source.spi.EventMetadataProvider;
import io.debezium.pipeline.spi.OffsetContext;
import io.debezium.relational.TableId;
import io.debezium.spi.schema.DataCollectionId;
import io.debezium.util.Clock;

/** Debezium's LastEvent metric summarises a change by its source position, without printing its key. */
class LastEventSummaryTest {

    private static final Schema KEY = SchemaBuilder.struct().name("shop.orders.Key").field("id", Schema.INT64_SCHEMA).build();

    /** A connector's provider: the position of every change is file and pos. */
    private static final EventMetadataProvider BINLOG = new EventMetadataProvider() {
        @Override
        public Instant getEventTimestamp(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return Instant.EPOCH;
        }

        @Override
        public Map<String, String> getEventSourcePosition(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return Map.of("file", "binlog.000003");
        }

        @Override
        public String getTransactionId(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
            return "7";
        }
    };

    @Test
    void theMeterKeepsThePositionOfTheLastChangeButNotItsKey() throws Exception {
        CommonEventMeter meter = new CommonEventMeter(Clock.SYSTEM, BINLOG);
        Struct key = new Struct(KEY).put("id", 42L);
        meter.onEvent(new TableId("shop", null, "orders"), null, key, null, Envelope.Operation.UPDATE);
        assertTrue(meter.getLastEvent().contains("42"), meter.getLastEvent());

        LastEventSummary.positionOnly(meter);
        meter.onEvent(new TableId("shop", null, "orders"), null, key, null, Envelope.Operation.UPDATE);
        assertEquals("position: {file=binlog.000003}", meter.getLastEvent());
    }
}
