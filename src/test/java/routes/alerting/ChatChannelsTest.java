package routes.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each chat channel against a local receiver: the exact request the vendor documents (address, query, body byte for
 * byte), its signature recomputed here from the vendor's formula with a fixed clock, and a vendor error answer turned
 * into a failure with the vendor's words and no secret in it.
 */
class ChatChannelsTest {

    static final Instant NOW = Instant.parse("2026-12-06T10:27:30Z");
    static final AlertMessage LATENCY = new AlertMessage("shop-sync", "public.orders", "latency", AlertMessage.Level.CRITICAL, false,
            "95 s", "60 s", Instant.parse("2026-12-06T10:15:00Z"), "Check that the target database is up and accepts writes.");
    static final String[] LINES = {"Task: shop-sync", "Table: public.orders", "Rule: latency", "Level: CRITICAL",
        "Value: 95 s (threshold 60 s)", "Since: 2026-12-06 10:15:00 UTC (12 min ago)",
        "What to do: Check that the target database is up and accepts writes."};
    static final String TITLE = "CRITICAL · latency · shop-sync";

    private static final String SECRET = "SECb1e8d0c4f7a2/+Sign=Key";
    private static final String HOOK = "/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd";

    private AlertReceiver receiver;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() throws Exception {
        receiver = AlertReceiver.start();
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        receiver.close();
    }

    private <T extends WebhookChannel> T channel(T channel, String pathAndQuery) {
        channel.setCamelContext(camel);
        channel.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
        channel.setWebhookUrl(receiver.url(pathAndQuery));
        channel.start();
        return channel;
    }

    /** Base64(HmacSHA256(key, message)), written here from the vendors' documents, not taken from the code under test. */
    private static String hmacBase64(String key, byte[] message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(message));
    }

    @Test
    void feishuSignedPostMessage() throws Exception {
        receiver.answer(200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}");
        FeishuChannel feishu = channel(new FeishuChannel(), HOOK);
        feishu.setSecret(SECRET);

        feishu.send(LATENCY);

        // Feishu: "timestamp" in seconds as a string; sign = Base64(HmacSHA256(key = timestamp + "\n" + secret, empty message)).
        String timestamp = Long.toString(NOW.getEpochSecond());
        String sign = hmacBase64(timestamp + "\n" + SECRET, new byte[0]);
        StringBuilder paragraphs = new StringBuilder();
        for (String line : LINES) {
            paragraphs.append(paragraphs.isEmpty() ? "" : ",").append("[{\"tag\":\"text\",\"text\":\"").append(line).append("\"}]");
        }
        String expected = "{\"timestamp\":\"" + timestamp + "\",\"sign\":\"" + sign + "\",\"msg_type\":\"post\",\"content\":{\"post\":"
                + "{\"zh_cn\":{\"title\":\"" + TITLE + "\",\"content\":[" + paragraphs + "]}}}}";
        AlertReceiver.Request request = receiver.only();
        assertEquals("POST", request.method());
        assertEquals(HOOK, request.rawPath());
        assertNull(request.rawQuery());
        assertTrue(request.contentType().startsWith("application/json"), request.contentType());
        assertEquals(expected, request.text());
    }

    @Test
    void feishuWithoutSecretSendsNoSignature() throws Exception {
        receiver.answer(200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}");
        channel(new FeishuChannel(), HOOK).send(LATENCY);
        String body = receiver.only().text();
        assertTrue(body.startsWith("{\"msg_type\":\"post\","), body);
        assertFalse(body.contains("\"sign\""), body);
    }

    @Test
    void feishuErrorCodeIsAFailureWithFeishusMessage() {
        receiver.answer(200, "{\"code\":19021,\"data\":{},\"msg\":\"sign match fail or timestamp is not within one hour from current time\"}");
        FeishuChannel feishu = channel(new FeishuChannel(), HOOK);
        feishu.setSecret(SECRET);

        AlertDeliveryException failure = assertThrows(AlertDeliveryException.class, () -> feishu.send(LATENCY));

        assertEquals("feishu: Feishu refused the message: code 19021 sign match fail or timestamp is not within one hour from current time",
                failure.getMessage());
        assertFalse(failure.retryable());
        assertNoSecret(failure, SECRET, "5e3d587e");
    }

    @Test
    void dingTalkSignedMarkdown() throws Exception {
        receiver.answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        DingTalkChannel dingTalk = channel(new DingTalkChannel(), "/robot/send?access_token=T0k3nAbc123");
        dingTalk.setSecret(SECRET);

        dingTalk.send(LATENCY);

        // DingTalk: timestamp in ms; sign = urlencode(Base64(HmacSHA256(key = secret, message = timestamp + "\n" + secret))).
        String timestamp = Long.toString(NOW.toEpochMilli());
        String base64 = hmacBase64(SECRET, (timestamp + "\n" + SECRET).getBytes(StandardCharsets.UTF_8));
        AlertReceiver.Request request = receiver.only();
        assertEquals("/robot/send", request.rawPath());
        assertEquals("access_token=T0k3nAbc123&timestamp=" + timestamp + "&sign=" + URLEncoder.encode(base64, StandardCharsets.UTF_8),
                request.rawQuery());
        assertTrue(request.rawQuery().endsWith("%3D"), "Base64's padding arrives URL-encoded: " + request.rawQuery());
        assertEquals(base64, URLDecoder.decode(request.rawQuery().substring(request.rawQuery().indexOf("sign=") + 5), StandardCharsets.UTF_8));
        StringBuilder text = new StringBuilder("### " + TITLE + "\\n\\n");
        for (String line : LINES) {
            int colon = line.indexOf(": ");
            text.append("- **").append(line, 0, colon).append(":** ").append(line.substring(colon + 2)).append("\\n");
        }
        assertEquals("{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"" + TITLE + "\",\"text\":\"" + text + "\"}}", request.text());
    }

    /** The formula above gives the signature another DingTalk client publishes for its own test vector. */
    @Test
    void dingTalkFormulaMatchesAPublishedVector() throws Exception {
        String base64 = hmacBase64("secret", "1700000000000\nsecret".getBytes(StandardCharsets.UTF_8));
        assertEquals("OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D", URLEncoder.encode(base64, StandardCharsets.UTF_8));
        assertEquals("OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D", DingTalkChannel.sign(1_700_000_000_000L, "secret"));
    }

    @Test
    void dingTalkErrcodeIsAFailureWithDingTalksMessage() {
        receiver.answer(200, "{\"errcode\":310000,\"errmsg\":\"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]\"}");
        DingTalkChannel dingTalk = channel(new DingTalkChannel(), "/robot/send?access_token=T0k3nAbc123");
        dingTalk.setSecret(SECRET);

        AlertDeliveryException failure = assertThrows(AlertDeliveryException.class, () -> dingTalk.send(LATENCY));

        assertEquals("dingtalk: DingTalk refused the message: errcode 310000 sign not match, more: "
                + "[https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]", failure.getMessage());
        assertNoSecret(failure, SECRET, "T0k3nAbc123");
    }

    @Test
    void weComMarkdown() throws Exception {
        receiver.answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        channel(new WeComChannel(), "/cgi-bin/webhook/send?key=693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa").send(LATENCY);

        AlertReceiver.Request request = receiver.only();
        assertEquals("/cgi-bin/webhook/send", request.rawPath());
        assertEquals("key=693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa", request.rawQuery());
        StringBuilder content = new StringBuilder("### <font color=\\\"warning\\\">CRITICAL</font> latency · shop-sync");
        for (String line : LINES) {
            content.append("\\n> ").append(line);
        }
        assertEquals("{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"" + content + "\"}}", request.text());
    }

    @Test
    void weComRecoveryIsGreen() throws Exception {
        receiver.answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        AlertMessage recovered = new AlertMessage("shop-sync", null, "latency", AlertMessage.Level.WARNING, true, "2 s", "60 s",
                Instant.parse("2026-12-06T09:20:00Z"), null);
        channel(new WeComChannel(), "/cgi-bin/webhook/send?key=k3y-0001").send(recovered);
        assertEquals("{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"### <font color=\\\"info\\\">RECOVERED</font> latency · shop-sync"
                + "\\n> Task: shop-sync\\n> Rule: latency\\n> Level: recovered (was WARNING)\\n> Value: 2 s (threshold 60 s)"
                + "\\n> Lasted: 1 h 7 min, from 2026-12-06 09:20:00 UTC\"}}", receiver.only().text());
    }

    @Test
    void weComErrcodeIsAFailureAndAnEchoedKeyIsHidden() {
        String key = "693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa";
        receiver.answer(200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url, key " + key + " not found\"}");
        WeComChannel weCom = channel(new WeComChannel(), "/cgi-bin/webhook/send?key=" + key);

        AlertDeliveryException failure = assertThrows(AlertDeliveryException.class, () -> weCom.send(LATENCY));

        assertEquals("wecom: WeCom refused the message: errcode 93000 invalid webhook url, key *** not found", failure.getMessage());
        assertNoSecret(failure, key);
    }

    @Test
    void slackBlocks() throws Exception {
        receiver.answer(200, "ok");
        AlertMessage ddl = new AlertMessage("shop-sync", "public.a<b>&c", "ddl", AlertMessage.Level.WARNING, false, null, null,
                Instant.parse("2026-12-06T10:27:00Z"), "Review the change.");
        channel(new SlackChannel(), "/services/T000/B000/XXXXSECRET").send(ddl);

        AlertReceiver.Request request = receiver.only();
        assertEquals("/services/T000/B000/XXXXSECRET", request.rawPath());
        assertEquals("{\"text\":\"WARNING · ddl · shop-sync\",\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\","
                + "\"text\":\"WARNING · ddl · shop-sync\"}},{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":"
                + "\"*Task:* shop-sync\\n*Table:* public.a&lt;b&gt;&amp;c\\n*Rule:* ddl\\n*Level:* WARNING"
                + "\\n*Since:* 2026-12-06 10:27:00 UTC (30 s ago)\\n*What to do:* Review the change.\"}}]}", request.text());
    }

    @Test
    void slackErrorStatusIsAFailureWithSlacksError() {
        receiver.answer(404, "channel_not_found");
        SlackChannel slack = channel(new SlackChannel(), "/services/T000/B000/XXXXSECRET");

        AlertDeliveryException failure = assertThrows(AlertDeliveryException.class, () -> slack.send(LATENCY));

        assertTrue(failure.getMessage().endsWith(" answered HTTP 404: channel_not_found"), failure.getMessage());
        assertFalse(failure.retryable());
        assertNoSecret(failure, "XXXXSECRET", "/services/");
    }

    @Test
    void jsonWebhookSendsTheMessageAsJson() throws Exception {
        receiver.answer(204, "");
        JsonWebhookChannel webhook = channel(new JsonWebhookChannel(), "/hooks/alerts");
        webhook.setAuthorization("Bearer t0psecret");
        webhook.send(LATENCY);

        AlertReceiver.Request request = receiver.only();
        assertEquals("Bearer t0psecret", request.authorization());
        assertEquals("{\"task\":\"shop-sync\",\"table\":\"public.orders\",\"rule\":\"latency\",\"level\":\"CRITICAL\",\"recovery\":false,"
                + "\"value\":\"95 s\",\"threshold\":\"60 s\",\"since\":\"2026-12-06T10:15:00Z\",\"action\":\"Check that the target database "
                + "is up and accepts writes.\",\"title\":\"" + TITLE + "\",\"text\":\"" + TITLE + "\\n" + String.join("\\n", LINES) + "\"}",
                request.text());
        assertEquals(LATENCY, AlertJson.from(request.body()), "the JSON reads back as the same alert");
    }

    @Test
    void serverErrorIsARetryableFailure() {
        receiver.answer(503, "busy");
        JsonWebhookChannel webhook = channel(new JsonWebhookChannel(), "/hooks/alerts?token=abcdef123");
        webhook.setAuthorization("Bearer t0psecret");

        AlertDeliveryException failure = assertThrows(AlertDeliveryException.class, () -> webhook.send(LATENCY));

        assertEquals("webhook: " + receiver.url("") + " answered HTTP 503: busy", failure.getMessage());
        assertTrue(failure.retryable());
        assertEquals(1, receiver.requests.size(), "sent once: retrying is the alerting route's job");
        assertNoSecret(failure, "abcdef123", "t0psecret", "/hooks/alerts");
    }

    @Test
    void noAnswerIsARetryableFailureWithoutTheAddress() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        FeishuChannel feishu = new FeishuChannel();
        feishu.setCamelContext(camel);
        feishu.setWebhookUrl("http://127.0.0.1:" + closedPort + HOOK);
        feishu.setSecret(SECRET);
        feishu.setTimeoutSeconds(2);
        feishu.start();

        AlertDeliveryException failure = assertThrows(AlertDeliveryException.class, () -> feishu.send(LATENCY));

        assertTrue(failure.getMessage().startsWith("feishu: no answer from http://127.0.0.1:" + closedPort + ": "), failure.getMessage());
        assertTrue(failure.retryable());
        assertNoSecret(failure, SECRET, "5e3d587e", "/hook/");
    }

    @Test
    void aBadAddressIsOneLineWithoutTheAddress() {
        FeishuChannel feishu = new FeishuChannel();
        feishu.setCamelContext(camel);
        feishu.setWebhookUrl("open.feishu.cn/open-apis/bot/v2/hook/5e3d587e");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, feishu::start);
        assertEquals("The feishu webhookUrl is not an http:// or https:// address with a host (the value is not repeated here: it "
                + "holds the webhook's key). Copy it again from the bot's settings.", bad.getMessage());
    }

    static void assertNoSecret(Throwable failure, String... secrets) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (String secret : secrets) {
                assertFalse(String.valueOf(t.getMessage()).contains(secret), "'" + secret + "' in " + t.getMessage());
            }
        }
    }
}
