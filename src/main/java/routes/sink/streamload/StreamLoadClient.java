package routes.sink.streamload;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.support.service.ServiceHelper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The HTTP side of Stream Load, on camel-http. Every request goes to the FE; the FE answers a load with a 307
 * redirect to a BE. HttpClient would neither redirect a PUT nor keep the Authorization header for another host, so
 * redirects are followed here, deliberately: the same request, body and credentials, sent to the Location the FE
 * named. The FE is asked first with an empty body (see {@link #backendFor}), so the body travels once, to the BE,
 * with {@code Expect: 100-continue} as the FE requires.
 *
 * <p>The password is only ever in the Basic header, which nothing here logs or puts into an exception message.
 */
public final class StreamLoadClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REDIRECTS = 3;

    private final CamelContext camelContext;
    private final URI frontend;
    private final String authorization;
    private final int timeoutMs;
    private HttpComponent http;
    private Endpoint endpoint;
    private ProducerTemplate producer;

    /** One HTTP answer: status code, the Location of a redirect, and the body as text. */
    record Answer(int status, String location, String body) {
    }

    /** The outcome of a two-phase commit call. */
    public enum TxnState {
        COMMITTED, ABORTED, UNKNOWN
    }

    /**
     * @param frontendUrl the FE's HTTP address, e.g. {@code http://fe:8030}
     * @param timeoutMs   how long to wait for a connection and for an answer
     */
    public StreamLoadClient(CamelContext camelContext, String frontendUrl, String user, String password, int timeoutMs) {
        this.camelContext = camelContext;
        String base = frontendUrl.endsWith("/") ? frontendUrl.substring(0, frontendUrl.length() - 1) : frontendUrl;
        this.frontend = URI.create(base);
        if (frontend.getScheme() == null || frontend.getHost() == null) {
            throw new IllegalArgumentException("The load URL '" + frontendUrl + "' is not http://host:port of a frontend");
        }
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(((user == null ? "" : user) + ":"
                + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        this.timeoutMs = timeoutMs;
    }

    /** Sends one batch with its label and load headers; the answer's body decides what happened. */
    public LoadResponse load(String database, String table, String label, byte[] body, Map<String, String> loadHeaders) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>(loadHeaders);
        headers.put("label", label);
        headers.put("format", "json");
        headers.put("strip_outer_array", "true");
        headers.put("Expect", "100-continue");
        headers.put("Content-Type", "application/json");
        Answer answer = send("PUT", backendFor(path("api", database, table, "_stream_load"), headers), headers, body, true);
        if (answer.status() == 401 || answer.status() == 403) {
            throw new StreamLoadException("the target refused the credentials of the load user (HTTP " + answer.status() + ")", false);
        }
        return LoadResponse.parse(answer.body());
    }

    /**
     * Asks the FE where the load goes, with the load's headers but no body and no label: the FE redirects a load
     * before it reads anything. (HttpClient 5 sends the body after a final 3xx answer to Expect: 100-continue, so the
     * real request must not go to the FE: the FE would get the whole body, or cut the connection.) An FE that does
     * not redirect gets the load itself.
     */
    private URI backendFor(URI load, Map<String, String> headers) throws Exception {
        Map<String, String> probe = new LinkedHashMap<>(headers);
        probe.remove("label");
        Answer answer = exchange("PUT", load, probe, new byte[0], true);
        if (answer.status() == 401 || answer.status() == 403) {
            throw new StreamLoadException("the target refused the credentials of the load user (HTTP " + answer.status() + ")", false);
        }
        boolean redirect = answer.status() == 307 || answer.status() == 308 || answer.status() == 301 || answer.status() == 302;
        return redirect && answer.location() != null ? load.resolve(answer.location()) : load;
    }

    /** The rows a failed load refused, as its ErrorURL serves them (the URL holds no credentials; none are sent). */
    public String errorRows(String errorUrl) throws Exception {
        Answer answer = send("GET", URI.create(errorUrl), Map.of(), null, false);
        return answer.body();
    }

    /**
     * The state of the load holding a label: PREPARE (running), PRECOMMITTED, COMMITTED, VISIBLE, ABORTED or UNKNOWN
     * ({@code GET /api/{db}/get_load_state?label=}).
     */
    public String loadState(String database, String label) throws Exception {
        URI uri = URI.create(path("api", database, "get_load_state") + "?label=" + URLEncoder.encode(label, StandardCharsets.UTF_8));
        Answer answer = send("GET", uri, Map.of(), null, true);
        JsonNode json = readJson(answer.body());
        String state = json.path("data").asText("");
        return state.isEmpty() ? "UNKNOWN" : state.toUpperCase(Locale.ROOT);
    }

    /** Commits or aborts a precommitted transaction ({@code PUT /api/{db}/_stream_load_2pc}). */
    public TxnState finishTransaction(String database, long txnId, boolean commit) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("txn_id", Long.toString(txnId));
        headers.put("txn_operation", commit ? "commit" : "abort");
        Answer answer = send("PUT", path("api", database, "_stream_load_2pc"), headers, new byte[0], true);
        if (answer.status() == 401 || answer.status() == 403) {
            throw new StreamLoadException("the target refused the credentials of the load user (HTTP " + answer.status() + ")", false);
        }
        JsonNode json = readJson(answer.body());
        String status = json.path("status").asText(json.path("Status").asText(""));
        String message = json.path("msg").asText(json.path("Message").asText("")).toLowerCase(Locale.ROOT);
        if ("success".equalsIgnoreCase(status) || message.contains("already visible") || message.contains("already committed")) {
            return commit ? TxnState.COMMITTED : TxnState.ABORTED;
        }
        if (message.contains("aborted") || message.contains("not found") || message.contains("does not exist")) {
            return TxnState.ABORTED;
        }
        if (answer.status() >= 500 || answer.status() == 0) {
            throw new StreamLoadException("the target did not answer the " + (commit ? "commit" : "abort") + " of transaction " + txnId
                    + " (HTTP " + answer.status() + ")", true);
        }
        throw new StreamLoadException("the target refused to " + (commit ? "commit" : "abort") + " transaction " + txnId + ": "
                + LoadResponse.abbreviate(answer.body()), false);
    }

    private URI path(String... segments) {
        StringBuilder path = new StringBuilder(frontend.toString());
        for (String segment : segments) {
            path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return URI.create(path.toString());
    }

    /**
     * Sends a request, following redirects with the same method, headers and body. Credentials go with it only when
     * asked (to the FE, and to the BE it redirects to).
     */
    Answer send(String method, URI uri, Map<String, String> headers, byte[] body, boolean withCredentials) throws Exception {
        URI target = uri;
        for (int hop = 0; ; hop++) {
            Answer answer = exchange(method, target, headers, body, withCredentials);
            boolean redirect = answer.status() == 307 || answer.status() == 308 || answer.status() == 301 || answer.status() == 302;
            if (!redirect) {
                return answer;
            }
            if (answer.location() == null || hop >= MAX_REDIRECTS) {
                throw new StreamLoadException("the target answered HTTP " + answer.status() + " without a usable redirect for " + describe(uri), true);
            }
            target = target.resolve(answer.location());
        }
    }

    private Answer exchange(String method, URI uri, Map<String, String> headers, byte[] body, boolean withCredentials) throws Exception {
        Exchange result = producer().send(endpoint, exchange -> {
            exchange.getMessage().setHeader(Exchange.HTTP_URI, uri.toString());
            exchange.getMessage().setHeader(Exchange.HTTP_METHOD, method);
            headers.forEach(exchange.getMessage()::setHeader);
            if (withCredentials) {
                exchange.getMessage().setHeader("Authorization", authorization);
            }
            exchange.getMessage().setBody(body);
        });
        Exception error = result.getException();
        if (error != null) {
            // Connection refused, reset or timed out: the load may or may not have happened; its label will tell.
            throw new StreamLoadException("no answer from " + describe(uri) + ": " + error.getClass().getSimpleName()
                    + (error.getMessage() == null ? "" : " " + error.getMessage().replace(authorization, "***")), true);
        }
        Integer status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String location = result.getMessage().getHeader("Location", String.class);
        if (location == null) {
            location = result.getMessage().getHeader("location", String.class);
        }
        String text = result.getMessage().getBody(String.class);
        return new Answer(status == null ? 0 : status, location, text == null ? "" : text);
    }

    private synchronized ProducerTemplate producer() throws Exception {
        if (producer == null) {
            http = new HttpComponent();
            http.setCamelContext(camelContext);
            http.setConnectTimeout(timeoutMs);
            http.setConnectionRequestTimeout(timeoutMs);
            http.setSoTimeout(timeoutMs);
            http.setResponseTimeout(timeoutMs);
            http.setRedirectHandlingDisabled(true);
            ServiceHelper.startService(http);
            // Redirects, errors and the response headers are ours to read: nothing is followed or thrown for us.
            endpoint = http.createEndpoint("http://" + frontend.getHost() + (frontend.getPort() > 0 ? ":" + frontend.getPort() : "")
                    + "?throwExceptionOnFailure=false&followRedirects=false");
            ServiceHelper.startService(endpoint);
            producer = camelContext.createProducerTemplate();
        }
        return producer;
    }

    private static JsonNode readJson(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    /** Where a request went, without its query (an error log URL's file name is harmless, but long). */
    private static String describe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getRawPath();
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            ServiceHelper.stopService(producer, endpoint, http);
            producer = null;
        }
    }
}
