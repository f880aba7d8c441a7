package routes.ops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.builder.RouteBuilder;
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
    private ApiTestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theRulesThatApplyToTheTaskAreReadableWithTheToken() throws Exception {
        Path state = Files.createTempDirectory("rs-alert-rules-api");
        server = new ApiTestServer().routes(new OperatorApi(), new RouteBuilder() {
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
        }).start();
        String token = server.token();
        TaskRegistry.of(server.context()).task("orders");

        String url = "/api/tasks/orders/alert-rules";
        assertEquals(401, server.get(url, null).statusCode());
        HttpResponse<String> response = server.get(url, token);
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

        assertEquals(404, server.get("/api/tasks/nosuch/alert-rules", token).statusCode());
        String openapi = server.get("/api/openapi.json", token).body();
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
}
