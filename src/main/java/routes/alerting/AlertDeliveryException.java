package routes.alerting;

/**
 * A channel could not deliver an alert: no answer, or the vendor refused it, with the vendor's own words (Feishu's
 * {@code code}/{@code msg}, DingTalk's and WeCom's {@code errcode}/{@code errmsg}, Slack's error string). Never holds a
 * webhook key, token, signing secret or password. {@link #retryable()} says whether sending again later may work (no
 * answer, HTTP 429 or 5xx) or the request itself is wrong (a bad signature, a removed bot).
 */
public class AlertDeliveryException extends Exception {

    private final String channel;
    private final boolean retryable;

    public AlertDeliveryException(String channel, String message, boolean retryable) {
        super(channel + ": " + message);
        this.channel = channel;
        this.retryable = retryable;
    }

    /** The channel, e.g. {@code feishu}. */
    public String channel() {
        return channel;
    }

    public boolean retryable() {
        return retryable;
    }
}
