package routes.alerting;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A DingTalk custom robot's markdown message,
 * {@code {"msgtype":"markdown","markdown":{"title":..,"text":..}}}: the title is what the chat list and the phone's
 * notification show; the text repeats it as a heading and lists one fact per line.
 */
final class DingTalkFormat {

    private DingTalkFormat() {
    }

    static ObjectNode message(AlertMessage alert, Instant now) {
        StringBuilder text = new StringBuilder("### ").append(AlertText.title(alert)).append("\n\n");
        for (AlertText.Line line : AlertText.lines(alert, now)) {
            text.append("- **").append(line.label()).append(":** ").append(line.text()).append('\n');
        }
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("msgtype", "markdown");
        message.putObject("markdown").put("title", AlertText.title(alert)).put("text", text.toString());
        return message;
    }
}
