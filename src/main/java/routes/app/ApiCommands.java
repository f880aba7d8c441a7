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
 * {@code status [TASK]} and {@code tables TASK}: ask a running task's operator API (the same calls curl makes) and
 * print a short table. The token comes from REALTIME_SYNC_TOKEN or the file the task wrote it to.
 */
final class ApiCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpAddress address;
    private final PrintStream out;
    private final PrintStream err;

    ApiCommands(HttpAddress address, PrintStream out, PrintStream err) {
        this.address = address;
        this.out = out;
        this.err = err;
    }

    /** {@code status [TASK]}: one line per task. */
    int status(List<String> args) throws Exception {
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
    int tables(List<String> args) throws Exception {
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

    /** The answer's JSON; null after printing the one line that says why there is none. */
    private JsonNode get(String path) throws Exception {
        String token;
        try {
            token = ApiToken.read(address.port());
        } catch (IOException e) {
            err.println("realtime-sync: " + e.getMessage());
            return null;
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(address.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("realtime-sync: no task answers at " + address.url() + " (" + e.getClass().getSimpleName()
                    + "): is it running? Name its address with --http HOST:PORT");
            return null;
        }
        JsonNode body = JSON.readTree(response.body().isBlank() ? "{}" : response.body());
        if (response.statusCode() != 200) {
            err.println("realtime-sync: " + (body.hasNonNull("message") ? body.get("message").asText() : "HTTP " + response.statusCode()));
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
