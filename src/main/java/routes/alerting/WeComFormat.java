package routes.alerting;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A WeCom group robot's markdown message, {@code {"msgtype":"markdown","markdown":{"content":..}}}, the status in one
 * of the three colours WeCom's markdown has (warning: orange-red, comment: grey, info: green), one quoted line per
 * fact. WeCom refuses markdown content over 4,096 UTF-8 bytes: a longer one is cut, with an ellipsis.
 */
final class WeComFormat {

    static final int MAX_BYTES = 4096;

    private WeComFormat() {
    }

    static ObjectNode message(AlertMessage alert, Instant now) {
        String colour = alert.recovery() ? "info" : alert.level() == AlertMessage.Level.CRITICAL ? "warning" : "comment";
        StringBuilder content = new StringBuilder("### <font color=\"").append(colour).append("\">").append(AlertText.status(alert))
                .append("</font> ").append(alert.rule()).append(" · ").append(alert.task());
        for (AlertText.Line line : AlertText.lines(alert, now)) {
            content.append("\n> ").append(line.label()).append(": ").append(line.text());
        }
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("msgtype", "markdown");
        message.putObject("markdown").put("content", cut(content.toString(), MAX_BYTES));
        return message;
    }

    /** The text itself when it fits in maxBytes of UTF-8, else its longest prefix that fits with "…" after it. */
    static String cut(String text, int maxBytes) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return text;
        }
        int budget = maxBytes - "…".getBytes(StandardCharsets.UTF_8).length;
        int end = 0;
        int bytes = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > budget) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end) + "…";
    }
}
