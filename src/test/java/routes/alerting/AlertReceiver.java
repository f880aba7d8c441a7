package routes.alerting;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/** A local HTTP server standing in for a vendor's webhook: keeps every request, answers what it is told to. */
public final class AlertReceiver implements AutoCloseable {

    /** One request as it arrived: method, raw path and query, Content-Type and Authorization, body bytes. */
    public record Request(String method, String rawPath, String rawQuery, String contentType, String authorization, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile int status = 200;
    private volatile String answer = "";

    private AlertReceiver(HttpServer server) {
        this.server = server;
    }

    public static AlertReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AlertReceiver receiver = new AlertReceiver(server);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            receiver.requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            byte[] out = receiver.answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(receiver.status, out.length == 0 ? -1 : out.length);
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(out);
            }
        });
        server.start();
        return receiver;
    }

    /** What every following request is answered. */
    public AlertReceiver answer(int status, String body) {
        this.status = status;
        this.answer = body;
        return this;
    }

    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    public Request only() {
        if (requests.size() != 1) {
            throw new AssertionError("expected one request, got " + requests.size());
        }
        return requests.get(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
