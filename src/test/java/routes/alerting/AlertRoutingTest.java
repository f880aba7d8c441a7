package routes.alerting;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The dead-letter step of a rule set's delivery route. */
class AlertRoutingTest {

    /** A whole-task alert has no table: its undelivered line still names it (it threw before). */
    @Test
    void anUndeliveredWholeTaskAlertIsItsLogLine() {
        AlertRouting routing = new AlertRouting();
        routing.setName("alert-rules");
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(AlertMessage.alert("shop", null, "task-status", AlertMessage.Level.CRITICAL, "FAILED", null,
                Instant.now(), "Read the task's last error."));
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new AlertDeliveryException("feishu", "no answer from https://open.feishu.cn", true));

        assertDoesNotThrow(() -> routing.undelivered(exchange));
    }
}
