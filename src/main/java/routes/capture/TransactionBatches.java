package routes.capture;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.connect.source.SourceRecord;

import io.debezium.config.Configuration;

import routes.state.TaskHandover;
import routes.state.TransactionBoundary;

/**
 * The part of the capture tasks ({@link PostgresSourceTask}, {@link MySqlSourceTask}, {@link MariaDbSourceTask}) that
 * keeps the target's commits between source transactions; each task only hands it its start, its poll batches and the
 * records the route has processed.
 *
 * <p>Cuts each poll batch of a capture task after its last complete source transaction and holds the rest (an open
 * transaction's first records) for the next poll. The engine commits at the end of a batch only, so a batch that
 * ends where a transaction ends can commit at once; without the cut a busy stream would rarely end a batch there.
 * A batch that is all one open transaction goes out whole: it cannot commit, and the next batches finish it.
 *
 * <p>The transaction markers inside a batch are folded into the rows of their transaction ({@link #folded}) rather
 * than handed to the route, where each would cost an exchange as dear as a row's: three exchanges instead of one for
 * a one-row transaction. The boundary still moves exactly as the route processes the records.
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
            return folded(records);
        }
        held.addAll(records.subList(boundary, records.size()));
        open = false;
        return folded(records.subList(0, boundary));
    }

    /**
     * The batch without the markers that a row of their transaction can stand for: a BEGIN is folded into the record
     * after it, which then opens the transaction when processed; an END into the row before it (of its transaction),
     * which then closes the transaction and carries the END's offset, the position after the transaction. A marker
     * with no such neighbour in the batch stays a record of its own (a BEGIN that ends a batch, the END of a transaction
     * whose rows went out in earlier batches or that has no captured rows).
     */
    static List<SourceRecord> folded(List<SourceRecord> records) {
        List<SourceRecord> out = new ArrayList<>(records.size());
        boolean begins = false;
        /** Whether the last record out is a row of the transaction now open, into which an END may fold. */
        boolean rowOfTransaction = false;
        for (int i = 0; i < records.size(); i++) {
            SourceRecord record = records.get(i);
            SourceTransactions.Marker marker = SourceTransactions.markerOf(record);
            if (marker == SourceTransactions.Marker.BEGIN) {
                rowOfTransaction = false;
                if (i + 1 < records.size()) {
                    begins = true;
                } else {
                    out.add(record);
                }
            } else if (marker == SourceTransactions.Marker.END) {
                if (rowOfTransaction) {
                    SourceRecord last = out.get(out.size() - 1);
                    out.set(out.size() - 1, new SourceTransactions.MarkedRecord(last, record.sourceOffset(), SourceTransactions.Marker.END));
                } else {
                    out.add(record);
                }
                begins = false;
                rowOfTransaction = false;
            } else {
                out.add(begins ? new SourceTransactions.MarkedRecord(record, record.sourceOffset(), SourceTransactions.Marker.BEGIN) : record);
                begins = false;
                rowOfTransaction = true;
            }
        }
        return out;
    }

    /**
     * The task (re)starts with its connector configuration, from the position its target committed, which is a
     * boundary: what was held comes again from the source.
     */
    void start(Configuration config) {
        boundary = SourceTransactions.taskSink(config.getString(TaskHandover.KEY)).transactionBoundary();
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
