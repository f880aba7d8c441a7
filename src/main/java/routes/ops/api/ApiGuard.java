package routes.ops.api;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The token check of the API's own routes (on any platform-http server): a call without the bearer token gets 401
 * and goes no further, except the two probes, which answer without it but say only UP or DOWN. A console session's
 * cookie counts as the token. The Authorization and Cookie headers are removed once read, so that no response echoes
 * them.
 */
final class ApiGuard implements Processor {

    /** Set on the exchange: whether the call carried the token (the probes say more when it did). */
    static final String AUTHORIZED = "RealtimeSyncAuthorized";
    static final String LIVE = "/observe/health/live";
    static final String READY = "/observe/health/ready";
    static final String UNAUTHORIZED = "{\"message\":\"missing or wrong token: send Authorization: Bearer $"
            + ApiToken.ENVIRONMENT + " (the token file's path is in the task's log)\"}";

    private final ApiToken token;

    ApiGuard(ApiToken token) {
        this.token = token;
    }

    /** The calls that need no token: GET of the liveness and readiness probes. */
    static boolean isProbe(String method, String path) {
        String trimmed = path != null && path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return "GET".equals(method) && (LIVE.equals(trimmed) || READY.equals(trimmed));
    }

    @Override
    public void process(Exchange exchange) {
        if (exchange.getProperty(AUTHORIZED) != null) {
            return; // checked when the call came in
        }
        boolean authorized = token.accepts(exchange.getMessage().getHeader("Authorization", String.class),
                exchange.getMessage().getHeader("Cookie", String.class));
        exchange.getMessage().removeHeader("Authorization");
        exchange.getMessage().removeHeader("Cookie");
        exchange.setProperty(AUTHORIZED, authorized);
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if (!authorized && !isProbe(method, exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class))) {
            ApiResponses.json(exchange, 401, UNAUTHORIZED);
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
            exchange.setRouteStop(true);
        }
    }
}
