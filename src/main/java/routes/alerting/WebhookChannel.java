package routes.alerting;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A channel that POSTs JSON to a webhook address: the address, the sender, and reading a JSON answer. */
public abstract class WebhookChannel extends AlertChannel {

    private String webhookUrl;
    private WebhookPost post;

    public String getWebhookUrl() {
        return webhookUrl;
    }

    public void setWebhookUrl(String webhookUrl) {
        this.webhookUrl = webhookUrl;
    }

    /** Further secrets than the address that an error must never show (a signing secret, a header's value). */
    protected List<String> secrets() {
        return List.of();
    }

    @Override
    public String destination() {
        return post().destination();
    }

    @Override
    public void start() {
        if (getCamelContext() == null) {
            throw new IllegalStateException("The " + name() + " channel has no CamelContext");
        }
        post = new WebhookPost(getCamelContext(), name(), webhookUrl, getTimeoutSeconds() * 1000, secrets());
    }

    @Override
    public void stop() {
        if (post != null) {
            post.close();
        }
    }

    protected WebhookPost post() {
        if (post == null) {
            start();
        }
        return post;
    }

    /** The answer's JSON, or a failure naming what came back instead. */
    protected JsonNode json(WebhookPost.Answer answer) throws AlertDeliveryException {
        try {
            return AlertJson.MAPPER.readTree(answer.body());
        } catch (Exception e) {
            throw new AlertDeliveryException(name(), post().destination() + " answered HTTP " + answer.status() + " with no JSON: "
                    + post().quote(answer.body()), answer.status() >= 500);
        }
    }

    protected static byte[] bytes(JsonNode json) {
        try {
            return AlertJson.MAPPER.writeValueAsBytes(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
