package routes.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class AlertFormatsTest {

    @Test
    void agesReadAsPeopleSayThem() {
        assertEquals("45 s", AlertText.ago(Duration.ofSeconds(45)));
        assertEquals("12 min", AlertText.ago(Duration.ofSeconds(12 * 60 + 30)));
        assertEquals("3 h", AlertText.ago(Duration.ofHours(3)));
        assertEquals("3 h 5 min", AlertText.ago(Duration.ofMinutes(185)));
        assertEquals("2 d 4 h", AlertText.ago(Duration.ofHours(52)));
        assertEquals("0 s", AlertText.ago(Duration.ofSeconds(-5)), "a clock a little behind the event's");
    }

    /** WeCom refuses markdown content over 4,096 bytes: a long action is cut on a character boundary, with an ellipsis. */
    @Test
    void weComContentIsCutToItsByteLimit() {
        String action = "请检查目标库".repeat(400);
        AlertMessage alert = new AlertMessage("shop-sync", null, "ddl", AlertMessage.Level.WARNING, false, null, null,
                Instant.parse("2026-12-06T10:00:00Z"), action);
        String content = WeComFormat.message(alert, Instant.parse("2026-12-06T10:01:00Z")).at("/markdown/content").asText();
        int bytes = content.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes <= 4096 && bytes > 4090, "bytes: " + bytes);
        assertTrue(content.endsWith("…"), content.substring(content.length() - 5));
        assertTrue(content.startsWith("### <font color=\"comment\">WARNING</font> ddl · shop-sync\n> Task: shop-sync"), content.substring(0, 80));
        assertEquals("short", WeComFormat.cut("short", 4096));
    }

    @Test
    void aBodyThatIsNoAlertIsOneLine() {
        assertEquals("An alert channel takes an AlertMessage or its JSON as the body, not java.lang.Integer",
                assertThrows(IllegalArgumentException.class, () -> AlertJson.from(42)).getMessage());
        assertEquals("The alert's level 'urgent' is neither WARNING nor CRITICAL", assertThrows(IllegalArgumentException.class,
                () -> AlertJson.from("{\"task\":\"t\",\"rule\":\"r\",\"level\":\"urgent\",\"since\":\"2026-12-06T10:00:00Z\"}")).getMessage());
        assertEquals("An alert needs a task, a rule, a level and the time it began (since)", assertThrows(IllegalArgumentException.class,
                () -> AlertJson.from("{\"task\":\"t\",\"level\":\"WARNING\",\"since\":\"2026-12-06T10:00:00Z\"}")).getMessage());
    }
}
