package routes.ops.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The console's static files, from the classpath folder {@code console/} (inside the jar: nothing comes from another
 * site, and the console works without internet). Only plain file names are served, so a path cannot reach another
 * resource. The browser may run only these files' scripts and styles and talk only to this server
 * (Content-Security-Policy).
 */
final class ConsoleAssets implements Processor {

    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+\\.(html|css|js|svg)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "svg", "image/svg+xml");
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();

    @Override
    public void process(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        String path = message.getHeader(Exchange.HTTP_PATH, String.class);
        message.removeHeaders("*"); // no request header goes back with the answer
        message.setBody(null);
        if (path == null || path.equals(ConsoleRoutes.ROOT)) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
            message.setHeader("Location", ConsoleRoutes.ROOT + "/");
            return;
        }
        String name = path.substring(ConsoleRoutes.ROOT.length() + 1);
        if (name.isEmpty()) {
            name = "index.html";
        }
        byte[] file = NAME.matcher(name).matches() ? files.computeIfAbsent(name, ConsoleAssets::read).orElse(null) : null;
        if (file == null) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setBody("no such file in the console: " + name + "\n");
            return;
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        message.setHeader("Content-Security-Policy", POLICY);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setBody(file);
    }

    private static Optional<byte[]> read(String name) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            return Optional.of(("cannot read " + name + ": " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
        }
    }
}
