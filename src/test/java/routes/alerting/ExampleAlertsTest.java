package routes.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import routes.state.SyncTask;
import routes.state.TaskRegistry;

/** examples/alerts.yaml as users run it: a task's failure and a schema change reach the webhook as signed Feishu messages. */
class ExampleAlertsTest {

    /** With the characters a query string would break on: the file passes its credentials RAW. */
    private static final String SECRET = "SECa1b2c3+/=&d4%e5";

    private final BlockingQueue<String> posted = new LinkedBlockingQueue<>();
    private HttpServer receiver;
    private CamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void taskFailureAndDdlReachTheFeishuWebhook() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/open-apis/bot/v2/hook/token", exchange -> {
            posted.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"code\":0,\"msg\":\"success\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();

        context = new DefaultCamelContext();
        Properties environment = new Properties();
        environment.setProperty("FEISHU_WEBHOOK_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/open-apis/bot/v2/hook/token");
        environment.setProperty("FEISHU_SECRET", SECRET);
        environment.setProperty("ALERT_STATE_DIRECTORY", Files.createTempDirectory("rs-example-alerts").toString());
        context.getPropertiesComponent().setInitialProperties(environment);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:examples/alerts.yaml"));
        context.start();

        SyncTask task = TaskRegistry.of(context).task("shop");
        task.schemaChangeApplied("public.items", "column note was added to public.items");
        task.fail("the source server went away");

        JsonNode ddl = message(posted.poll(30, TimeUnit.SECONDS));
        assertEquals("post", ddl.get("msg_type").asText());
        assertEquals("WARNING · ddl · shop", ddl.at("/content/post/zh_cn/title").asText());
        assertTrue(ddl.toString().contains("column note was added to public.items (applied)"), ddl.toString());
        assertSigned(ddl);
        JsonNode failed = message(posted.poll(30, TimeUnit.SECONDS));
        assertEquals("CRITICAL · task-status · shop", failed.at("/content/post/zh_cn/title").asText());
        assertTrue(failed.toString().contains("FAILED: the source server went away"), failed.toString());
        assertSigned(failed);
    }

    /** Feishu's signature: Base64(HmacSHA256(key = timestamp + "\n" + secret, empty message)). */
    private static void assertSigned(JsonNode message) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec((message.get("timestamp").asText() + "\n" + SECRET)
                .getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertEquals(java.util.Base64.getEncoder().encodeToString(mac.doFinal(new byte[0])), message.get("sign").asText());
    }

    private static JsonNode message(String post) throws Exception {
        assertTrue(post != null, "nothing posted to the webhook");
        assertTrue(post.toLowerCase(java.util.Locale.ROOT).startsWith("post application/json; charset=utf-8 "), post);
        return new ObjectMapper().readTree(post.substring(post.indexOf('{')));
    }
}
