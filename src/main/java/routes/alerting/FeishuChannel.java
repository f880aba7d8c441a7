package routes.alerting;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Feishu/Lark custom bot ({@code https://open.feishu.cn/open-apis/bot/v2/hook/...}). With signature verification
 * on, the body also carries {@code "timestamp"} (seconds, as a string; Feishu refuses one more than an hour off) and
 * {@code "sign"} = Base64(HmacSHA256(key = timestamp + "\n" + secret, message = nothing)), as Feishu's custom bot guide
 * specifies. Feishu answers HTTP 200 with {@code {"code":0}} on success, another code on error (19021: signature or
 * timestamp refused).
 */
public class FeishuChannel extends WebhookChannel {

    private String secret = "";

    @Override
    public String name() {
        return "feishu";
    }

    public String getSecret() {
        return secret;
    }

    /** The signing secret from the bot's security settings; empty when the bot does not verify signatures. */
    public void setSecret(String secret) {
        this.secret = secret == null ? "" : secret;
    }

    @Override
    protected List<String> secrets() {
        return List.of(secret);
    }

    @Override
    public void send(AlertMessage alert) throws AlertDeliveryException {
        ObjectNode message = FeishuFormat.message(alert, getClock().instant());
        ObjectNode body = message;
        if (!secret.isEmpty()) {
            long timestamp = getClock().instant().getEpochSecond();
            body = AlertJson.MAPPER.createObjectNode();
            body.put("timestamp", Long.toString(timestamp));
            body.put("sign", sign(timestamp, secret));
            body.setAll(message);
        }
        WebhookPost.Answer answer = post().post(getWebhookUrl(), bytes(body));
        if (answer.status() != 200) {
            throw post().httpFailure(answer);
        }
        JsonNode json = json(answer);
        // Older answers carry StatusCode/StatusMessage beside (or instead of) code/msg.
        JsonNode code = json.has("code") ? json.get("code") : json.get("StatusCode");
        if (code == null || code.asInt(-1) != 0) {
            String msg = json.path("msg").asText(json.path("StatusMessage").asText(""));
            throw new AlertDeliveryException(name(), "Feishu refused the message: code " + (code == null ? "missing" : code.asText()) + " "
                    + post().quote(msg), false);
        }
    }

    /** Feishu's signature: Base64(HmacSHA256(key = timestamp + "\n" + secret, message = empty)). */
    static String sign(long timestampSeconds, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((timestampSeconds + "\n" + secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(new byte[0]));
        } catch (Exception e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
