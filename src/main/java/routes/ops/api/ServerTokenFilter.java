package routes.ops.api;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.ext.web.RoutingContext;

import routes.ops.console.ConsoleRoutes;

/**
 * The token check in front of everything the embedded Vert.x server serves, ahead of its routes: the API's REST
 * routes, and what Camel's management server adds on the same port (/observe/metrics, /observe/info...). Only the
 * two probes and the console's sign-in and static files (which hold no data) pass without the token or a console
 * session's cookie. Without a Vert.x platform-http server (an application serving platform-http
 * another way) there is nothing to install: the API's routes check the token themselves, see {@link ApiGuard}.
 */
final class ServerTokenFilter extends ServiceSupport implements CamelContextAware, StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTokenFilter.class);
    /** Ahead of every route Camel's servers and consumers add (CORS and body handlers use orders far below 0). */
    private static final int ORDER = -1_000;

    private final ApiToken token;
    private CamelContext context;

    ServerTokenFilter(ApiToken token) {
        this.token = token;
    }

    private volatile boolean installed;

    /** The server may start after this service: installed then, before the routes start (see below). */
    @Override
    protected void doStart() throws Exception {
        install();
        if (!installed) {
            context.addStartupListener(this);
        }
    }

    /** Called once the context's services (the embedded servers among them) run, before any route starts. */
    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        install();
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        install();
        if (!installed) {
            LOG.debug("No Vert.x platform-http server in this context: the API's routes check the token themselves");
        }
    }

    private synchronized void install() {
        if (installed) {
            return;
        }
        // One router per port: the embedded server's and, on a port of its own, the management server's.
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            router.route().order(ORDER).handler(this::check);
            installed = true;
        }
    }

    private void check(RoutingContext request) {
        String method = request.request().method().name();
        if (ApiGuard.isProbe(method, request.normalizedPath()) || ConsoleRoutes.isOpen(method, request.normalizedPath())
                || token.accepts(request.request().getHeader("Authorization"), request.request().getHeader("Cookie"))) {
            request.next();
        } else {
            request.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                    .putHeader("WWW-Authenticate", "Bearer").end(ApiGuard.UNAUTHORIZED);
        }
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }
}
