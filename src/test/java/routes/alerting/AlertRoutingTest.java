package routes.alerting;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import routes.change.TableId;
import routes.state.TaskRegistry;

/** The retries and dead-letter step of a rule set's delivery route. */
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

    /** The rules API names a rule set's channels without a webhook's path, a URI's query or a URL's user. */
    @Test
    void channelsAreNamedWithoutWhatMayBeSecret() {
        assertEquals(java.util.List.of("kamelet:feishu-alert-sink", "https://hooks.example.org", "direct:alerts", "smtp://mail.example.org:587"),
                AlertRouting.channelNames("kamelet:feishu-alert-sink?webhookUrl=https://open.feishu.cn/open-apis/bot/v2/hook/t0ken&secret=s3cret,"
                        + " https://bot:pa55@hooks.example.org/services/T0KEN?sig=x , direct:alerts,smtp://mail.example.org:587?password=pw"));
    }

    /**
     * A channel answering 5xx is tried again up to retries times; one whose refusal sending again cannot fix (HTTP 400)
     * is not tried again. The next channel gets each notice after the first one's tries ended (one thread, in order).
     */
    @Test
    void onlyWhatMayWorkLaterIsTriedAgainAndAtMostRetriesTimes() throws Exception {
        BlockingQueue<AlertMessage> collected = new LinkedBlockingQueue<>();
        java.nio.file.Path state = java.nio.file.Files.createTempDirectory("rs-alert-retries");
        try (AlertReceiver receiver = AlertReceiver.start()) {
            CamelContext context = new DefaultCamelContext();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("kamelet:realtime-sync-alert-rules?rules=table-stopped&retries=5&retryDelayMs=300"
                            + "&stateDirectory=" + state
                            + "&channels=RAW(kamelet:webhook-alert-sink?webhookUrl=" + receiver.url("/hook") + ",direct:collect)")
                            .routeId("alerts")
                            .log("${body}");
                    from("direct:collect").process(exchange -> collected.add(exchange.getMessage().getBody(AlertMessage.class)));
                }
            });
            context.start();
            try {
                receiver.answer(503, "busy");
                TaskRegistry.of(context).task("shop").tableStopped(new TableId("public", "orders"), "refused");
                await(() -> receiver.requests.size() >= 1);
                receiver.answer(400, "bad request");
                // Tried again after 503 (refused then by 400, which ends it) ...
                TaskRegistry.of(context).task("shop").tableStopped(new TableId("public", "items"), "refused");
                await(() -> requestsFor(receiver, "public.items") >= 1);
                receiver.answer(200, "ok");
                // ... and the next notice goes out only after the tries of the ones before it (one thread, in order).
                TaskRegistry.of(context).task("shop").tableStopped(new TableId("public", "lines"), "refused");
                await(() -> requestsFor(receiver, "public.lines") == 1);
                assertEquals(2, requestsFor(receiver, "public.orders"), "tried again after 503, not after the 400 that followed");
                assertEquals(1, requestsFor(receiver, "public.items"), "a refusal is not tried again");
                await(() -> collected.size() == 3); // the next channel got every notice
            } finally {
                context.stop();
            }
        }
    }

    private static long requestsFor(AlertReceiver receiver, String table) {
        return receiver.requests.stream().filter(r -> r.text().contains(table)).count();
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting");
            }
            Thread.sleep(20);
        }
    }
}
