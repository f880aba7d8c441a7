package routes.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import routes.change.TableId;
import routes.state.SyncTask;
import routes.state.TaskRegistry;

/**
 * The rule-set kamelet's suppression, through its routes: a second alert of a rule on a table within the minimum
 * interval is held back, also by the next run of the process (a new CamelContext on the same state directory);
 * another table's alert and a recovery after an alert go out.
 */
class AlertSuppressionTest {

    private final BlockingQueue<AlertMessage> received = new LinkedBlockingQueue<>();

    @Test
    void suppressionHoldsAcrossARestart() throws Exception {
        Path state = Files.createTempDirectory("rs-alert-suppression");
        TableId orders = new TableId("public", "orders");
        TableId items = new TableId("public", "items");

        CamelContext first = start(state);
        SyncTask task = TaskRegistry.of(first).task("shop");
        task.tableStopped(orders, "the target refused its DDL");
        assertEquals("table-stopped public.orders false", describe(next()));
        task.tableStopped(orders, "again");
        task.tableStopped(items, "the target refused its DDL");
        // One thread delivers in order: had the second alert of orders gone out, it would be here first.
        assertEquals("table-stopped public.items false", describe(next()));
        first.stop();

        CamelContext second = start(state);
        SyncTask again = TaskRegistry.of(second).task("shop");
        again.tableStopped(orders, "still refused after the restart");
        again.table(items, routes.state.TableState.SYNCING, null);
        assertEquals("table-stopped public.items true", describe(next()));
        second.stop();

        List<String> history = AlertHistory.read(state, "shop").stream().map(e -> e.get("table") + " " + e.get("recovery")).toList();
        assertEquals(List.of("public.orders false", "public.items false", "public.items true"), history);
    }

    /**
     * Two rule sets of one process keeping their histories in one directory (as the example files do by default): each
     * sends its own alert to its own channels, and the next run holds both back.
     */
    @Test
    void ruleSetsSharingADirectoryEachSendTheirAlert() throws Exception {
        Path state = Files.createTempDirectory("rs-alert-shared");
        AlertMessage stopped = AlertMessage.alert("shop", "public.orders", "table-stopped", AlertMessage.Level.CRITICAL, null, null,
                java.time.Instant.now(), "Resync the table.");
        AlertHistory feishu = new AlertHistory(state, java.time.Duration.ofHours(1));
        AlertHistory weCom = new AlertHistory(state, java.time.Duration.ofHours(1));

        assertTrue(feishu.admits(stopped));
        feishu.record(stopped);
        assertTrue(weCom.admits(stopped), "the other rule set's alert held this one's back");
        weCom.record(stopped);
        assertFalse(weCom.admits(stopped));

        AlertHistory nextRun = new AlertHistory(state, java.time.Duration.ofHours(1));
        assertFalse(nextRun.admits(stopped));
    }

    private CamelContext start(Path state) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:realtime-sync-alert-rules?channels=direct:collect&rules=table-stopped&minIntervalSeconds=3600"
                        + "&stateDirectory=" + state)
                        .routeId("alerts")
                        .log("${body}");
                from("direct:collect").process(exchange -> received.add(exchange.getMessage().getBody(AlertMessage.class)));
            }
        });
        context.start();
        return context;
    }

    private AlertMessage next() throws InterruptedException {
        AlertMessage notice = received.poll(30, TimeUnit.SECONDS);
        if (notice == null) {
            throw new AssertionError("no notice arrived");
        }
        return notice;
    }

    private static String describe(AlertMessage notice) {
        return notice.rule() + " " + notice.table() + " " + notice.recovery();
    }
}
