package routes.sink;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import routes.change.ChangeBatch;
import routes.change.ChangeEvent;

/**
 * Collects the row changes of one target table into a {@link ChangeBatch}, keeping source order. The first exchange
 * of a group becomes the aggregate (no new exchange is built here).
 */
public class ChangeBatchAggregation implements AggregationStrategy {

    private InFlightChanges inFlight;

    public void setInFlight(InFlightChanges inFlight) {
        this.inFlight = inFlight;
    }

    @Override
    public Exchange aggregate(Exchange aggregate, Exchange next) {
        ChangeEvent event = next.getMessage().getBody(ChangeEvent.class);
        inFlight.added(1);
        if (aggregate == null) {
            ChangeBatch batch = new ChangeBatch(event.table());
            batch.add(event);
            next.getMessage().setBody(batch);
            return next;
        }
        aggregate.getMessage().getBody(ChangeBatch.class).add(event);
        return aggregate;
    }
}
