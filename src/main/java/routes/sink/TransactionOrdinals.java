package routes.sink;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import routes.change.ChangeEvent;
import routes.change.SourcePosition;

/**
 * Numbers the changes of each binlog transaction in the order they arrive. Debezium's source information names a
 * binlog change by its transaction's position and its row within one event, which several changes of a transaction
 * share; the append log needs one place per change, the same on every run. After a restart in the middle of a
 * transaction, Debezium resumes after the changes the target already holds, so numbering goes on after the highest
 * number the target has for that transaction.
 */
public class TransactionOrdinals implements Processor {

    private AppendLogWriter writer;
    private SourcePosition.Binlog transaction;
    private long next;

    public void setWriter(AppendLogWriter writer) {
        this.writer = writer;
    }

    @Override
    public void process(Exchange exchange) {
        ChangeEvent change = exchange.getMessage().getBody(ChangeEvent.class);
        if (!(change.position() instanceof SourcePosition.Binlog binlog)) {
            return;
        }
        if (!binlog.sameTransaction(transaction)) {
            transaction = binlog;
            next = writer.nextOrdinalOf(binlog);
        }
        exchange.getMessage().setBody(change.withPosition(binlog.withOrdinal(next++)));
    }
}
