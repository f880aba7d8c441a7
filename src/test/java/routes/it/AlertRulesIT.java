package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import routes.alerting.AlertHistory;
import routes.alerting.AlertMessage;

/**
 * The alert rule sets against a real sync between two PostgreSQL servers, in one JVM: a schema change gives a ddl
 * alert; the target stopped for longer than the latency threshold gives one latency alert, not one per evaluation, and
 * one recovery once it is back; a table that stops gives its alert. Meanwhile a second rule set's channel hangs from
 * its first notice on, and the sync goes on as if it did not.
 */
class AlertRulesIT {

    private final List<AlertMessage> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private PostgresPair pair;
    private CamelContext context;

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (context != null) {
            context.stop();
        }
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void ddlLatencyWithRecoveryAndAStoppedTableEachAlertOnceWhileAHangingChannelHoldsNothingUp() throws Exception {
        pair = new PostgresPair("alerts");
        pair.source("CREATE TABLE items (id int PRIMARY KEY, v text)", "INSERT INTO items SELECT i, 'item' FROM generate_series(1, 10) i");
        Path history = Files.createTempDirectory("rs-it-alert-history");
        Path hungHistory = Files.createTempDirectory("rs-it-alert-history-hung");
        CountDownLatch hanging = new CountDownLatch(1);

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
                from("kamelet:realtime-sync-alert-rules?channels=direct:collect&rules=latency,ddl,table-stopped"
                        + "&latencySeconds=3&evaluationSeconds=1&minIntervalSeconds=3600&stateDirectory=" + history)
                        .routeId("alerts")
                        .log("${body}");
                from("direct:collect").routeId("collect").process(exchange -> received.add(exchange.getMessage().getBody(AlertMessage.class)));
                // Every rule on, to a channel that never answers.
                from("kamelet:realtime-sync-alert-rules?channels=direct:hang&evaluationSeconds=1&stateDirectory=" + hungHistory)
                        .routeId("alerts-to-a-hanging-channel")
                        .log("${body}");
                from("direct:hang").routeId("hang").process(exchange -> {
                    hanging.countDown();
                    release.await();
                });
            }
        });
        context.start();
        await("the full load", () -> pair.count(false, "items") == 10);

        pair.source("ALTER TABLE items ADD COLUMN note text", "INSERT INTO items VALUES (11, 'item', 'noted')");
        AlertMessage ddl = await("the ddl alert", () -> find("ddl", false));
        assertEquals("public.items", ddl.table());
        assertTrue(ddl.value().contains("column note was added to public.items (applied)"), ddl.value());
        assertTrue(hanging.await(30, TimeUnit.SECONDS), "the second rule set's channel got a notice and hangs");

        // The target away for longer than the threshold: one alert, however many evaluations see it.
        pair.target.stop();
        pair.source("INSERT INTO items SELECT i, 'while away', null FROM generate_series(12, 20) i");
        AlertMessage latency = await("the latency alert", () -> find("latency", false));
        assertEquals(AlertMessage.Level.WARNING, latency.level());
        Thread.sleep(5_000); // five more evaluations with the target still away
        assertEquals(1, count("latency", false), received.toString());
        assertEquals(0, count("latency", true), received.toString());

        pair.target.restart();
        await("the rows after the target came back", () -> pair.count(false, "items") == 20);
        AlertMessage recovered = await("the latency recovery", () -> find("latency", true));
        assertEquals(latency.since(), recovered.since(), "a recovery tells when its condition began");
        Thread.sleep(3_000); // more evaluations, latency low
        assertEquals(1, count("latency", false), received.toString());
        assertEquals(1, count("latency", true), received.toString());

        // A table the filtered publication does not hold stops on its own.
        pair.source("CREATE TABLE late (id int PRIMARY KEY)", "INSERT INTO late VALUES (1)");
        for (int i = 0; i < 240 && find("table-stopped", false) == null; i++) {
            pair.source("INSERT INTO items VALUES (" + (100 + i) + ", 'tick', null)"); // keeps commits coming
            Thread.sleep(500);
        }
        AlertMessage stopped = find("table-stopped", false);
        assertTrue(stopped != null, "a table-stopped alert: " + received);
        assertEquals("public.late", stopped.table());
        assertEquals(AlertMessage.Level.CRITICAL, stopped.level());
        assertTrue(stopped.action().contains("resync shop public.late"), stopped.action());

        // The sync never waited for the hanging channel, and that rule set's rules went on: its history holds more
        // than the one notice its channel is stuck on.
        long rows = pair.count(true, "items");
        await("every row on the target while a channel hangs", () -> pair.count(false, "items") == rows);
        assertTrue(AlertHistory.read(hungHistory, "shop").size() > 1, AlertHistory.read(hungHistory, "shop").toString());
        // Every notice sent is in the history, in order.
        List<String> rules = AlertHistory.read(history, "shop").stream().map(e -> e.get("rule") + "/" + e.get("recovery")).toList();
        assertEquals(received.stream().map(n -> n.rule() + "/" + n.recovery()).toList(), rules);
        assertFalse(Files.readString(history.resolve("shop.alerts.jsonl")).contains(PostgresPair.PASSWORD));
    }

    private AlertMessage find(String rule, boolean recovery) {
        return received.stream().filter(n -> n.rule().equals(rule) && n.recovery() == recovery).findFirst().orElse(null);
    }

    private long count(String rule, boolean recovery) {
        return received.stream().filter(n -> n.rule().equals(rule) && n.recovery() == recovery).count();
    }

    private static <T> T await(String what, Callable<T> found) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            T value = found.call();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up waiting for " + what);
            }
            Thread.sleep(300);
        }
    }
}
