package routes.sink;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import routes.change.ChangeEvent;

/**
 * Numbers the changes of each binlog transaction in the order they arrive. Debezium's source information names a
 * binlog change by its transaction's position and its row within one event, which several changes of a transaction
 * share; the append log needs one place per change, the same on every run. After a restart in the middle of a
 * transaction, Debezium resumes after the changes the target already holds, so numbering goes on after the highest
 * number the target has for that transaction.
 */
public class TransactionOrdinals implements Processor {

    private JdbcMergeWriter writer;
    private String transaction;
    private long next;

    public void setWriter(JdbcMergeWriter writer) {
        this.writer = writer;
    }

    @Override
    public void process(Exchange exchange) {
        ChangeEvent change = exchange.getMessage().getBody(ChangeEvent.class);
        String position = change.position();
        if (!position.startsWith("binlog:")) {
            return;
        }
        String[] parts = position.split(":");
        String started = parts[1] + ":" + parts[2];
        if (!started.equals(transaction)) {
            transaction = started;
            next = writer.nextOrdinalOf(parts[1], Long.parseLong(parts[2]));
        }
        exchange.getMessage().setBody(change.withPosition("binlog:" + started + ":" + next++));
    }
}
