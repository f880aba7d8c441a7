package routes.alerting;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.service.ServiceHelper;

/**
 * POSTs one JSON body to a chat webhook through camel-http and hands back the answer, whatever its status. A webhook
 * address is a credential (Feishu's and Slack's path, WeCom's {@code key}, DingTalk's {@code access_token}): the
 * private endpoint is made for the host alone, the address travels in the {@code CamelHttpUri} header, and errors
 * name only scheme, host and port, with every secret given here replaced by ***.
 */
final class WebhookPost implements AutoCloseable {

    /** The HTTP status (0: no answer) and the body as text. */
    record Answer(int status, String body) {
    }

    private final CamelContext camelContext;
    private final String channel;
    private final URI address;
    private final int timeoutMs;
    private final List<String> secrets = new ArrayList<>();
    private HttpComponent http;
    private Endpoint endpoint;
    private ProducerTemplate producer;

    /**
     * @param webhookUrl the vendor's webhook address, held as a secret
     * @param secrets    further secrets that must never appear in an error (a signing secret, a token)
     */
    WebhookPost(CamelContext camelContext, String channel, String webhookUrl, int timeoutMs, List<String> secrets) {
        this.camelContext = camelContext;
        this.channel = channel;
        this.address = address(channel, webhookUrl);
        this.timeoutMs = timeoutMs;
        this.secrets.add(webhookUrl);
        if (address.getRawPath() != null && address.getRawPath().length() > 1) {
            this.secrets.add(address.getRawPath());
        }
        if (address.getRawQuery() != null) {
            this.secrets.add(address.getRawQuery());
            for (String pair : address.getRawQuery().split("&")) {
                this.secrets.add(pair.substring(pair.indexOf('=') + 1));
            }
        }
        this.secrets.addAll(secrets);
    }

    /** The webhook address checked: http(s)://host... The message never repeats it (it holds the key). */
    static URI address(String channel, String webhookUrl) {
        URI uri;
        try {
            uri = webhookUrl == null ? null : URI.create(webhookUrl.trim());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalArgumentException("The " + channel + " webhookUrl is not an http:// or https:// address with a host "
                    + "(the value is not repeated here: it holds the webhook's key). Copy it again from the bot's settings.");
        }
        return uri;
    }

    /** The address the webhook was given, e.g. to add a query to it. */
    URI address() {
        return address;
    }

    /** Where requests go, for messages: scheme, host and port, never the path or query. */
    String destination() {
        return address.getScheme() + "://" + address.getHost() + (address.getPort() > 0 ? ":" + address.getPort() : "");
    }

    /** Sends the body to {@code url} (the webhook address, perhaps with a signature added to its query). */
    Answer post(String url, byte[] json) throws AlertDeliveryException {
        return post(url, json, Map.of());
    }

    /** As {@link #post(String, byte[])}, with request headers of the channel's own (e.g. Authorization). */
    Answer post(String url, byte[] json, Map<String, String> headers) throws AlertDeliveryException {
        Exchange result;
        try {
            result = producer().send(endpoint, exchange -> {
                exchange.getMessage().setHeader(Exchange.HTTP_URI, url);
                exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
                exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
                headers.forEach(exchange.getMessage()::setHeader);
                exchange.getMessage().setBody(json);
            });
        } catch (Exception e) {
            throw new AlertDeliveryException(channel, "could not send to " + destination() + ": " + describe(e), true);
        }
        if (result.getException() != null) {
            throw new AlertDeliveryException(channel, "no answer from " + destination() + ": " + describe(result.getException()), true);
        }
        Integer status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        byte[] body = result.getMessage().getBody(byte[].class);
        return new Answer(status == null ? 0 : status, body == null ? "" : new String(body, StandardCharsets.UTF_8));
    }

    /** A vendor's answer text for a message: secrets out, at most 300 characters. */
    String quote(String text) {
        String clean = Secrets.redact(text, secrets).strip();
        return clean.length() > 300 ? clean.substring(0, 300) + "…" : clean;
    }

    /** A failure for an answer that is not HTTP 2xx: 429 and 5xx may pass if sent again later. */
    AlertDeliveryException httpFailure(Answer answer) {
        boolean retryable = answer.status() == 429 || answer.status() >= 500 || answer.status() == 0;
        return new AlertDeliveryException(channel, destination() + " answered HTTP " + answer.status()
                + (answer.body().isBlank() ? "" : ": " + quote(answer.body())), retryable);
    }

    private String describe(Throwable error) {
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : " " + quote(error.getMessage()));
    }

    private synchronized ProducerTemplate producer() throws Exception {
        if (producer == null) {
            http = new HttpComponent();
            http.setCamelContext(camelContext);
            http.setConnectTimeout(timeoutMs);
            http.setConnectionRequestTimeout(timeoutMs);
            http.setSoTimeout(timeoutMs);
            http.setResponseTimeout(timeoutMs);
            // One attempt per send: retries (and their pace) belong to the alerting route, which also sees each failure.
            http.setAutomaticRetriesDisabled(true);
            ServiceHelper.startService(http);
            // The answer is ours to read (vendors put their error codes in it): nothing is thrown or followed for us.
            endpoint = http.createEndpoint(destination() + "?throwExceptionOnFailure=false&followRedirects=false");
            ServiceHelper.startService(endpoint);
            producer = camelContext.createProducerTemplate();
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            ServiceHelper.stopService(producer, endpoint, http);
            producer = null;
        }
    }
}
