package routes.ops.console;

import org.apache.camel.builder.RouteBuilder;

import routes.ops.api.ApiToken;

/**
 * The web console (docs/console.md) on the operator API's platform-http server, beside {@code OperatorApi}: its static
 * files at {@code /console/} from the classpath (they hold no data, so they need no token) and its sign-in at
 * {@code /console/session}, which turns the API's token into a session cookie. Everything the console shows, it reads
 * from the API with that cookie.
 */
public class ConsoleRoutes extends RouteBuilder {

    static final String ROOT = "/console";
    static final String SESSION = ROOT + "/session";

    private final ApiToken token;

    /** {@code token} is the one the operator API checks: a session signed in with it counts as that token. */
    public ConsoleRoutes(ApiToken token) {
        this.token = token;
    }

    /** The calls anyone may make: GET of the console's files (no data in them) and signing in and out. */
    public static boolean isOpen(String method, String path) {
        if (path == null) {
            return false;
        }
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return path.equals(ROOT) || path.startsWith(ROOT + "/");
        }
        return ("POST".equals(method) || "DELETE".equals(method)) && path.equals(SESSION);
    }

    @Override
    public void configure() {
        ConsoleAssets assets = new ConsoleAssets();
        ConsoleSignIn signIn = new ConsoleSignIn(token);
        from("platform-http:" + ROOT + "?matchOnUriPrefix=true&httpMethodRestrict=GET,HEAD").routeId("realtime-sync-console")
                .process(assets);
        from("platform-http:" + SESSION + "?httpMethodRestrict=POST,DELETE").routeId("realtime-sync-console-session")
                .process(signIn);
    }
}
