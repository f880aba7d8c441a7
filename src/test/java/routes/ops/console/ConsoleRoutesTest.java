package routes.ops.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import routes.ops.api.ApiTestServer;
import routes.ops.api.ApiToken;
import routes.ops.api.OperatorApi;

/**
 * The console on the API's server as {@code run} serves it: its files without the token, sign-in with the token
 * for a session cookie (never the token) that the API and the metrics then accept like the token, sign-out.
 */
class ConsoleRoutesTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ApiTestServer server;
    private String secret;

    @BeforeEach
    void serve() throws Exception {
        server = new ApiTestServer().withMetrics();
        ApiToken token = ApiToken.forPort(server.port());
        server.routes(new OperatorApi(token), new ConsoleRoutes(token)).start();
        secret = server.token();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void theFilesNeedNoTokenHoldNoDataAndComeOnlyFromTheJar() throws Exception {
        HttpResponse<String> index = send("GET", "/console/", null, null, "");
        assertEquals(200, index.statusCode());
        assertTrue(index.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), index.headers().toString());
        assertTrue(index.body().contains("console.js"), index.body());
        String policy = index.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("default-src 'none'") && policy.contains("script-src 'self'") && policy.contains("connect-src 'self'"), policy);
        for (String file : List.of("console.js", "charts.js", "console.css", "icon.svg")) {
            HttpResponse<String> asset = send("GET", "/console/" + file, null, null, "");
            assertEquals(200, asset.statusCode(), file);
            String text = asset.body().replace("http://www.w3.org/2000/svg", ""); // SVG's namespace name, not an address
            assertFalse(text.contains("http://") || text.contains("https://") || text.contains("//cdn"), file + " loads nothing from another site");
        }
        HttpResponse<String> root = send("GET", "/console", null, null, "");
        assertEquals(302, root.statusCode());
        assertEquals("/console/", root.headers().firstValue("Location").orElse(""));
        assertEquals(404, send("GET", "/console/nothing.js", null, null, "").statusCode());
        HttpResponse<String> escape = send("GET", "/console/%2e%2e%2fapplication.properties", null, null, "");
        assertTrue(escape.statusCode() == 404 || escape.statusCode() == 401, escape.statusCode() + " " + escape.body());
        assertFalse(escape.body().contains("camel.main"), "no other resource of the jar");
        assertEquals(401, send("GET", "/console/../api/tasks", null, null, "").statusCode(), "a path out of the console needs the token");
    }

    @Test
    void signingInGivesASessionCookieTheApiAcceptsUntilSignOut() throws Exception {
        for (String path : List.of("/api/tasks", "/observe/metrics")) {
            assertEquals(401, send("GET", path, null, null, "").statusCode(), path);
            assertEquals(401, send("GET", path, null, ConsoleSessions.COOKIE + "=made-up", "").statusCode(), path);
        }
        HttpResponse<String> wrong = send("POST", "/console/session", null, null, "{\"token\": \"wrong-" + secret + "\"}");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("wrong token"), wrong.body());
        assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty(), wrong.headers().toString());
        assertEquals(401, send("POST", "/console/session", null, null, "not json").statusCode());

        HttpResponse<String> signedIn = send("POST", "/console/session", null, null, "{\"token\": \"" + secret + "\"}");
        assertEquals(200, signedIn.statusCode(), signedIn.body());
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElse(null);
        assertNotNull(setCookie, signedIn.headers().toString());
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"), setCookie);
        assertFalse(setCookie.contains(secret), "the cookie is not the token");
        assertFalse(signedIn.body().contains(secret));
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> tasks = send("GET", "/api/tasks", null, cookie, "");
        assertEquals(200, tasks.statusCode(), tasks.body());
        assertTrue(tasks.headers().firstValue("Cookie").isEmpty(), "no answer echoes the cookie: " + tasks.headers());
        HttpResponse<String> metrics = send("GET", "/observe/metrics", null, cookie, "");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("# TYPE"), metrics.body());
        assertEquals(200, send("GET", "/api/tasks", secret, null, "").statusCode(), "the token still works");

        HttpResponse<String> signedOut = send("DELETE", "/console/session", null, cookie, "");
        assertEquals(200, signedOut.statusCode());
        assertTrue(signedOut.headers().firstValue("Set-Cookie").orElse("").contains("Max-Age=0"), signedOut.headers().toString());
        assertEquals(401, send("GET", "/api/tasks", null, cookie, "").statusCode(), "the session ended");
    }

    private HttpResponse<String> send(String method, String path, String bearer, String cookie, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(30))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
