package routes.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.ops.TaskProblem;

/** Each channel as one Camel step: its kamelet takes an alert and delivers it, and refuses a parameter it does not have. */
class AlertKameletsTest {

    private static final Set<String> KAMELETS = Set.of("feishu-alert-sink", "dingtalk-alert-sink", "wecom-alert-sink", "slack-alert-sink",
            "webhook-alert-sink", "mail-alert-sink");
    private static final String SECRET = "s3cr3t+/=&key";

    private AlertReceiver receiver;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() throws Exception {
        receiver = AlertReceiver.start();
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        receiver.close();
    }

    private ProducerTemplate route(String to) throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:alert").routeId("alerts").to(to);
            }
        });
        camel.start();
        return camel.createProducerTemplate();
    }

    @Test
    void feishuKameletDeliversASignedMessage() throws Exception {
        receiver.answer(200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}");
        route("kamelet:feishu-alert-sink?webhookUrl=RAW(" + receiver.url("/open-apis/bot/v2/hook/abc-123") + ")&secret=RAW(" + SECRET + ")")
                .sendBody("direct:alert", ChatChannelsTest.LATENCY);

        AlertReceiver.Request request = receiver.only();
        assertEquals("/open-apis/bot/v2/hook/abc-123", request.rawPath());
        JsonNode body = new ObjectMapper().readTree(request.body());
        String timestamp = body.get("timestamp").asText();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec((timestamp + "\n" + SECRET).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertEquals(Base64.getEncoder().encodeToString(mac.doFinal(new byte[0])), body.get("sign").asText());
        assertTrue(Math.abs(Long.parseLong(timestamp) - System.currentTimeMillis() / 1000) < 60, "seconds, from the clock: " + timestamp);
        assertEquals("post", body.get("msg_type").asText());
        assertEquals(ChatChannelsTest.TITLE, body.at("/content/post/zh_cn/title").asText());
    }

    @Test
    void dingTalkKameletSignsTheAddress() throws Exception {
        receiver.answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        route("kamelet:dingtalk-alert-sink?webhookUrl=RAW(" + receiver.url("/robot/send?access_token=tok") + ")&secret=RAW(" + SECRET + ")")
                .sendBody("direct:alert", ChatChannelsTest.LATENCY);
        String query = receiver.only().rawQuery();
        assertTrue(query.matches("access_token=tok&timestamp=\\d{13}&sign=[A-Za-z0-9%]+"), query);
    }

    @Test
    void weComSlackAndWebhookKameletsDeliver() throws Exception {
        receiver.answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        route("kamelet:wecom-alert-sink?webhookUrl=RAW(" + receiver.url("/cgi-bin/webhook/send?key=k-1") + ")")
                .sendBody("direct:alert", ChatChannelsTest.LATENCY);
        assertTrue(receiver.only().text().startsWith("{\"msgtype\":\"markdown\""), receiver.only().text());
        camel.stop();

        receiver.requests.clear();
        receiver.answer(200, "ok");
        route("kamelet:slack-alert-sink?webhookUrl=RAW(" + receiver.url("/services/T/B/X") + ")").sendBody("direct:alert", ChatChannelsTest.LATENCY);
        assertTrue(receiver.only().text().startsWith("{\"text\":\"" + ChatChannelsTest.TITLE + "\",\"blocks\":"), receiver.only().text());
        camel.stop();

        // The body may also be the alert's JSON, e.g. from a YAML route.
        receiver.requests.clear();
        receiver.answer(202, "");
        route("kamelet:webhook-alert-sink?webhookUrl=RAW(" + receiver.url("/hook") + ")&authorization=RAW(Bearer t0k)")
                .sendBody("direct:alert", "{\"task\":\"shop-sync\",\"rule\":\"task-failed\",\"level\":\"critical\",\"since\":\"2026-12-06T10:00:00Z\"}");
        assertEquals("Bearer t0k", receiver.only().authorization());
        assertEquals("task-failed", new ObjectMapper().readTree(receiver.only().body()).get("rule").asText());
    }

    @Test
    void aRefusalFailsTheCallingExchangeWithTheVendorsReason() throws Exception {
        receiver.answer(200, "{\"code\":19021,\"data\":{},\"msg\":\"sign match fail or timestamp is not within one hour from current time\"}");
        ProducerTemplate alerts = route("kamelet:feishu-alert-sink?webhookUrl=RAW(" + receiver.url("/open-apis/bot/v2/hook/abc-123")
                + ")&secret=RAW(" + SECRET + ")");

        CamelExecutionException failure = assertThrows(CamelExecutionException.class, () -> alerts.sendBody("direct:alert", ChatChannelsTest.LATENCY));

        AlertDeliveryException cause = assertInstanceOf(AlertDeliveryException.class, failure.getCause());
        assertTrue(cause.getMessage().contains("code 19021 sign match fail"), cause.getMessage());
        ChatChannelsTest.assertNoSecret(failure, SECRET, "abc-123");
    }

    @Test
    void anUnknownParameterIsRefusedBeforeAnythingStarts() {
        Exception error = assertThrows(Exception.class, () -> route("kamelet:feishu-alert-sink?webhookUrl=RAW("
                + receiver.url("/hook") + ")&secrte=x"));
        String reason = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof TaskProblem) {
                reason = t.getMessage();
            }
        }
        assertEquals("Route 'alerts' passes 'secrte' to kamelet feishu-alert-sink, which has no such parameter: did you mean 'secret'?", reason);
    }

    /** Every declared parameter reaches the channel and every one the template uses is declared, with a title and description. */
    @Test
    void eachKameletDeclaresWhatItUses() throws Exception {
        Pattern declared = Pattern.compile("\\n      ([a-zA-Z]+):\\n        title: ");
        Pattern used = Pattern.compile("\\{\\{([a-zA-Z]+)}}");
        for (String name : KAMELETS) {
            String kamelet = Files.readString(Path.of("kamelets", name + ".kamelet.yaml"));
            Set<String> parameters = new TreeSet<>();
            for (Matcher m = declared.matcher(kamelet); m.find();) {
                parameters.add(m.group(1));
            }
            Set<String> references = new TreeSet<>();
            for (Matcher m = used.matcher(kamelet); m.find();) {
                references.add(m.group(1));
            }
            references.remove("channel");
            assertEquals(parameters, references, name);
            assertTrue(kamelet.contains("  name: " + name + "\n"), name);
            assertTrue(kamelet.contains("camel.apache.org/kamelet.type: \"sink\""), name);
            assertFalse(parameters.isEmpty(), name);
        }
    }
}
