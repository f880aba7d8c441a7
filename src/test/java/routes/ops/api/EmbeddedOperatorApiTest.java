package routes.ops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.change.TableId;
import routes.state.SyncTask;
import routes.state.TableState;
import routes.state.TaskRegistry;

/**
 * The API added to another camel-main application, as docs/operating.md says (its routes builder and camel.server.*
 * properties): it answers on that application's platform-http server, and every table is addressable, whatever
 * characters its name holds.
 */
class EmbeddedOperatorApiTest {

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
    void theApiServesOnTheApplicationsServerAndEveryTableNameIsAddressable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        main = new Main();
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", String.valueOf(port));
        main.addInitialProperty("camel.metrics.enabled", "true");
        main.addInitialProperty("camel.management.enabled", "true");
        main.addInitialProperty("camel.management.port", String.valueOf(port));
        main.addInitialProperty("camel.management.metrics-enabled", "true");
        main.addInitialProperty("camel.management.health-check-enabled", "false");
        main.configure().addRoutesBuilder(new OperatorApi());
        main.start();
        tokenFile = ApiToken.file(port);
        String token = Files.readString(tokenFile).strip();

        SyncTask task = TaskRegistry.of(main.getCamelContext()).task("orders");
        List<TableId> tables = List.of(new TableId("public", "Order Items"), new TableId("my.schema", "t"),
                new TableId("shop", "Größe/\"x\" %"), new TableId("shop", "订单"));
        tables.forEach(table -> task.table(table, TableState.SYNCING, null));

        String base = "http://127.0.0.1:" + port + "/api/tasks/orders/tables/";
        assertEquals(401, get(base + encode("public.Order Items"), null).statusCode());
        for (TableId table : tables) {
            // schema.table as the source spells it, percent-encoded as UTF-8
            JsonNode plain = json(get(base + encode(table.schema() + "." + table.table()), token));
            assertEquals(table.table(), plain.get("name").asText(), plain.toString());
            assertEquals(table.schema(), plain.get("schema").asText());
            // or each part in double quotes, a quote inside doubled
            String quoted = "\"" + table.schema() + "\".\"" + table.table().replace("\"", "\"\"") + "\"";
            assertEquals(table.table(), json(get(base + encode(quoted), token)).get("name").asText(), quoted);
        }
        HttpResponse<String> missing = get(base + encode("shop.none"), token);
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("shop.none"), missing.body());
        JsonNode all = json(get(base.substring(0, base.length() - 1), token));
        assertEquals(tables.size(), all.size());

        // The application's metrics, on the same port, behind the same token; the probes without it.
        String metrics = "http://127.0.0.1:" + port + "/observe/metrics";
        assertEquals(401, get(metrics, null).statusCode());
        HttpResponse<String> scraped = get(metrics, token);
        assertEquals(200, scraped.statusCode(), scraped.body());
        assertTrue(scraped.body().contains("# TYPE"), scraped.body());
        assertEquals(200, get("http://127.0.0.1:" + port + "/observe/health/live", null).statusCode());
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
