package routes.app;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.ops.api.ApiToken;

/**
 * The commands that ask a running task's operator API (the same calls curl makes, docs/operating.md): {@code status}
 * and {@code tables} print a short table; the table operations, {@code stop} and {@code start} print the answer in one
 * line. The token comes from REALTIME_SYNC_TOKEN or the file the task wrote it to.
 */
final class ApiCommands {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Operations on one table that take no body: {@code POST /api/tasks/{task}/tables/{table}/{operation}}. */
    static final List<String> TABLE_OPERATIONS = List.of("pause", "resume", "resync", "prioritize", "cancel");
    /** Every command this class answers. */
    static final List<String> COMMANDS = List.of("status", "tables", "pause", "resume", "resync", "prioritize", "cancel", "backfill",
            "stop", "start");

    private final HttpAddress address;
    private final PrintStream out;
    private final PrintStream err;

    ApiCommands(HttpAddress address, PrintStream out, PrintStream err) {
        this.address = address;
        this.out = out;
        this.err = err;
    }

    /** Runs one of {@link #COMMANDS}; returns the exit status (0 done, 1 refused or unreachable, 2 wrong arguments). */
    int run(String command, List<String> args) throws Exception {
        if (TABLE_OPERATIONS.contains(command)) {
            return tableOperation(command, args);
        }
        return switch (command) {
            case "status" -> status(args);
            case "tables" -> tables(args);
            case "backfill" -> backfill(args);
            case "stop", "start" -> taskOperation(command, args);
            default -> throw new IllegalArgumentException("not an API command: " + command);
        };
    }

    /** {@code status [TASK]}: one line per task. */
    private int status(List<String> args) throws Exception {
        if (args.size() > 1) {
            err.println("realtime-sync: status takes at most one task name, e.g. status postgres-to-postgres");
            return 2;
        }
        JsonNode answer = get(args.isEmpty() ? "/api/tasks" : "/api/tasks/" + segment(args.get(0)));
        if (answer == null) {
            return 1;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("TASK", "PHASE", "READ", "WRITTEN", "REFUSED", "LATENCY", "SOURCE TIME", "LAST ERROR"));
        for (JsonNode task : answer.isArray() ? answer : JSON.createArrayNode().add(answer)) {
            rows.add(List.of(text(task, "name"), text(task, "phase"), text(task, "rowsRead"), text(task, "rowsWritten"),
                    text(task, "rowsRefused"), task.path("commitLatencySeconds").isNumber() ? task.get("commitLatencySeconds").asText() + "s" : "-",
                    text(task, "positionTime"), text(task, "lastError")));
        }
        print(rows);
        return 0;
    }

    /** {@code tables TASK}: one line per table. */
    private int tables(List<String> args) throws Exception {
        if (args.size() != 1) {
            err.println("realtime-sync: name the task, e.g. tables postgres-to-postgres");
            return 2;
        }
        JsonNode answer = get("/api/tasks/" + segment(args.get(0)) + "/tables");
        if (answer == null) {
            return 1;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("TABLE", "STATE", "SINCE", "FULL LOAD", "REASON"));
        for (JsonNode table : answer) {
            JsonNode load = table.path("fullLoad");
            String fullLoad = load.isMissingNode() ? "-"
                    : load.path("chunksDone").asText() + "/" + load.path("chunks").asText() + " chunks, " + load.path("rowsCopied").asText() + " rows";
            rows.add(List.of(text(table, "table"), text(table, "state"), text(table, "since"), fullLoad, text(table, "reason")));
        }
        print(rows);
        return 0;
    }

    /** {@code pause|resume|resync|prioritize|cancel TASK TABLE}: the table's state after the API took the operation. */
    private int tableOperation(String operation, List<String> args) throws Exception {
        if (args.size() != 2) {
            err.println("realtime-sync: " + operation + " takes the task and the table, e.g. " + operation + " postgres-to-postgres public.orders");
            return 2;
        }
        return printTable(operation, post(tablePath(args, operation), null));
    }

    /** {@code backfill TASK TABLE --where CONDITION}. */
    private int backfill(List<String> arguments) throws Exception {
        List<String> args = new ArrayList<>(arguments);
        String where = takeOption(args, "--where");
        if (args.size() != 2 || where == null || where.isBlank()) {
            err.println("realtime-sync: backfill takes the task, the table and a condition on the source table, e.g. "
                    + "backfill postgres-to-postgres public.orders --where \"id BETWEEN 100 AND 200\"");
            return 2;
        }
        return printTable("backfill", post(tablePath(args, "backfill"), JSON.createObjectNode().put("where", where)));
    }

    /** {@code stop TASK} and {@code start TASK [--from POSITION]}: the task's phase after the API's answer. */
    private int taskOperation(String operation, List<String> arguments) throws Exception {
        List<String> args = new ArrayList<>(arguments);
        String from = operation.equals("start") ? takeOption(args, "--from") : null;
        if (args.size() != 1) {
            err.println("realtime-sync: " + operation + " takes the task's name, e.g. " + operation + " postgres-to-postgres");
            return 2;
        }
        JsonNode answer = post("/api/tasks/" + segment(args.get(0)) + "/" + operation,
                from == null ? null : JSON.createObjectNode().put("from", from));
        if (answer == null) {
            return 1;
        }
        out.println(operation + ": task '" + text(answer, "name") + "' is " + text(answer, "phase")
                + (answer.path("lastError").isTextual() ? " (last error: " + text(answer, "lastError") + ")" : ""));
        return 0;
    }

    private static String tablePath(List<String> args, String operation) {
        return "/api/tasks/" + segment(args.get(0)) + "/tables/" + segment(args.get(1)) + "/" + operation;
    }

    /** One line: the table, its state, since when and why. */
    private int printTable(String operation, JsonNode table) {
        if (table == null) {
            return 1;
        }
        out.println(operation + ": " + text(table, "table") + " is " + text(table, "state") + " since " + text(table, "since")
                + (table.path("reason").isTextual() ? " (" + text(table, "reason") + ")" : ""));
        return 0;
    }

    /** The value of {@code --name VALUE} (null when absent); removes both from {@code args}. */
    private static String takeOption(List<String> args, String name) {
        int at = args.indexOf(name);
        if (at < 0 || at + 1 >= args.size()) {
            return null;
        }
        String value = args.remove(at + 1);
        args.remove(at);
        return value;
    }

    private JsonNode get(String path) throws Exception {
        return call(path, null, false);
    }

    private JsonNode post(String path, JsonNode body) throws Exception {
        return call(path, body, true);
    }

    /** The answer's JSON; null after printing the one line that says why there is none. */
    private JsonNode call(String path, JsonNode request, boolean post) throws Exception {
        String token;
        try {
            token = ApiToken.read(address.port());
        } catch (IOException e) {
            err.println("realtime-sync: " + e.getMessage());
            return null;
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(address.url() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
        if (post) {
            builder.header("Content-Type", "application/json")
                    .POST(request == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(request.toString()));
        }
        HttpRequest sent = builder.build();
        HttpResponse<String> response;
        try {
            response = client.send(sent, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("realtime-sync: no task answers at " + address.url() + " (" + e.getClass().getSimpleName()
                    + "): is it running? Name its address with --http HOST:PORT");
            return null;
        }
        JsonNode body = JSON.readTree(response.body().isBlank() ? "{}" : response.body());
        if (response.statusCode() / 100 != 2) {
            // One line, even where the reason quotes a database's multi-line error.
            err.println("realtime-sync: " + (body.hasNonNull("message") ? body.get("message").asText().strip().replaceAll("\\s*\\R\\s*", " ")
                    : "HTTP " + response.statusCode()));
            return null;
        }
        return body;
    }

    private static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "-" : value.asText().lines().findFirst().orElse("");
    }

    /** Columns padded to their widest cell; the last one as it is. */
    private void print(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        rows.forEach(row -> {
            for (int i = 0; i < columns - 1; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        });
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i < columns - 1 ? String.format("%-" + widths[i] + "s  ", row.get(i)) : row.get(i));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
