package routes.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Poll batches cut where source transactions end, and the boundary the commit policy reads. */
class TransactionBatchesTest {

    private static final Schema MARKER = SchemaBuilder.struct().name(SourceTransactions.MARKER_SCHEMA)
            .field("status", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("shop.public.accounts.Envelope")
            .field("n", Schema.STRING_SCHEMA).build();

    @Test
    void aBatchEndsAfterItsLastCompleteTransaction() {
        TransactionBatches batches = new TransactionBatches();
        List<SourceRecord> first = batches.cut(records("BEGIN", "r1", "r2", "END", "BEGIN", "r3"));
        assertEquals(names("r1[BEGIN]", "r2[END]"), names(first));
        assertEquals(2, batches.held());

        List<SourceRecord> second = batches.cut(records("r4", "END", "BEGIN", "r5", "END"));
        assertEquals(names("r3[BEGIN]", "r4[END]", "r5[END]"), names(second));
        assertEquals(0, batches.held());
    }

    @Test
    void aBatchInsideOneTransactionGoesOutWhole() {
        TransactionBatches batches = new TransactionBatches();
        assertEquals(names("r1[BEGIN]", "r2"), names(batches.cut(records("BEGIN", "r1", "r2"))));
        assertEquals(names("r3", "r4"), names(batches.cut(records("r3", "r4")))); // still the same transaction
        List<SourceRecord> last = batches.cut(records("r5", "END", "BEGIN", "r6"));
        assertEquals(names("r5[END]"), names(last));
        assertEquals(2, batches.held());
    }

    @Test
    void recordsOutsideTransactionsAreBoundaries() {
        TransactionBatches batches = new TransactionBatches();
        assertEquals(3, batches.cut(records("snapshot1", "snapshot2", "heartbeat")).size());
        assertEquals(names("heartbeat", "r1[END]"), names(batches.cut(records("heartbeat", "BEGIN", "r1", "END", "BEGIN"))));
    }

    @Test
    void markersWithoutARowOfTheirTransactionBesideThemStayRecords() {
        TransactionBatches batches = new TransactionBatches();
        assertEquals(names("BEGIN"), names(batches.cut(records("BEGIN"))), "a batch that only begins a transaction");
        assertEquals(names("r1", "r2[END]"), names(batches.cut(records("r1", "r2", "END"))));
        assertEquals(names("r3[BEGIN]"), names(batches.cut(records("BEGIN", "r3"))));
        assertEquals(names("END", "heartbeat", "END"), names(batches.cut(records("END", "heartbeat", "BEGIN", "END"))),
                "the END of rows handed out before, a heartbeat outside transactions, a transaction without captured rows");
    }

    @Test
    void anEndFoldedIntoARowBringsItsOffset() {
        List<SourceRecord> batch = records("BEGIN", "r1", "END");
        SourceRecord end = batch.get(2);
        SourceRecord row = TransactionBatches.folded(batch).get(0);
        assertEquals(end.sourceOffset(), row.sourceOffset(), "a committed position is the one after the transaction");
        assertEquals(batch.get(1).value(), row.value());
        assertEquals(batch.get(1).sourceOffset(), TransactionBatches.folded(records("BEGIN", "r1", "r2", "END")).get(0).sourceOffset());
    }

    @Test
    void theBoundaryMovesAsTheFoldedRecordsAreProcessed() {
        routes.state.TransactionBoundary boundary = new routes.state.TransactionBoundary();
        List<SourceRecord> batch = TransactionBatches.folded(records("BEGIN", "r1", "r2", "END", "BEGIN", "r3", "END", "heartbeat"));
        List<Boolean> atBoundary = new ArrayList<>();
        for (SourceRecord record : batch) {
            SourceTransactions.processed(record, boundary);
            atBoundary.add(boundary.atBoundary());
        }
        assertEquals(List.of(false, true, true, true), atBoundary, "after r1, r2, r3 and the heartbeat");
    }

    @Test
    void theBoundaryFollowsTheProcessedRecords() {
        routes.state.TransactionBoundary boundary = new routes.state.TransactionBoundary();
        assertTrue(boundary.atBoundary());
        for (SourceRecord record : records("BEGIN", "r1")) {
            SourceTransactions.processed(record, boundary);
        }
        assertFalse(boundary.atBoundary());
        SourceTransactions.processed(records("heartbeat").get(0), boundary);
        assertFalse(boundary.atBoundary(), "a heartbeat inside a transaction ends nothing");
        SourceTransactions.processed(records("END").get(0), boundary);
        assertTrue(boundary.atBoundary());
        SourceTransactions.processed(records("BEGIN").get(0), boundary);
        boundary.restarted();
        assertTrue(boundary.atBoundary(), "a restarted capture starts at the committed position");
    }

    private static List<SourceRecord> records(String... names) {
        List<SourceRecord> records = new ArrayList<>();
        for (String name : names) {
            Struct value;
            if (name.equals("BEGIN") || name.equals("END")) {
                value = new Struct(MARKER).put("status", name).put("id", "tx");
            } else {
                value = new Struct(ROW).put("n", name);
            }
            records.add(new SourceRecord(Map.of(), Map.of("at", name + "@" + records.size()), "topic", value.schema(), value));
        }
        return records;
    }

    private static List<String> names(String... names) {
        return List.of(names);
    }

    private static List<String> names(List<SourceRecord> records) {
        return records.stream().map(r -> {
            Struct value = (Struct) r.value();
            String name = value.schema().name().equals(SourceTransactions.MARKER_SCHEMA) ? value.getString("status") : value.getString("n");
            return r instanceof SourceTransactions.MarkedRecord marked ? name + "[" + marked.marker() + "]" : name;
        }).toList();
    }
}
