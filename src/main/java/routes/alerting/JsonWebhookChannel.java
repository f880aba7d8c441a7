package routes.alerting;

import java.util.List;
import java.util.Map;

/**
 * Any HTTP endpoint taking the alert as JSON ({@link AlertJson}): an incident tool, a relay, a script. Any 2xx answer
 * is success. No signature; when the receiver wants a credential, put it in the address (https) or in the
 * Authorization header ({@link #setAuthorization}).
 */
public class JsonWebhookChannel extends WebhookChannel {

    private String authorization = "";

    @Override
    public String name() {
        return "webhook";
    }

    public String getAuthorization() {
        return authorization;
    }

    /** The Authorization header's value (e.g. {@code Bearer ...}); empty: none is sent. */
    public void setAuthorization(String authorization) {
        this.authorization = authorization == null ? "" : authorization;
    }

    @Override
    protected List<String> secrets() {
        return authorization.isEmpty() ? List.of() : List.of(authorization, authorization.substring(authorization.indexOf(' ') + 1));
    }

    @Override
    public void send(AlertMessage alert) throws AlertDeliveryException {
        WebhookPost.Answer answer = post().post(getWebhookUrl().trim(), bytes(AlertJson.message(alert, getClock().instant())),
                authorization.isEmpty() ? Map.of() : Map.of("Authorization", authorization));
        if (answer.status() < 200 || answer.status() > 299) {
            throw post().httpFailure(answer);
        }
    }
}
