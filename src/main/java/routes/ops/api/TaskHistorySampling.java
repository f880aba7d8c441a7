package routes.ops.api;

import org.apache.camel.builder.RouteBuilder;

/**
 * The timer route that samples {@link TaskHistory} every {@value TaskHistory#INTERVAL_SECONDS} s. A builder of its
 * own: the operator API's builder guards every route it holds with the token check, which a timer has no header for.
 */
final class TaskHistorySampling extends RouteBuilder {

    static final String ROUTE = "realtime-sync-api-history-sampling";

    private final TaskHistory history;

    TaskHistorySampling(TaskHistory history) {
        this.history = history;
    }

    @Override
    public void configure() {
        from("timer:" + ROUTE + "?period=" + TaskHistory.INTERVAL_SECONDS * 1000L).routeId(ROUTE)
                .process(exchange -> history.sample());
    }
}
