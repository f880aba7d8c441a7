package routes.sink;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import routes.change.TableId;
import routes.sink.kafka.KafkaTopicWriter;
import routes.sink.streamload.StreamLoadWriter;
import routes.state.TableOperationRefused;

/** Targets that cannot pause or reload one table say so by their own name, with what to do instead. */
class TableOperationRefusalsTest {

    private static final TableId ORDERS = new TableId("shop", "orders");

    @Test
    void kafkaAndStreamLoadRefuseByName() {
        for (TaskWriter writer : new TaskWriter[] {new KafkaTopicWriter(), new StreamLoadWriter()}) {
            String kind = writer instanceof KafkaTopicWriter ? "a Kafka target" : "a Doris/StarRocks Stream Load target";
            String pause = assertThrows(TableOperationRefused.class, () -> writer.pause(ORDERS)).getMessage();
            assertTrue(pause.startsWith(kind + " cannot hold one table's changes aside") && pause.contains("/stop"), pause);
            String resync = assertThrows(TableOperationRefused.class, () -> writer.reloadable(ORDERS, Reload.resync(true))).getMessage();
            assertTrue(resync.startsWith(kind + " cannot resync one table") && resync.contains("--start-from initial"), resync);
        }
    }

    /** The append log has no place for rows re-read from a table: both reloads are refused with the reason. */
    @Test
    void appendLogRefusesReloadsWithTheReason() {
        AppendLogWriter writer = new AppendLogWriter();
        for (Reload reload : new Reload[] {Reload.resync(true), Reload.backfill("id > 1")}) {
            String refused = assertThrows(TableOperationRefused.class, () -> writer.reloadable(ORDERS, reload)).getMessage();
            assertTrue(refused.startsWith("cannot " + reload.name() + " shop.orders: the append log keeps every change at its source "
                    + "position") && refused.contains("--start-from initial"), refused);
        }
    }
}
