package routes.alerting;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A WeCom (企业微信) group robot ({@code https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...}): markdown, no
 * signature (the key in the address is the credential). WeCom answers {@code {"errcode":0,"errmsg":"ok"}} on success.
 */
public class WeComChannel extends WebhookChannel {

    @Override
    public String name() {
        return "wecom";
    }

    @Override
    public void send(AlertMessage alert) throws AlertDeliveryException {
        WebhookPost.Answer answer = post().post(getWebhookUrl().trim(), bytes(WeComFormat.message(alert, getClock().instant())));
        if (answer.status() != 200) {
            throw post().httpFailure(answer);
        }
        JsonNode json = json(answer);
        if (!json.has("errcode") || json.get("errcode").asInt(-1) != 0) {
            throw new AlertDeliveryException(name(), "WeCom refused the message: errcode " + json.path("errcode").asText("missing") + " "
                    + post().quote(json.path("errmsg").asText("")), false);
        }
    }
}
