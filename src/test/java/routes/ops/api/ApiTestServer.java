package routes.ops.api;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.main.Main;

/**
 * A camel-main application serving the operator API on a free port of 127.0.0.1, as an application that embeds it
 * does (docs/operating.md): the one server of the API and console tests. Routes and properties go in before
 * {@link #start}; the token is the one the API wrote for the port.
 */
public final class ApiTestServer implements AutoCloseable {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Main main = new Main();
    private final int port;
    private String token;

    public ApiTestServer() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", String.valueOf(port));
    }

    /** The application's metrics and probes on the same port, as {@code run} serves them. */
    public ApiTestServer withMetrics() {
        main.addInitialProperty("camel.metrics.enabled", "true");
        main.addInitialProperty("camel.management.enabled", "true");
        main.addInitialProperty("camel.management.port", String.valueOf(port));
        main.addInitialProperty("camel.management.metrics-enabled", "true");
        main.addInitialProperty("camel.management.health-check-enabled", "false");
        return this;
    }

    public ApiTestServer routes(RoutesBuilder... builders) {
        for (RoutesBuilder builder : builders) {
            main.configure().addRoutesBuilder(builder);
        }
        return this;
    }

    public ApiTestServer start() throws Exception {
        main.start();
        token = ApiToken.read(port);
        return this;
    }

    public int port() {
        return port;
    }

    public String token() {
        return token;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** http://127.0.0.1:PORT followed by {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** GET {@code path} with the token as a bearer, or without one when {@code bearer} is null. */
    public HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        main.stop();
        Files.deleteIfExists(ApiToken.file(port));
    }
}
