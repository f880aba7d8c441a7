package routes.capture;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.connect.source.SourceRecord;

import routes.state.TransactionBoundary;

/**
 * Cuts each poll batch of a capture task after its last complete source transaction and holds the rest (an open
 * transaction's first records) for the next poll. The engine commits at the end of a batch only, so a batch that
 * ends where a transaction ends can commit at once; without the cut a busy stream would rarely end a batch there.
 * A batch that is all one open transaction goes out whole: it cannot commit, and the next batches finish it.
 */
final class TransactionBatches {

    private final List<SourceRecord> held = new ArrayList<>();
    private TransactionBoundary boundary;
    /** Whether the records handed out so far end inside a transaction. */
    private boolean open;

    List<SourceRecord> cut(List<SourceRecord> polled) {
        List<SourceRecord> records = polled;
        if (!held.isEmpty()) {
            records = new ArrayList<>(held);
            records.addAll(polled);
            held.clear();
        }
        boolean inside = open;
        int boundary = inside ? -1 : 0;
        for (int i = 0; i < records.size(); i++) {
            SourceTransactions.Marker marker = SourceTransactions.markerOf(records.get(i));
            if (marker != null) {
                inside = marker == SourceTransactions.Marker.BEGIN;
            }
            if (!inside) {
                boundary = i + 1;
            }
        }
        if (!inside || boundary <= 0) {
            open = inside;
            return records;
        }
        held.addAll(records.subList(boundary, records.size()));
        open = false;
        return new ArrayList<>(records.subList(0, boundary));
    }

    /**
     * The task (re)starts, from the position its target committed, which is a boundary: what was held comes again from
     * the source.
     */
    void start(String task) {
        boundary = SourceTransactions.taskSink(task).transactionBoundary();
        boundary.restarted();
        held.clear();
        open = false;
    }

    /** The route has processed this record; its offset may now be committed. */
    void processed(SourceRecord record) {
        if (boundary != null) {
            SourceTransactions.processed(record, boundary);
        }
    }

    int held() {
        return held.size();
    }
}
