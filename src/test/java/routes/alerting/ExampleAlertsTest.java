package routes.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.internet.MimeMessage;

import routes.state.SyncTask;
import routes.state.TaskRegistry;

/**
 * The example alerting files (examples/alerts*.yaml) as users run them: a task's schema change and its failure reach
 * each file's channel, a local receiver standing in for the vendor, in the vendor's format, signed where it signs.
 */
class ExampleAlertsTest {

    /** With the characters a query string would break on: the files pass their credentials RAW. */
    private static final String SECRET = "SECa1b2c3+/=&d4%e5";

    private final BlockingQueue<String> posted = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> servers = new ArrayList<>();
    private HttpServer receiver;
    private CamelContext context;

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.stop();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        for (AutoCloseable server : servers) {
            server.close();
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

    @Test
    void dingTalkExampleSignsTheRobotsAddress() throws Exception {
        AlertReceiver robot = receiver("{\"errcode\":0,\"errmsg\":\"ok\"}");
        Properties environment = new Properties();
        environment.setProperty("DINGTALK_WEBHOOK_URL", robot.url("/robot/send?access_token=T0k3nAbc"));
        environment.setProperty("DINGTALK_SECRET", SECRET);
        runExample("alerts-dingtalk.yaml", environment);

        List<AlertReceiver.Request> requests = await(robot, 2);
        for (AlertReceiver.Request request : requests) {
            assertEquals("/robot/send", request.rawPath());
            // DingTalk: timestamp in ms; sign = urlencode(Base64(HmacSHA256(key = secret, message = timestamp + "\n" + secret))).
            Matcher query = Pattern.compile("access_token=T0k3nAbc&timestamp=(\\d+)&sign=(.+)").matcher(request.rawQuery());
            assertTrue(query.matches(), request.rawQuery());
            assertEquals(URLEncoder.encode(hmacBase64(SECRET, query.group(1) + "\n" + SECRET), StandardCharsets.UTF_8), query.group(2));
            assertEquals("markdown", json(request).get("msgtype").asText());
        }
        assertEquals("WARNING · ddl · shop", json(requests.get(0)).at("/markdown/title").asText());
        assertTrue(json(requests.get(0)).at("/markdown/text").asText().contains("column note was added to public.items (applied)"));
        assertEquals("CRITICAL · task-status · shop", json(requests.get(1)).at("/markdown/title").asText());
        assertTrue(json(requests.get(1)).at("/markdown/text").asText().contains("FAILED: the source server went away"));
    }

    @Test
    void weComExampleSendsMarkdownToTheRobotsKey() throws Exception {
        AlertReceiver robot = receiver("{\"errcode\":0,\"errmsg\":\"ok\"}");
        Properties environment = new Properties();
        environment.setProperty("WECOM_WEBHOOK_URL", robot.url("/cgi-bin/webhook/send?key=693a91f6-7xxx+k=y"));
        runExample("alerts-wecom.yaml", environment);

        List<AlertReceiver.Request> requests = await(robot, 2);
        for (AlertReceiver.Request request : requests) {
            assertEquals("/cgi-bin/webhook/send", request.rawPath());
            assertEquals("key=693a91f6-7xxx+k=y", request.rawQuery());
            assertEquals("markdown", json(request).get("msgtype").asText());
        }
        assertTrue(json(requests.get(0)).at("/markdown/content").asText().startsWith("### <font color=\"comment\">WARNING</font> ddl · shop"),
                requests.get(0).text());
        assertTrue(json(requests.get(1)).at("/markdown/content").asText().startsWith("### <font color=\"warning\">CRITICAL</font> task-status · shop"),
                requests.get(1).text());
    }

    @Test
    void slackExamplePostsBlocksToTheIncomingWebhook() throws Exception {
        AlertReceiver slack = receiver("ok");
        Properties environment = new Properties();
        environment.setProperty("SLACK_WEBHOOK_URL", slack.url("/services/T000/B000/XXXX"));
        runExample("alerts-slack.yaml", environment);

        List<AlertReceiver.Request> requests = await(slack, 2);
        assertEquals("/services/T000/B000/XXXX", requests.get(0).rawPath());
        assertEquals("WARNING · ddl · shop", json(requests.get(0)).get("text").asText());
        assertEquals("header", json(requests.get(0)).at("/blocks/0/type").asText());
        assertEquals("CRITICAL · task-status · shop", json(requests.get(1)).get("text").asText());
    }

    @Test
    void webhookExamplePostsTheAlertsJsonWithItsAuthorization() throws Exception {
        AlertReceiver hook = receiver("");
        Properties environment = new Properties();
        environment.setProperty("ALERT_WEBHOOK_URL", hook.url("/hooks/realtime-sync?token=a+b&c=d"));
        environment.setProperty("ALERT_WEBHOOK_AUTHORIZATION", "Bearer " + SECRET);
        runExample("alerts-webhook.yaml", environment);

        List<AlertReceiver.Request> requests = await(hook, 2);
        for (AlertReceiver.Request request : requests) {
            assertEquals("/hooks/realtime-sync", request.rawPath());
            assertEquals("token=a+b&c=d", request.rawQuery());
            assertEquals("Bearer " + SECRET, request.authorization());
            assertEquals("shop", json(request).get("task").asText());
        }
        assertEquals("ddl", json(requests.get(0)).get("rule").asText());
        assertEquals("WARNING", json(requests.get(0)).get("level").asText());
        assertEquals("task-status", json(requests.get(1)).get("rule").asText());
        assertEquals("CRITICAL", json(requests.get(1)).get("level").asText());
    }

    @Test
    void mailExampleSendsThroughTheSmtpServerWithItsLogin() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(com.icegreen.greenmail.configuration.GreenMailConfiguration.aConfig()
                        .withUser("alerts@example.com", "alerts", SECRET));
        smtp.start();
        servers.add(smtp::stop);
        Properties environment = new Properties();
        environment.setProperty("SMTP_HOST", "127.0.0.1");
        environment.setProperty("SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()));
        environment.setProperty("SMTP_SECURITY", "none");
        environment.setProperty("SMTP_USER", "alerts");
        environment.setProperty("SMTP_PASSWORD", SECRET);
        environment.setProperty("SMTP_FROM", "alerts@example.com");
        environment.setProperty("SMTP_TO", "oncall@example.com,dba@example.com");
        runExample("alerts-mail.yaml", environment);

        // Two alerts, each to two recipients (GreenMail's own wait counts only mails arriving after it is called).
        for (int i = 0; i < 300 && smtp.getReceivedMessages().length < 4; i++) {
            Thread.sleep(100);
        }
        assertEquals(4, smtp.getReceivedMessages().length);
        List<String> subjects = new ArrayList<>();
        for (MimeMessage mail : smtp.getReceivedMessages()) {
            subjects.add(mail.getSubject());
            assertEquals("alerts@example.com", mail.getFrom()[0].toString());
            if (mail.getSubject().equals("CRITICAL · task-status · shop")) {
                assertTrue(mail.getContent().toString().contains("FAILED: the source server went away"), mail.getContent().toString());
            }
        }
        assertEquals(List.of("CRITICAL · task-status · shop", "CRITICAL · task-status · shop", "WARNING · ddl · shop", "WARNING · ddl · shop"),
                subjects.stream().sorted().toList());
    }

    /** Every example alerting file run in one process, beside each other: no route id or queue of one meets another's. */
    @Test
    void theExampleFilesRunSideBySide() throws Exception {
        AlertReceiver chat = receiver("{\"code\":0,\"msg\":\"success\",\"errcode\":0,\"errmsg\":\"ok\"}");
        AlertReceiver slack = receiver("ok");
        Properties environment = new Properties();
        environment.setProperty("FEISHU_WEBHOOK_URL", chat.url("/open-apis/bot/v2/hook/token"));
        environment.setProperty("DINGTALK_WEBHOOK_URL", chat.url("/robot/send?access_token=T"));
        environment.setProperty("WECOM_WEBHOOK_URL", chat.url("/cgi-bin/webhook/send?key=K"));
        environment.setProperty("ALERT_WEBHOOK_URL", chat.url("/hooks/realtime-sync"));
        environment.setProperty("SLACK_WEBHOOK_URL", slack.url("/services/T/B/X"));
        List<String> files = new ArrayList<>();
        try (Stream<Path> examples = Files.list(Path.of("examples"))) {
            examples.map(path -> path.getFileName().toString()).filter(name -> name.matches("alerts(-\\w+)?\\.yaml"))
                    .filter(name -> !name.equals("alerts-mail.yaml")).sorted().forEach(files::add);
        }
        assertEquals(List.of("alerts-dingtalk.yaml", "alerts-slack.yaml", "alerts-webhook.yaml", "alerts-wecom.yaml", "alerts.yaml"), files);
        runExample(files, environment);

        List<String> paths = await(chat, 8).stream().map(AlertReceiver.Request::rawPath).sorted().distinct().toList();
        assertEquals(List.of("/cgi-bin/webhook/send", "/hooks/realtime-sync", "/open-apis/bot/v2/hook/token", "/robot/send"), paths);
        assertEquals(2, await(slack, 2).size());
    }

    /** The alerting examples' route ids are their own: none is used by another example file (a task's or an alert file's). */
    @Test
    void theAlertExamplesRouteIdsAreTheirOwn() throws Exception {
        Pattern id = Pattern.compile("(?m)^- route:\\s*\\n\\s+id: (\\S+)");
        List<String> alertIds = new ArrayList<>();
        List<String> otherIds = new ArrayList<>();
        try (Stream<Path> examples = Files.list(Path.of("examples"))) {
            for (Path file : examples.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
                Matcher ids = id.matcher(Files.readString(file));
                while (ids.find()) {
                    (file.getFileName().toString().startsWith("alerts") ? alertIds : otherIds).add(ids.group(1));
                }
            }
        }
        assertEquals(12, alertIds.size(), alertIds.toString());
        assertEquals(alertIds.size(), alertIds.stream().distinct().count(), alertIds.toString());
        assertTrue(otherIds.stream().noneMatch(alertIds::contains), otherIds + " and " + alertIds);
    }

    private AlertReceiver receiver(String answer) throws Exception {
        AlertReceiver started = AlertReceiver.start().answer(200, answer);
        servers.add(started);
        return started;
    }

    private void runExample(String file, Properties environment) throws Exception {
        runExample(List.of(file), environment);
    }

    /** The example files loaded as run loads them, then one schema change and the failure of task shop. */
    private void runExample(List<String> files, Properties environment) throws Exception {
        context = new DefaultCamelContext();
        environment.setProperty("ALERT_STATE_DIRECTORY", Files.createTempDirectory("rs-example-alerts").toString());
        context.getPropertiesComponent().setInitialProperties(environment);
        for (String file : files) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context, "file:examples/" + file));
        }
        context.start();
        SyncTask task = TaskRegistry.of(context).task("shop");
        task.schemaChangeApplied("public.items", "column note was added to public.items");
        task.fail("the source server went away");
    }

    /** The receiver's first {@code count} requests, once they arrived (the channels deliver on a thread of their own). */
    private static List<AlertReceiver.Request> await(AlertReceiver receiver, int count) throws InterruptedException {
        for (int i = 0; i < 300 && receiver.requests.size() < count; i++) {
            Thread.sleep(100);
        }
        assertTrue(receiver.requests.size() >= count, "requests received: " + receiver.requests.size());
        return receiver.requests.subList(0, count);
    }

    private static JsonNode json(AlertReceiver.Request request) throws Exception {
        return new ObjectMapper().readTree(request.body());
    }

    private static String hmacBase64(String key, String message) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
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
