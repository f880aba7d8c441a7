package routes.ops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
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
    void theTasksAlertsAreReadableWithTheToken() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path state = Files.createTempDirectory("rs-alert-api");
        main = new Main();
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", String.valueOf(port));
        main.configure().addRoutesBuilder(new OperatorApi());
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:realtime-sync-alert-rules?channels=log:alerts&rules=table-stopped&stateDirectory=" + state)
                        .routeId("alerts")
                        .log("${body.text()}");
            }
        });
        main.start();
        tokenFile = ApiToken.file(port);
        String token = Files.readString(tokenFile).strip();

        SyncTask task = TaskRegistry.of(main.getCamelContext()).task("orders");
        TableId table = new TableId("public", "orders");
        task.table(table, TableState.SYNCING, null);
        task.tableStopped(table, "the target refused its DDL");
        task.table(table, TableState.SYNCING, null);

        String url = "http://127.0.0.1:" + port + "/api/tasks/orders/alerts";
        assertEquals(401, get(url, null).statusCode());
        JsonNode alerts = JSON.createArrayNode();
        for (int i = 0; i < 100 && alerts.size() < 2; i++) {
            HttpResponse<String> response = get(url, token);
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
        assertEquals(404, get("http://127.0.0.1:" + port + "/api/tasks/nosuch/alerts", token).statusCode());

        String openapi = get("http://127.0.0.1:" + port + "/api/openapi.json", token).body();
        assertTrue(openapi.contains("/api/tasks/{task}/alerts"), openapi);
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
