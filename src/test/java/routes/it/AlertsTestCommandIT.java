package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import routes.alerting.AlertReceiver;

/**
 * {@code java -jar target/realtime-sync.jar alerts test} as users run it: the example alerting files, their channels'
 * addresses and secrets from the environment, a receiver per vendor.
 */
class AlertsTestCommandIT {

    private static final String FEISHU_SECRET = "fEi5huS1gn1ngS3cret";
    private static final String FEISHU_HOOK = "/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd";
    private static final String WECOM_KEY = "693a91f6-7a1c-4bd8-9d2e-w3c0mk3y";

    @TempDir
    Path work;

    @Test
    void theExampleFilesChannelsEachSayOkOrWhyNot() throws Exception {
        try (AlertReceiver feishu = AlertReceiver.start(); AlertReceiver weCom = AlertReceiver.start()) {
            weCom.answer(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
            Map<String, String> environment = Map.of(
                    "FEISHU_WEBHOOK_URL", feishu.url(FEISHU_HOOK),
                    "FEISHU_SECRET", FEISHU_SECRET,
                    "WECOM_WEBHOOK_URL", weCom.url("/cgi-bin/webhook/send?key=" + WECOM_KEY));

            feishu.answer(200, "{\"code\":0,\"msg\":\"success\",\"data\":{}}");
            String delivered = finishedRun(environment, 0, "alerts", "test", "examples/alerts.yaml", "examples/alerts-wecom.yaml");
            assertTrue(delivered.contains("feishu " + feishu.url("") + " (route alerts-feishu): OK\n"), delivered);
            assertTrue(delivered.contains("wecom " + weCom.url("") + " (route alerts-wecom): OK\n"), delivered);
            assertTrue(delivered.contains("realtime-sync: the test message reached all 2 channels"), delivered);
            assertEquals(1, feishu.requests.size());
            assertTrue(feishu.only().text().contains("\"sign\":"), feishu.only().text());

            // The bot's secret was changed in Feishu and not here: Feishu answers 19021.
            feishu.answer(200, "{\"code\":19021,\"data\":{},\"msg\":\"sign match fail or timestamp is not within one hour from current time\"}");
            String refused = finishedRun(environment, 1, "alerts", "test", "examples/alerts.yaml", "examples/alerts-wecom.yaml");
            assertTrue(refused.contains("feishu " + feishu.url("") + " (route alerts-feishu): FAILED: Feishu refused the message: code 19021 "
                    + "sign match fail or timestamp is not within one hour from current time\n"), refused);
            assertTrue(refused.contains("wecom " + weCom.url("") + " (route alerts-wecom): OK\n"), refused);
            assertTrue(refused.contains("realtime-sync: 1 of 2 channels failed"), refused);
            assertEquals(2, weCom.requests.size());

            for (String output : List.of(delivered, refused)) {
                for (String secret : List.of(FEISHU_SECRET, FEISHU_HOOK, WECOM_KEY)) {
                    assertFalse(output.contains(secret), secret + " printed:\n" + output);
                }
            }
        }
    }

    @Test
    void aMissingAddressIsOneLineNamingTheVariable() throws Exception {
        String output = finishedRun(Map.of(), 2, "alerts", "test", "examples/alerts-slack.yaml");
        assertTrue(output.contains("realtime-sync: slack channel of route alerts-slack: the setting SLACK_WEBHOOK_URL is missing: set the "
                + "environment variable SLACK_WEBHOOK_URL (or pass -DSLACK_WEBHOOK_URL=...)"), output);
        assertTrue(output.contains("realtime-sync: nothing was sent"), output);
    }

    private String finishedRun(Map<String, String> environment, int expectedStatus, String... args) throws Exception {
        Path log = Files.createTempFile(work, "alerts-test", ".log");
        try (SyncProcess command = SyncProcess.start(log, environment, List.of("-Xmx256m"), args)) {
            assertEquals(expectedStatus, command.awaitExit(Duration.ofMinutes(2)), command.output());
            return command.output();
        }
    }
}
