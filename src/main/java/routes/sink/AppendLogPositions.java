package routes.sink;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

import routes.change.ChangeEvent;
import routes.change.ChangeKind;

/**
 * Recognises a change the append log holds already, by its source position and table: the sink route drops it, so
 * each change is in the log exactly once. The memory is persistent because it is the target itself: a change is known
 * when its rows are in the target table, committed in the same transaction as the source position. A change the
 * capture delivers again after a crash is thus recognised exactly, and nothing is remembered that the target does not
 * hold.
 */
public class AppendLogPositions implements Predicate {

    private AppendLogWriter writer;

    public void setWriter(AppendLogWriter writer) {
        this.writer = writer;
    }

    @Override
    public boolean matches(Exchange exchange) {
        ChangeEvent change = exchange.getMessage().getBody(ChangeEvent.class);
        return writer.hasAppended(change.position() + "|" + exchange.getMessage().getHeader(ChangeKind.TABLE_HEADER, String.class));
    }
}
