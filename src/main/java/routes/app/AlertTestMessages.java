package routes.app;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.StringHelper;
import org.apache.camel.util.URISupport;

import routes.alerting.AlertChannel;
import routes.alerting.AlertDeliveryException;
import routes.alerting.AlertMessage;
import routes.alerting.Secrets;

/**
 * {@code alerts test FILE...}: one test message through every channel of alerting route files, that is every step
 * to a {@code *-alert-sink} kamelet, set up as {@code run} would set it up (its parameters resolved from the
 * environment and -D options, its kamelet, its channel with its signature). None of the files' routes runs: no rule
 * set starts, only the channel steps, each in a route of its own. One line per channel says where the message went
 * (scheme, host and port: the rest of a webhook address is its key) and OK, or FAILED with the vendor's reason.
 * Exit status 0 when every channel took it, 1 when one did not, 2 when a file or a channel's settings are wrong
 * (then nothing is sent).
 */
final class AlertTestMessages {

    static final String USAGE = "alerts test FILE [FILE ...] sends one test message through each alert channel of the alerting "
            + "route files, e.g. alerts test examples/alerts.yaml";
    /** A channel step: {@code kamelet:feishu-alert-sink?...} names the channel kind, feishu. */
    private static final Pattern ALERT_SINK = Pattern.compile("kamelet:(?://)?([A-Za-z0-9]+)-alert-sink([/?].*)?", Pattern.DOTALL);
    /** The channel kamelets' parameters that hold credentials: their values never appear in a line printed here. */
    private static final Set<String> CREDENTIALS = Set.of("webhookUrl", "secret", "password", "authorization");

    /** One channel step: its kind, the route it is in, and its endpoint URI as the file writes it (placeholders and all). */
    record Channel(String kind, String route, String uri) {
        String describe() {
            return kind + " channel of route " + route;
        }
    }

    private final PrintStream out;
    private final PrintStream err;

    AlertTestMessages(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** {@code alerts ARGS}: the exit status. */
    int run(List<String> args) {
        if (args.size() < 2 || !args.get(0).equals("test")) {
            err.println("realtime-sync: " + USAGE);
            return 2;
        }
        List<Path> files = new ArrayList<>();
        for (String file : args.subList(1, args.size())) {
            Path path = Path.of(file).toAbsolutePath();
            if (!Files.isReadable(path) || Files.isDirectory(path)) {
                err.println("realtime-sync: cannot read alerting route file " + path);
                return 2;
            }
            files.add(path);
        }
        // camel-main as run sets it up (application.properties, environment, -D options), with no route of the files.
        try {
            return StartedOnce.run(new Main(), 2, context -> test(context, files));
        } catch (Exception e) {
            err.println("realtime-sync: " + RealtimeSync.explain(e));
            return 2;
        }
    }

    private int test(CamelContext context, List<Path> files) {
        List<Channel> channels = new ArrayList<>();
        for (Path file : files) {
            try {
                channels.addAll(channelsIn(context, file, channels));
            } catch (Exception e) {
                // A YAML parser's message spans lines (the place and a caret): one line here.
                err.println("realtime-sync: cannot read alerting route file " + file + ": " + RealtimeSync.explain(e).replaceAll("\\s*\\R\\s*", " "));
                return 2;
            }
        }
        if (channels.isEmpty()) {
            err.println("realtime-sync: no alert channel in " + String.join(", ", files.stream().map(Path::toString).toList())
                    + ": an alerting route delivers through a channel kamelet step such as 'to: kamelet:feishu-alert-sink' (see examples/alerts.yaml)");
            return 2;
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            String problem = setUp(context, channels.get(i), input(i));
            if (problem != null) {
                problems.add(problem);
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(problem -> err.println("realtime-sync: " + problem));
            err.println("realtime-sync: nothing was sent; fix the above and run alerts test again");
            return 2;
        }
        ProducerTemplate producer = context.createProducerTemplate();
        int failed = 0;
        for (int i = 0; i < channels.size(); i++) {
            Channel channel = channels.get(i);
            Exchange result = producer.send(input(i), exchange -> exchange.getMessage().setBody(message(channel)));
            String where = result.getMessage().getHeader(AlertChannel.DESTINATION_HEADER, "(address unknown)", String.class);
            String outcome = result.getException() == null ? "OK" : "FAILED: " + reason(result.getException());
            failed += result.getException() == null ? 0 : 1;
            out.println(redact(context, channel, channel.kind() + " " + where + " (route " + channel.route() + "): " + outcome));
        }
        out.println(failed == 0 ? "realtime-sync: the test message reached " + (channels.size() == 1 ? "the channel" : "all " + channels.size() + " channels")
                : "realtime-sync: " + failed + " of " + channels.size() + (channels.size() == 1 ? " channel" : " channels") + " failed");
        return failed == 0 ? 0 : 1;
    }

    /**
     * The channel steps of one file's routes, read from the file (without adding its routes to the context); a route
     * without an id is named after the file, and a route already named gets a number, so each channel's own route
     * has an id of its own.
     */
    private static List<Channel> channelsIn(CamelContext context, Path file, List<Channel> before) throws Exception {
        List<Channel> found = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        before.forEach(channel -> taken.add(channel.route()));
        for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(
                ResourceHelper.resolveMandatoryResource(context, "file:" + file))) {
            if (!(builder instanceof RouteBuilder routes)) {
                continue;
            }
            for (RouteDefinition route : routes.configureRoutes(context).getRoutes()) {
                for (ToDefinition to : ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), ToDefinition.class)) {
                    Matcher sink = ALERT_SINK.matcher(to.getEndpointUri());
                    if (sink.matches()) {
                        String id = route.getRouteId() != null ? route.getRouteId() : file.getFileName().toString().replaceAll("\\.[^.]*$", "");
                        String unique = id;
                        for (int n = 2; !taken.add(unique); n++) {
                            unique = id + "-" + n;
                        }
                        found.add(new Channel(sink.group(1).toLowerCase(java.util.Locale.ROOT), unique, to.getEndpointUri()));
                    }
                }
            }
        }
        return found;
    }

    private static String input(int channel) {
        return "direct:realtime-sync-alerts-test-" + channel;
    }

    /**
     * The channel step in a route of its own, named as the file's route so that problems name it: Camel creates the
     * kamelet's route and the channel then, which checks the step's parameters and settings. Null when it is ready,
     * else the one line saying what is wrong.
     */
    private String setUp(CamelContext context, Channel channel, String input) {
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // A failure comes back to the caller as it is, once, without Camel's error log.
                    errorHandler(noErrorHandler());
                    from(input).routeId(channel.route()).to(channel.uri());
                }
            });
            return null;
        } catch (Exception e) {
            return redact(context, channel, channel.describe() + ": " + RealtimeSync.explain(e));
        }
    }

    /** The test message: a real alert, its rule {@code test}, saying it asks for nothing. */
    static AlertMessage message(Channel channel) {
        return AlertMessage.alert(channel.route(), null, "test", AlertMessage.Level.WARNING, null, null, Instant.now(),
                "Nothing: this is a test message from realtime-sync alerts test, sent through the " + channel.describe() + ".");
    }

    /** The vendor's reason as the channel gives it (without its name, which the line starts with), else the root cause. */
    private static String reason(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AlertDeliveryException delivery) {
                String message = delivery.getMessage();
                String prefix = delivery.channel() + ": ";
                return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
            }
        }
        return RealtimeSync.explain(error);
    }

    /**
     * A line with the step's credentials (its webhook address, the address's path and query, a signing secret, a
     * password, an Authorization value) replaced by ***. The channels keep them out of their own failures; this also
     * covers a failure of Camel's that quotes the endpoint it could not create.
     */
    private static String redact(CamelContext context, Channel channel, String line) {
        List<String> secrets = new ArrayList<>();
        try {
            String resolved = context.resolvePropertyPlaceholders(channel.uri());
            String query = StringHelper.after(resolved, "?");
            Map<String, Object> parameters = query == null ? Map.of() : URISupport.parseQuery(query, true, true);
            for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
                if (CREDENTIALS.contains(StringHelper.dashToCamelCase(parameter.getKey())) && parameter.getValue() != null) {
                    String value = parameter.getValue().toString();
                    value = value.startsWith("RAW(") && value.endsWith(")") ? value.substring(4, value.length() - 1) : value;
                    if (!value.trim().matches("(?i)https?://[^/?#]+/?")) {
                        secrets.add(value); // an address with no path or query holds no key: it is where the line says it went
                    }
                    secrets.addAll(addressParts(value));
                }
            }
        } catch (RuntimeException | java.net.URISyntaxException unresolvable) {
            // A setting that is missing or malformed cannot be in the line either.
        }
        return Secrets.redact(line, secrets);
    }

    /** A webhook address's path and query, each of which may be its key. */
    private static List<String> addressParts(String value) {
        try {
            URI address = URI.create(value.trim());
            List<String> parts = new ArrayList<>();
            if (address.getRawPath() != null && address.getRawPath().length() > 1) {
                parts.add(address.getRawPath());
            }
            if (address.getRawQuery() != null) {
                parts.add(address.getRawQuery());
                for (String pair : address.getRawQuery().split("&")) {
                    parts.add(pair.substring(pair.indexOf('=') + 1));
                }
            }
            return parts;
        } catch (IllegalArgumentException notAnAddress) {
            return List.of();
        }
    }
}
