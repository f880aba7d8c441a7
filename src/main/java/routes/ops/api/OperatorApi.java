package routes.ops.api;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.apache.camel.model.rest.RestParamType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator API as Camel REST DSL routes on the context's platform-http server, with its OpenAPI document at
 * {@code /api/openapi.json} (camel-openapi-java). {@code run} adds it with the embedded server it starts
 * (camel.server.*); an application that embeds the routes adds this class to its own routes and serves it on its own
 * platform-http server (docs/operating.md). Every call needs the bearer token ({@link ApiToken}) but the probes.
 */
public class OperatorApi extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorApi.class);
    private static final String TASK = "task";
    private static final String TABLE = "table";

    /** Each table operation's path segment and what it does. */
    private static final String[][] TABLE_OPERATIONS = {
        {"pause", "Pauses one table: its changes are held in the target until it is resumed; the other tables go on"},
        {"resume", "Resumes a paused table: its held changes are applied in source order, then it streams again"},
        {"resync", "Reloads one table while the task streams, through a staging table that replaces its rows in one commit"},
        {"backfill", "Copies anew the source rows a filter selects and merges them into the table; body {\"where\": \"...\"}"},
        {"prioritize", "Moves a table's waiting chunks to the front of the running chunked full load"},
        {"cancel", "Takes a table out of the running chunked full load: it stops, visibly, until a resync loads it"},
    };

    private ApiToken token;

    /** For applications that embed the routes: the token comes from the environment or a file for the server's port. */
    public OperatorApi() {
    }

    public OperatorApi(ApiToken token) {
        this.token = token;
    }

    @Override
    public void configure() throws Exception {
        if (token == null) {
            int port = Integer.parseInt(getContext().resolvePropertyPlaceholders("{{camel.server.port:8080}}"));
            token = ApiToken.forPort(port);
            LOG.info("The operator API's token is {}", token.source());
        }
        getContext().addService(new ServerTokenFilter(token));
        TaskHistory history = new TaskHistory(routes.state.TaskRegistry.of(getContext()));
        TaskEndpoints tasks = new TaskEndpoints(getContext(), history);
        getContext().addRoutes(new TaskHistorySampling(history));
        HealthProbes health = new HealthProbes(getContext());

        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off)
                .apiContextPath("/api/openapi.json")
                .apiProperty("api.title", "realtime-sync operator API")
                .apiProperty("api.version", version())
                .apiProperty("api.description", "Every call needs Authorization: Bearer $REALTIME_SYNC_TOKEN, except GET "
                        + ApiGuard.LIVE + " and " + ApiGuard.READY + ", which without it say only UP or DOWN.");

        // Unauthorised calls end here with 401 (the probes go on, saying less).
        interceptFrom().process(new ApiGuard(token));
        onException(Exception.class).handled(true)
                .process(exchange -> ApiResponses.message(exchange, 500, oneLine(exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class))));

        rest("/observe/health").tag("health").produces("application/json")
                .get("/live").description("Liveness: UP while the process serves (no token needed)")
                    .responseMessage("200", "UP").responseMessage("503", "DOWN")
                    .to("direct:realtime-sync-api-live")
                .get("/ready")
                    .description("Readiness: DOWN when a task stopped or failed; with the token also the reasons")
                    .responseMessage("200", "UP").responseMessage("503", "DOWN")
                    .to("direct:realtime-sync-api-ready");

        rest("/api/tasks").tag("tasks").produces("application/json")
                .get().description("Every task of this process: phase, counters, position, last error")
                    .responseMessage("401", "No or wrong token")
                    .to("direct:realtime-sync-api-tasks")
                .get("/{task}").description("One task: phase, counters, position, last error")
                    .param().name(TASK).type(RestParamType.path).description("The task's name").endParam()
                    .responseMessage("404", "No such task")
                    .to("direct:realtime-sync-api-task")
                .get("/{task}/tables").description("The task's tables: state, reason, since, rows written and refused, commit latency, "
                        + "position and update time of the last change applied, last error, full load with rows total and ETA")
                    .param().name(TASK).type(RestParamType.path).description("The task's name").endParam()
                    .to("direct:realtime-sync-api-tables")
                .get("/{task}/tables/{table}").description("One table of the task, as in /tables")
                    .param().name(TASK).type(RestParamType.path).description("The task's name").endParam()
                    .param().name(TABLE).type(RestParamType.path)
                        .description("schema.table or database.table as the source spells them, URL-encoded (Order%20Items)").endParam()
                    .responseMessage("404", "No such task or table")
                    .to("direct:realtime-sync-api-table")
                .get("/{task}/alerts").description("Every alert and recovery the task's alert rules sent, oldest first (docs/alerting-rules.md)")
                    .param().name(TASK).type(RestParamType.path).description("The task's name").endParam()
                    .responseMessage("404", "No such task")
                    .to("direct:realtime-sync-api-alerts")
                .get("/{task}/alert-rules").description("Each rule of the alert rule sets that apply to the task, off ones included, as "
                        + "configured: [{ruleSet, rule, enabled, level, task, channels, settings: {parameter: value}}]; channels "
                        + "without path, query or user (docs/alerting-rules.md)")
                    .param().name(TASK).type(RestParamType.path).description("The task's name").endParam()
                    .responseMessage("404", "No such task")
                    .to("direct:realtime-sync-api-alert-rules")
                .post("/{task}/stop")
                    .description("Stops the task's capture; committed work stays, later changes wait on the source")
                    .param().name(TASK).type(RestParamType.path).description("The task's name").endParam()
                    .to("direct:realtime-sync-api-stop")
                .post("/{task}/start")
                    .description("Starts a stopped task again from the position committed with the target's data, or from the "
                            + "one an optional body names: {\"from\": \"latest|initial|lsn:X/Y|binlog:FILE:POS|gtid:SET|timestamp:ISO-8601\"}")
                    .param().name(TASK).type(RestParamType.path).description("The task's name").endParam()
                    .responseMessage("400", "A start position the task cannot take (the message says why; docs/start-positions.md)")
                    .responseMessage("409", "The task runs, or failed")
                    .to("direct:realtime-sync-api-start");
        // Operations on one table, beside the table they act on (docs/table-operations.md).
        for (String[] operation : TABLE_OPERATIONS) {
            rest("/api/tasks").tag("table operations").produces("application/json")
                    .post("/{task}/tables/{table}/" + operation[0]).description(operation[1])
                    .param().name(TASK).type(RestParamType.path).description("The task's name").endParam()
                    .param().name(TABLE).type(RestParamType.path)
                        .description("schema.table or database.table as the source spells them, URL-encoded").endParam()
                    .responseMessage("202", "Recorded; the table's state says how it goes on")
                    .responseMessage("404", "No such task or table")
                    .responseMessage("409", "The table's state or the target refuses it (the message says why)")
                    .to("direct:realtime-sync-api-table-" + operation[0]);
            from("direct:realtime-sync-api-table-" + operation[0]).routeId("realtime-sync-api-table-" + operation[0])
                    .process(exchange -> tasks.tableOperation(exchange, operation[0]));
        }

        // What the console reads beside the views above (docs/operating.md#what-the-console-reads).
        String minutes = "Minutes back, 1 to 60 (default 60)";
        String tableName = "schema.table or database.table as the source spells them, URL-encoded";
        rest("/api/tasks").tag("tasks").produces("application/json")
                .get("/{task}/history")
                    .description("The task sampled every 10 s over the last hour: {intervalSeconds, points: [{at, commitLatencySeconds, "
                            + "rowsRead, rowsWritten}]}, oldest first; rows are the totals at that time")
                    .param().name(TASK).type(RestParamType.path).description("The task's name").endParam()
                    .param().name("minutes").type(RestParamType.query).required(false).description(minutes).endParam()
                    .responseMessage("400", "minutes is no number").responseMessage("404", "No such task")
                    .to("direct:realtime-sync-api-history")
                .get("/{task}/configuration")
                    .description("The task's YAML as loaded: {yaml, location}, every password, secret, token, key and credential masked")
                    .param().name(TASK).type(RestParamType.path).description("The task's name").endParam()
                    .responseMessage("404", "No such task, or it was not loaded from a file")
                    .to("direct:realtime-sync-api-configuration")
                .get("/{task}/tables/{table}/history")
                    .description("The table sampled every 10 s over the last hour: {intervalSeconds, points: [{at, commitLatencySeconds, "
                            + "rowsWritten}]}, oldest first")
                    .param().name(TASK).type(RestParamType.path).description("The task's name").endParam()
                    .param().name(TABLE).type(RestParamType.path).description(tableName).endParam()
                    .param().name("minutes").type(RestParamType.query).required(false).description(minutes).endParam()
                    .responseMessage("400", "minutes is no number").responseMessage("404", "No such task or table")
                    .to("direct:realtime-sync-api-table-history")
                .get("/{task}/tables/{table}/schema-changes")
                    .description("The table's last 100 schema changes, oldest first: [{at, kind, description, policy, outcome}], "
                            + "outcome APPLIED, IGNORED, ALERTED or STOPPED (docs/schema-changes.md)")
                    .param().name(TASK).type(RestParamType.path).description("The task's name").endParam()
                    .param().name(TABLE).type(RestParamType.path).description(tableName).endParam()
                    .responseMessage("404", "No such task or table")
                    .to("direct:realtime-sync-api-table-schema-changes")
                .get("/{task}/tables/{table}/refused")
                    .description("The last 100 rows of the table the target refused this run, oldest first: [{at, reason, key, row}] "
                            + "(the dead-letter record holds them all)")
                    .param().name(TASK).type(RestParamType.path).description("The task's name").endParam()
                    .param().name(TABLE).type(RestParamType.path).description(tableName).endParam()
                    .responseMessage("404", "No such task or table")
                    .to("direct:realtime-sync-api-table-refused")
                .get("/{task}/tables/{table}/mapping")
                    .description("Each column: [{sourceColumn, sourceType, targetColumn, targetType}] as the task maps it (docs/type-mapping.md)")
                    .param().name(TASK).type(RestParamType.path).description("The task's name").endParam()
                    .param().name(TABLE).type(RestParamType.path).description(tableName).endParam()
                    .responseMessage("404", "No such task or table")
                    .responseMessage("409", "No writer runs, or the task's target does not map the table (the message says why)")
                    .to("direct:realtime-sync-api-table-mapping");
        from("direct:realtime-sync-api-history").routeId("realtime-sync-api-history-read").process(tasks::history);
        from("direct:realtime-sync-api-configuration").routeId("realtime-sync-api-configuration").process(tasks::configuration);
        from("direct:realtime-sync-api-table-history").routeId("realtime-sync-api-table-history").process(tasks::tableHistory);
        from("direct:realtime-sync-api-table-schema-changes").routeId("realtime-sync-api-table-schema-changes").process(tasks::schemaChanges);
        from("direct:realtime-sync-api-table-refused").routeId("realtime-sync-api-table-refused").process(tasks::refused);
        from("direct:realtime-sync-api-table-mapping").routeId("realtime-sync-api-table-mapping").process(tasks::mapping);

        from("direct:realtime-sync-api-live").routeId("realtime-sync-api-live").process(health::live);
        from("direct:realtime-sync-api-ready").routeId("realtime-sync-api-ready").process(health::ready);
        from("direct:realtime-sync-api-tasks").routeId("realtime-sync-api-tasks").process(tasks::tasks);
        from("direct:realtime-sync-api-task").routeId("realtime-sync-api-task").process(tasks::task);
        from("direct:realtime-sync-api-tables").routeId("realtime-sync-api-tables").process(tasks::tables);
        from("direct:realtime-sync-api-table").routeId("realtime-sync-api-table").process(tasks::table);
        from("direct:realtime-sync-api-alerts").routeId("realtime-sync-api-alerts").process(tasks::alerts);
        from("direct:realtime-sync-api-alert-rules").routeId("realtime-sync-api-alert-rules").process(tasks::alertRules);
        from("direct:realtime-sync-api-stop").routeId("realtime-sync-api-stop").process(tasks::stop);
        from("direct:realtime-sync-api-start").routeId("realtime-sync-api-start").process(tasks::start);
    }

    private static String oneLine(Exception e) {
        String message = e == null || e.getMessage() == null ? "internal error" : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private static String version() {
        String version = OperatorApi.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
