package routes.alerting;

/**
 * A Slack incoming webhook ({@code https://hooks.slack.com/services/...}; the address is the credential). Slack
 * answers HTTP 200 with the body {@code ok}; otherwise a 4xx/5xx status with a short error such as
 * {@code invalid_payload}, {@code channel_not_found} or {@code channel_is_archived}.
 */
public class SlackChannel extends WebhookChannel {

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public void send(AlertMessage alert) throws AlertDeliveryException {
        WebhookPost.Answer answer = post().post(getWebhookUrl().trim(), bytes(SlackFormat.message(alert, getClock().instant())));
        if (answer.status() != 200) {
            throw post().httpFailure(answer);
        }
        if (!"ok".equals(answer.body().strip())) {
            throw new AlertDeliveryException(name(), "Slack did not answer ok: " + post().quote(answer.body()), false);
        }
    }
}
