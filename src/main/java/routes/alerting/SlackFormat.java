package routes.alerting;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Slack incoming webhook's message: {@code text} (what notifications and old clients show) and Block Kit
 * {@code blocks}, a header with the title and a section with one fact per line in mrkdwn. Slack's mrkdwn reads
 * {@code & < >} as markup, so they are escaped as Slack asks ({@code &amp; &lt; &gt;}).
 */
final class SlackFormat {

    private SlackFormat() {
    }

    static ObjectNode message(AlertMessage alert, Instant now) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        StringBuilder facts = new StringBuilder();
        for (AlertText.Line line : AlertText.lines(alert, now)) {
            facts.append(facts.isEmpty() ? "" : "\n").append('*').append(escape(line.label())).append(":* ").append(escape(line.text()));
        }
        ObjectNode message = json.objectNode();
        message.put("text", escape(AlertText.title(alert)));
        ArrayNode blocks = message.putArray("blocks");
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text").put("text", AlertText.title(alert));
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", facts.toString());
        return message;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
