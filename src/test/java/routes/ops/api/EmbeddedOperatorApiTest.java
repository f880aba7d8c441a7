package routes.ops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
    private ApiTestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theApiServesOnTheApplicationsServerAndEveryTableNameIsAddressable() throws Exception {
        // The routes builder and the camel.server.* properties docs/operating.md gives an application.
        server = new ApiTestServer().withMetrics().routes(new OperatorApi()).start();
        String token = server.token();

        SyncTask task = TaskRegistry.of(server.context()).task("orders");
        List<TableId> tables = List.of(new TableId("public", "Order Items"), new TableId("my.schema", "t"),
                new TableId("shop", "Größe/\"x\" %"), new TableId("shop", "订单"));
        tables.forEach(table -> task.table(table, TableState.SYNCING, null));

        String base = "/api/tasks/orders/tables/";
        assertEquals(401, server.get(base + encode("public.Order Items"), null).statusCode());
        for (TableId table : tables) {
            // schema.table as the source spells it, percent-encoded as UTF-8
            JsonNode plain = json(server.get(base + encode(table.schema() + "." + table.table()), token));
            assertEquals(table.table(), plain.get("name").asText(), plain.toString());
            assertEquals(table.schema(), plain.get("schema").asText());
            // or each part in double quotes, a quote inside doubled
            String quoted = "\"" + table.schema() + "\".\"" + table.table().replace("\"", "\"\"") + "\"";
            assertEquals(table.table(), json(server.get(base + encode(quoted), token)).get("name").asText(), quoted);
        }
        HttpResponse<String> missing = server.get(base + encode("shop.none"), token);
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("shop.none"), missing.body());
        JsonNode all = json(server.get(base.substring(0, base.length() - 1), token));
        assertEquals(tables.size(), all.size());

        // The application's metrics, on the same port, behind the same token; the probes without it.
        String metrics = "/observe/metrics";
        assertEquals(401, server.get(metrics, null).statusCode());
        HttpResponse<String> scraped = server.get(metrics, token);
        assertEquals(200, scraped.statusCode(), scraped.body());
        assertTrue(scraped.body().contains("# TYPE"), scraped.body());
        assertEquals(200, server.get("/observe/health/live", null).statusCode());
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
