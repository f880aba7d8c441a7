package routes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.alerting.AlertReceiver;

/**
 * {@code alerts test}: one test message through each channel step of alerting route files, against local receivers
 * standing in for the vendors; the rule sets in the files do not run.
 */
class AlertTestMessagesTest {

    private static final String FEISHU_SECRET = "fEi5hu+Secret/=&";
    private static final String HOOK = "/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd";
    private static final String FEISHU_OK = "{\"code\":0,\"msg\":\"success\",\"data\":{}}";
    private static final String FEISHU_SIGN_REFUSED = "{\"code\":19021,\"data\":{},\"msg\":\"sign match fail or timestamp is not within one hour from current time\"}";

    @TempDir
    Path work;

    private final List<AlertReceiver> receivers = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        receivers.forEach(AlertReceiver::close);
        System.clearProperty("ALERTS_TEST_WECOM_URL");
    }

    @Test
    void everyChannelTakesItsTestMessage() throws Exception {
        AlertReceiver feishu = receiver(200, FEISHU_OK);
        AlertReceiver weCom = receiver(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        AlertReceiver relay = receiver(200, "");
        // The address of one channel from a -D option, as run reads it.
        System.setProperty("ALERTS_TEST_WECOM_URL", weCom.url("/cgi-bin/webhook/send?key=k3y-0f-the-robot"));
        Path file = file("alerts.yaml", rules("alert-rules", "direct:alerts-feishu,direct:alerts-wecom")
                + channel("alerts-feishu", "feishu", "webhookUrl: \"RAW(" + feishu.url(HOOK) + ")\"", "secret: \"RAW(" + FEISHU_SECRET + ")\"")
                + channel("alerts-wecom", "wecom", "webhookUrl: \"RAW({{ALERTS_TEST_WECOM_URL}})\"")
                // A relay at the root of its host: the address is all the line can say of where it went.
                + channel("alerts-relay", "webhook", "webhookUrl: \"" + relay.url("") + "\""));

        assertEquals(0, run("test", file.toString()), output());

        assertEquals(List.of(
                "feishu " + origin(feishu) + " (route alerts-feishu): OK",
                "wecom " + origin(weCom) + " (route alerts-wecom): OK",
                "webhook " + origin(relay) + " (route alerts-relay): OK",
                "realtime-sync: the test message reached all 3 channels"), out.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals("test", new ObjectMapper().readTree(relay.only().body()).get("rule").asText());
        JsonNode message = new ObjectMapper().readTree(feishu.only().body());
        assertEquals(HOOK, feishu.only().rawPath());
        assertEquals("WARNING · test · alerts-feishu", message.at("/content/post/zh_cn/title").asText());
        assertTrue(message.toString().contains("Nothing: this is a test message from realtime-sync alerts test"), message.toString());
        // Signed as Feishu documents it: Base64(HmacSHA256(key = timestamp + "\n" + secret, empty message)).
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec((message.get("timestamp").asText() + "\n" + FEISHU_SECRET).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertEquals(Base64.getEncoder().encodeToString(mac.doFinal(new byte[0])), message.get("sign").asText());
        assertEquals("key=k3y-0f-the-robot", weCom.only().rawQuery());
        assertTrue(weCom.only().text().contains("WARNING</font> test · alerts-wecom"), weCom.only().text());
    }

    /**
     * A vendor that refuses the message, a server error and nobody listening: each channel is one line with its
     * reason, the others still get theirs, and no key, token or secret is printed.
     */
    @Test
    void aChannelThatFailsSaysWhyWithoutItsSecrets() throws Exception {
        AlertReceiver feishu = receiver(200, FEISHU_SIGN_REFUSED);
        AlertReceiver webhook = receiver(500, "internal error for token s3cr3t-t0ken-in-the-query");
        AlertReceiver slack = receiver(200, "ok");
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path file = file("alerts.yaml", rules("alert-rules", "direct:alerts-feishu")
                + channel("alerts-feishu", "feishu", "webhookUrl: \"RAW(" + feishu.url(HOOK) + ")\"", "secret: \"RAW(" + FEISHU_SECRET + ")\"")
                + channel("alerts-webhook", "webhook", "webhookUrl: \"RAW(" + webhook.url("/hooks/in?token=s3cr3t-t0ken-in-the-query") + ")\"",
                        "authorization: \"RAW(Bearer b3arer-t0ken)\"")
                + channel("alerts-slack", "slack", "webhookUrl: \"RAW(" + slack.url("/services/T0/B0/sl4ck-k3y") + ")\"")
                + channel("alerts-dingtalk", "dingtalk", "webhookUrl: \"RAW(http://127.0.0.1:" + closedPort + "/robot/send?access_token=d1ng-t0ken)\"",
                        "timeoutSeconds: 3"));

        assertEquals(1, run("test", file.toString()), output());

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(5, lines.size(), output());
        assertEquals("feishu " + origin(feishu) + " (route alerts-feishu): FAILED: Feishu refused the message: code 19021 sign match fail "
                + "or timestamp is not within one hour from current time", lines.get(0));
        assertEquals("webhook " + origin(webhook) + " (route alerts-webhook): FAILED: " + origin(webhook)
                + " answered HTTP 500: internal error for token ***", lines.get(1));
        assertEquals("slack " + origin(slack) + " (route alerts-slack): OK", lines.get(2));
        assertTrue(lines.get(3).startsWith("dingtalk http://127.0.0.1:" + closedPort + " (route alerts-dingtalk): FAILED: no answer from http://127.0.0.1:"
                + closedPort + ": "), lines.get(3));
        assertTrue(lines.get(3).toLowerCase(java.util.Locale.ROOT).contains("refused"), lines.get(3));
        assertEquals("realtime-sync: 3 of 4 channels failed", lines.get(4));
        assertEquals(1, webhook.requests.size());
        assertEquals("Bearer b3arer-t0ken", webhook.only().authorization());
        for (String secret : List.of(FEISHU_SECRET, "5e3d587e", "s3cr3t-t0ken", "b3arer-t0ken", "sl4ck-k3y", "d1ng-t0ken", "/hooks/in", "/robot/send")) {
            assertFalse(output().contains(secret), secret + " printed:\n" + output());
        }
    }

    @Test
    void anUnknownParameterIsBadInputAndNothingIsSent() throws Exception {
        AlertReceiver feishu = receiver(200, FEISHU_OK);
        AlertReceiver weCom = receiver(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        Path file = file("alerts.yaml", channel("alerts-feishu", "feishu", "webhookUrl: \"RAW(" + feishu.url(HOOK) + ")\"",
                "secrett: \"RAW(" + FEISHU_SECRET + ")\"")
                + channel("alerts-wecom", "wecom", "webhookUrl: \"RAW(" + weCom.url("/cgi-bin/webhook/send?key=k") + ")\""));

        assertEquals(2, run("test", file.toString()), output());

        assertEquals(List.of("realtime-sync: feishu channel of route alerts-feishu: Route 'alerts-feishu' passes 'secrett' to kamelet "
                + "feishu-alert-sink, which has no such parameter: did you mean 'secret'?",
                "realtime-sync: nothing was sent; fix the above and run alerts test again"), err.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals(0, feishu.requests.size() + weCom.requests.size());
        assertFalse(output().contains(FEISHU_SECRET), output());
    }

    @Test
    void aMissingSettingIsBadInputSayingWhichToSet() throws Exception {
        Path file = file("alerts.yaml", channel("alerts-dingtalk", "dingtalk", "webhookUrl: \"RAW({{ALERTS_TEST_UNSET_DINGTALK_URL}})\""));

        assertEquals(2, run("test", file.toString()), output());

        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("realtime-sync: dingtalk channel of route alerts-dingtalk: the setting "
                + "ALERTS_TEST_UNSET_DINGTALK_URL is missing: set the environment variable ALERTS_TEST_UNSET_DINGTALK_URL (or pass "
                + "-DALERTS_TEST_UNSET_DINGTALK_URL=...)\n"), output());
    }

    @Test
    void badUsageAndFilesAreOneLineEach() throws Exception {
        assertEquals(2, run(), output());
        assertEquals(2, run("test"), output());
        assertEquals(2, run("send", "examples/alerts.yaml"), output());
        assertEquals(2, run("test", work.resolve("no-such.yaml").toString()), output());
        Path noChannel = file("task.yaml", """
                - route:
                    id: just-a-log
                    from:
                      uri: "direct:in"
                      steps:
                        - log: "${body}"
                """);
        assertEquals(2, run("test", noChannel.toString()), output());
        Path notYaml = file("broken.yaml", "- route: [\n");
        assertEquals(2, run("test", notYaml.toString()), output());

        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(6, lines.size(), output());
        assertEquals("realtime-sync: " + AlertTestMessages.USAGE, lines.get(0));
        assertEquals(lines.get(0), lines.get(1));
        assertEquals(lines.get(0), lines.get(2));
        assertEquals("realtime-sync: cannot read alerting route file " + work.resolve("no-such.yaml").toAbsolutePath(), lines.get(3));
        assertTrue(lines.get(4).startsWith("realtime-sync: no alert channel in " + noChannel.toAbsolutePath() + ": an alerting route delivers "
                + "through a channel kamelet step such as 'to: kamelet:feishu-alert-sink'"), lines.get(4));
        assertTrue(lines.get(5).startsWith("realtime-sync: cannot read alerting route file " + notYaml.toAbsolutePath() + ": "), lines.get(5));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    private int run(String... args) {
        return new AlertTestMessages(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(List.of(args));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private AlertReceiver receiver(int status, String answer) throws Exception {
        AlertReceiver receiver = AlertReceiver.start().answer(status, answer);
        receivers.add(receiver);
        return receiver;
    }

    /** What the channels name as the destination: scheme, host and port. */
    private static String origin(AlertReceiver receiver) {
        String url = receiver.url("");
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private Path file(String name, String yaml) throws Exception {
        return Files.writeString(work.resolve(name), yaml);
    }

    /** A rule set as the example files have it: it must not run (its channels would be called by its own routes). */
    private static String rules(String id, String channels) {
        return """
                - route:
                    id: %s
                    from:
                      uri: "kamelet:realtime-sync-alert-rules"
                      parameters:
                        rules: "task-status,latency,ddl"
                        evaluationSeconds: 1
                        channels: "%s"
                      steps:
                        - log: "${body}"
                """.formatted(id, channels);
    }

    /** A channel route as the example files have it: direct:ID to the KIND-alert-sink kamelet with these parameters. */
    private static String channel(String id, String kind, String... parameters) {
        StringBuilder yaml = new StringBuilder("""
                - route:
                    id: %s
                    from:
                      uri: "direct:%s"
                      steps:
                        - to:
                            uri: "kamelet:%s-alert-sink"
                            parameters:
                """.formatted(id, id, kind));
        for (String parameter : parameters) {
            yaml.append("              ").append(parameter).append('\n');
        }
        return yaml.toString();
    }
}
