package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /**
     * The source server stopped while the task streams gives one task-status alert at the channel: FAILED when the
     * capture's restart cannot reach the source (the task stops and `run` ends, after the alert is delivered), or
     * SOURCE UNREACHABLE while the capture keeps retrying and the source's probe has failed for longer than the bound.
     * The example task in its own JVM, as `run` runs it.
     */
    @Test
    void aSourceThatGoesAwayGivesATaskStatusAlert() throws Exception {
        pair = new PostgresPair("alerts-source-away");
        pair.source("CREATE TABLE items (id int PRIMARY KEY, v text)", "INSERT INTO items SELECT i, 'item' FROM generate_series(1, 10) i");
        receiver = AlertReceiver.start();
        Path alerts = pair.work.resolve("alerts.yaml");
        Files.writeString(alerts, """
                - route:
                    id: alert-rules-source-away
                    from:
                      uri: "kamelet:realtime-sync-alert-rules"
                      parameters:
                        rules: "task-status"
                        sourceUnreachableSeconds: 5
                        evaluationSeconds: 1
                        stateDirectory: "%s"
                        channels: "RAW(kamelet:webhook-alert-sink?webhookUrl=%s)"
                      steps:
                        - log: "${body}"
                """.formatted(pair.work.resolve("alert-history"), receiver.url("/hook")));
        try (SyncProcess sync = SyncProcess.start(pair.work.resolve("sync.log"), pair.environment(), "run",
                "examples/postgres-to-postgres.yaml", alerts.toString(), "--http", "127.0.0.1:" + SyncProcess.freePort())) {
            sync.awaitOutput("full load done", Duration.ofMinutes(2));
            await("the full load", () -> pair.count(false, "items") == 10);
            assertEquals(0, statusAlerts(receiver.requests), "no alert while the source answers");
            pair.source.stop();
            await("the task-status alert at the channel", () -> statusAlerts(receiver.requests) >= 1);
            Thread.sleep(3_000); // more evaluations
            assertEquals(1, statusAlerts(receiver.requests), "one alert, not one per evaluation: " + receiver.requests);
            String alert = receiver.requests.stream().filter(r -> r.text().contains("task-status")).findFirst().orElseThrow().text();
            assertTrue(alert.contains("SOURCE UNREACHABLE") || alert.contains("FAILED"), alert);
        }
    }

    /** Task-status alerts the receiver got (not recoveries). */
    private static long statusAlerts(List<AlertReceiver.Request> requests) {
        return requests.stream().filter(r -> r.text().contains("task-status") && !r.text().contains("\"recovery\":true")).count();
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
