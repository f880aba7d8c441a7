package routes.alerting;

import java.time.Clock;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Where alerts are delivered: one chat bot, webhook or mailbox. Used as one Camel step (each channel's kamelet calls
 * it as a processor: body = an {@link AlertMessage} or its JSON) or directly with {@link #send}. A failure throws
 * {@link AlertDeliveryException} with the vendor's reason, so the calling route's error handler can retry it or
 * dead-letter it; the sync itself never waits on a channel (the alerting routes run off its path).
 */
public abstract class AlertChannel implements Processor, CamelContextAware {

    /** The header {@link #process} puts {@link #destination()} in, for the caller to say where a message went. */
    public static final String DESTINATION_HEADER = "RealtimeSyncAlertDestination";

    private CamelContext camelContext;
    private Clock clock = Clock.systemUTC();
    private int timeoutSeconds = 10;

    /** Delivers one alert, or says why not. */
    public abstract void send(AlertMessage alert) throws AlertDeliveryException;

    /** The channel's name in messages, e.g. {@code feishu}. */
    public abstract String name();

    /** Where this channel delivers, for people to read: scheme, host and port only, never a key, token or password. */
    public abstract String destination();

    /** Called by Camel once the properties are set: checks them (one line saying what is wrong) and gets ready. */
    public abstract void start();

    public abstract void stop();

    @Override
    public void process(Exchange exchange) throws Exception {
        exchange.getMessage().setHeader(DESTINATION_HEADER, destination());
        send(AlertJson.from(exchange.getMessage().getBody()));
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The clock signatures and "since" ages are taken from (a fixed one in tests). */
    public Clock getClock() {
        return clock;
    }

    public void setClock(Clock clock) {
        this.clock = clock;
    }

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    /** How long to wait for a connection and for the answer. */
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }
}
