package routes.alerting;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Feishu/Lark custom bot's rich-text ("post") message: the title in bold at the top, one paragraph per fact, so
 * each fact starts a line on a phone.
 * {@code {"msg_type":"post","content":{"post":{"zh_cn":{"title":..,"content":[[{"tag":"text","text":..}],..]}}}}}.
 * (zh_cn is the language key Feishu's own examples use; Lark clients show it as well.)
 */
final class FeishuFormat {

    private FeishuFormat() {
    }

    static ObjectNode message(AlertMessage alert, Instant now) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ArrayNode paragraphs = json.arrayNode();
        for (AlertText.Line line : AlertText.lines(alert, now)) {
            paragraphs.addArray().addObject().put("tag", "text").put("text", line.toString());
        }
        ObjectNode post = json.objectNode();
        post.put("title", AlertText.title(alert));
        post.set("content", paragraphs);
        ObjectNode message = json.objectNode();
        message.put("msg_type", "post");
        message.putObject("content").putObject("post").set("zh_cn", post);
        return message;
    }
}
