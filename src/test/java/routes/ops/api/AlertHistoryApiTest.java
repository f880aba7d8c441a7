package routes.ops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.change.TableId;
import routes.state.TableState;
import routes.state.SyncTask;
import routes.state.TaskRegistry;

/** GET /api/tasks/{task}/alerts: the alerts and recoveries the task's rule set sent, behind the token, in the OpenAPI. */
class AlertHistoryApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private ApiTestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theTasksAlertsAreReadableWithTheToken() throws Exception {
        Path state = Files.createTempDirectory("rs-alert-api");
        server = new ApiTestServer().routes(new OperatorApi(), new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:realtime-sync-alert-rules?channels=log:alerts&rules=table-stopped&stateDirectory=" + state)
                        .routeId("alerts")
                        .log("${body}");
            }
        }).start();
        String token = server.token();

        SyncTask task = TaskRegistry.of(server.context()).task("orders");
        TableId table = new TableId("public", "orders");
        task.table(table, TableState.SYNCING, null);
        task.tableStopped(table, "the target refused its DDL");
        task.table(table, TableState.SYNCING, null);

        String url = "/api/tasks/orders/alerts";
        assertEquals(401, server.get(url, null).statusCode());
        JsonNode alerts = JSON.createArrayNode();
        for (int i = 0; i < 100 && alerts.size() < 2; i++) {
            HttpResponse<String> response = server.get(url, token);
            assertEquals(200, response.statusCode(), response.body());
            alerts = JSON.readTree(response.body());
            Thread.sleep(100);
        }
        assertEquals(2, alerts.size(), alerts.toString());
        assertEquals("table-stopped", alerts.get(0).get("rule").asText());
        assertEquals("public.orders", alerts.get(0).get("table").asText());
        assertEquals("CRITICAL", alerts.get(0).get("level").asText());
        assertTrue(alerts.get(0).get("value").asText().contains("the target refused its DDL"), alerts.toString());
        assertTrue(alerts.get(1).get("recovery").asBoolean(), alerts.toString());
        assertEquals(404, server.get("/api/tasks/nosuch/alerts", token).statusCode());

        String openapi = server.get("/api/openapi.json", token).body();
        assertTrue(openapi.contains("/api/tasks/{task}/alerts"), openapi);
    }
}
