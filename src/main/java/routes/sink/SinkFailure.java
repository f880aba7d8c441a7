package routes.sink;

import org.apache.camel.Exchange;

/**
 * The sink route's error policy (realtime-sync/sink-route.yaml): a change the route could not handle stops its task,
 * with that error as the reason, so no source position past the change is ever committed. The writer comes with the
 * change ({@link SinkRoute#WRITER_PROPERTY}).
 */
public class SinkFailure {

    public void stopTask(Exchange exchange) {
        Exception error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        TaskWriter writer = exchange.getProperty(SinkRoute.WRITER_PROPERTY, TaskWriter.class);
        if (writer == null) {
            throw new IllegalStateException("a change reached the sink route without its writer", error);
        }
        writer.routeFailed(error);
    }
}
