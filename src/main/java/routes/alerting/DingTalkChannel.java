package routes.alerting;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A DingTalk custom robot ({@code https://oapi.dingtalk.com/robot/send?access_token=...}). With "加签" (signing) on,
 * the query also carries {@code timestamp} (milliseconds; DingTalk refuses one more than an hour off) and
 * {@code sign} = urlencode(Base64(HmacSHA256(key = secret, message = timestamp + "\n" + secret))), UTF-8, as
 * DingTalk's robot security settings specify. DingTalk answers {@code {"errcode":0,"errmsg":"ok"}} on success.
 */
public class DingTalkChannel extends WebhookChannel {

    private String secret = "";

    @Override
    public String name() {
        return "dingtalk";
    }

    public String getSecret() {
        return secret;
    }

    /** The signing secret (SEC...) from the robot's security settings; empty when it does not sign. */
    public void setSecret(String secret) {
        this.secret = secret == null ? "" : secret;
    }

    @Override
    protected List<String> secrets() {
        return List.of(secret);
    }

    @Override
    public void send(AlertMessage alert) throws AlertDeliveryException {
        String url = getWebhookUrl().trim();
        if (!secret.isEmpty()) {
            long timestamp = getClock().millis();
            url += (url.contains("?") ? "&" : "?") + "timestamp=" + timestamp + "&sign=" + sign(timestamp, secret);
        }
        WebhookPost.Answer answer = post().post(url, bytes(DingTalkFormat.message(alert, getClock().instant())));
        if (answer.status() != 200) {
            throw post().httpFailure(answer);
        }
        JsonNode json = json(answer);
        if (!json.has("errcode") || json.get("errcode").asInt(-1) != 0) {
            throw new AlertDeliveryException(name(), "DingTalk refused the message: errcode " + json.path("errcode").asText("missing") + " "
                    + post().quote(json.path("errmsg").asText("")), false);
        }
    }

    /** DingTalk's signature, URL-encoded for the query: urlencode(Base64(HmacSHA256(secret, timestamp + "\n" + secret))). */
    static String sign(long timestampMillis, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] signature = mac.doFinal((timestampMillis + "\n" + secret).getBytes(StandardCharsets.UTF_8));
            return URLEncoder.encode(Base64.getEncoder().encodeToString(signature), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
