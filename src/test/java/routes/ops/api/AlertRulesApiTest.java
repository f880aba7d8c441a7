package routes.ops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.state.TaskRegistry;

/**
 * GET /api/tasks/{task}/alert-rules: the rules of the rule-set kamelets that apply to the task, as configured, before
 * any has fired; behind the token, in the OpenAPI, and without the channels' secrets.
 */
class AlertRulesApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOOK_SECRET = "hook-s3cret-path";
    private final HttpClient client = HttpClient.newHttpClient();
    private Main main;
    private Path tokenFile;

    @AfterEach
    void stop() throws Exception {
        if (main != null) {
            main.stop();
        }
        if (tokenFile != null) {
            Files.deleteIfExists(tokenFile);
        }
    }

    @Test
    void theRulesThatApplyToTheTaskAreReadableWithTheToken() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path state = Files.createTempDirectory("rs-alert-rules-api");
        main = new Main();
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", String.valueOf(port));
        main.configure().addRoutesBuilder(new OperatorApi());
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:realtime-sync-alert-rules?task=orders&rules=latency,ddl&levels=latency=CRITICAL&latencySeconds=45"
                        + "&minIntervalSeconds=120&stateDirectory=" + state
                        + "&channels=RAW(kamelet:webhook-alert-sink?webhookUrl=http://127.0.0.1:9/hook/" + HOOK_SECRET + ",log:alerts)")
                        .routeId("orders-alerts")
                        .log("${body}");
                from("kamelet:realtime-sync-alert-rules?rules=table-stopped&channels=log:alerts&stateDirectory=" + state)
                        .routeId("every-task-alerts")
                        .log("${body}");
                from("kamelet:realtime-sync-alert-rules?task=billing&channels=log:alerts&stateDirectory=" + state)
                        .routeId("billing-alerts")
                        .log("${body}");
            }
        });
        main.start();
        tokenFile = ApiToken.file(port);
        String token = Files.readString(tokenFile).strip();
        TaskRegistry.of(main.getCamelContext()).task("orders");

        String url = "http://127.0.0.1:" + port + "/api/tasks/orders/alert-rules";
        assertEquals(401, get(url, null).statusCode());
        HttpResponse<String> response = get(url, token);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode rules = JSON.readTree(response.body());

        // Every rule of the two sets that speak of orders, off ones included; billing's set is not one of them.
        List<String> sets = new ArrayList<>();
        rules.forEach(rule -> sets.add(rule.get("ruleSet").asText()));
        assertEquals(18, rules.size(), response.body());
        assertEquals(List.of("every-task-alerts", "orders-alerts"), sets.stream().distinct().sorted().toList());
        JsonNode latency = find(rules, "orders-alerts", "latency");
        assertTrue(latency.get("enabled").asBoolean());
        assertEquals("CRITICAL", latency.get("level").asText());
        assertEquals("orders", latency.get("task").asText());
        assertEquals(45, latency.get("settings").get("latencySeconds").asInt());
        assertEquals(120, latency.get("settings").get("minIntervalSeconds").asInt());
        assertEquals("[\"kamelet:webhook-alert-sink\",\"log:alerts\"]", latency.get("channels").toString());
        assertFalse(find(rules, "orders-alerts", "jvm-memory").get("enabled").asBoolean());
        JsonNode stopped = find(rules, "every-task-alerts", "table-stopped");
        assertTrue(stopped.get("enabled").asBoolean());
        assertEquals("", stopped.get("task").asText());
        assertFalse(response.body().contains(HOOK_SECRET), "no channel's address: " + response.body());

        assertEquals(404, get("http://127.0.0.1:" + port + "/api/tasks/nosuch/alert-rules", token).statusCode());
        String openapi = get("http://127.0.0.1:" + port + "/api/openapi.json", token).body();
        assertTrue(openapi.contains("/api/tasks/{task}/alert-rules"), openapi);
    }

    private static JsonNode find(JsonNode rules, String ruleSet, String rule) {
        for (JsonNode node : rules) {
            if (node.get("ruleSet").asText().equals(ruleSet) && node.get("rule").asText().equals(rule)) {
                return node;
            }
        }
        throw new AssertionError("no rule " + rule + " of " + ruleSet + " in " + rules);
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
