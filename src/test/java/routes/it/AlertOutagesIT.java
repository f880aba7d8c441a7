package routes.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import routes.alerting.AlertReceiver;

/**
 * A receiver that answers HTTP 500 for about a minute, against a real sync between two PostgreSQL servers: the sync
 * goes on meanwhile (each change reaches the target within seconds), and the alert raised during that minute arrives
 * once the receiver answers again (the rule set's default retries span about two minutes).
 */
class AlertOutagesIT {

    private PostgresPair pair;
    private CamelContext context;
    private AlertReceiver receiver;

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.stop();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void aReceiverAnswering500ForAMinuteDelaysNothingAndItsAlertArrivesAfter() throws Exception {
        pair = new PostgresPair("alerts-outage");
        pair.source("CREATE TABLE items (id int PRIMARY KEY, v text)", "INSERT INTO items SELECT i, 'item' FROM generate_series(1, 10) i");
        Path history = Files.createTempDirectory("rs-it-alert-history");
        receiver = AlertReceiver.start();
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:postgres-cdc-source?task=shop&databaseHostname=localhost&databasePort=" + pair.source.port()
                        + "&databaseDbname=shop&databaseUser=postgres&databasePassword=RAW(" + PostgresPair.PASSWORD + ")"
                        + "&schemaIncludeList=public")
                        .routeId("shop")
                        .to("kamelet:jdbc-merge-sink?task=shop&jdbcUrl=RAW(" + pair.target.jdbcUrl("warehouse") + ")&username=postgres"
                                + "&password=RAW(" + PostgresPair.PASSWORD + ")");
                // The default retries (6 from 2 s).
                from("kamelet:realtime-sync-alert-rules?rules=ddl&evaluationSeconds=1&stateDirectory=" + history
                        + "&channels=RAW(kamelet:webhook-alert-sink?webhookUrl=" + receiver.url("/hook") + ")")
                        .routeId("alerts")
                        .log("${body}");
            }
        });
        context.start();
        await("the full load", () -> pair.count(false, "items") == 10);

        receiver.answer(500, "internal error");
        long outage = System.nanoTime();
        pair.source("ALTER TABLE items ADD COLUMN note text", "INSERT INTO items VALUES (11, 'item', 'noted')");
        await("the alert's first try", () -> ddlRequests(receiver.requests) >= 1);
        // About a minute of 500s: every change reaches the target within seconds all the same.
        int id = 12;
        while (System.nanoTime() - outage < Duration.ofSeconds(60).toNanos()) {
            pair.source("INSERT INTO items VALUES (" + id + ", 'during the outage', null)");
            long expected = id;
            long sent = System.nanoTime();
            await("row " + id + " on the target", () -> pair.count(false, "items") == expected);
            assertTrue(System.nanoTime() - sent < Duration.ofSeconds(15).toNanos(), "row " + id + " waited for the alert channel");
            id++;
            Thread.sleep(2_000);
        }
        long failed = ddlRequests(receiver.requests);
        assertTrue(failed >= 2, "tried again while the receiver failed: " + failed);

        receiver.answer(200, "ok");
        await("the alert after the receiver came back", () -> ddlRequests(receiver.requests) > failed);
    }

    private static long ddlRequests(List<AlertReceiver.Request> requests) {
        return requests.stream().filter(r -> r.text().contains("note")).count();
    }

    private static <T> T await(String what, Callable<T> found) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            T value = found.call();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
