package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The operator API of the example PostgreSQL task run as users run it (java -jar ... run, its own JVM): the token on
 * every call but the probes, the tables and counts as the target holds them, a table named with a space, stop and
 * start, no password in any answer or the token in the log, and the --http option's off and port-in-use cases.
 */
class OperatorApiIT {

    private static final String TASK = "postgres-to-postgres";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> bodies = new ArrayList<>();
    private PostgresPair pair;
    private Map<String, String> environment;
    private String base;

    @BeforeEach
    void servers() throws Exception {
        pair = new PostgresPair("operator-api");
        pair.source("CREATE TABLE items (id int PRIMARY KEY, v text)",
                "INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 200) i",
                "CREATE TABLE \"Order Items\" (id int PRIMARY KEY, qty int)",
                "INSERT INTO \"Order Items\" SELECT i, i FROM generate_series(1, 50) i");
        environment = new LinkedHashMap<>(pair.environment());
        environment.put("REALTIME_SYNC_TOKEN_FILE", pair.work.resolve("api-token").toString());
    }

    @AfterEach
    void stopServers() throws Exception {
        pair.close();
    }

    @Test
    void theApiNeedsTheTokenShowsTheTasksTablesAndStopsAndStartsTheTask() throws Exception {
        int port = SyncProcess.freePort();
        base = "http://127.0.0.1:" + port;
        Map<String, String> tables = Map.of("public.items", "id", "public.\"Order Items\"", "id");
        try (SyncProcess sync = SyncProcess.start(pair.work.resolve("api.log"), environment, "run", "examples/postgres-to-postgres.yaml",
                "--http", "127.0.0.1:" + port)) {
            assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(2)));
            Path tokenFile = pair.work.resolve("api-token");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            String token = Files.readString(tokenFile).strip();
            assertTrue(sync.output().contains(tokenFile.toString()), "the log names the token file:\n" + sync.output());

            String table = "/api/tasks/" + TASK + "/tables/public.items";
            for (String path : List.of("/api/tasks", "/api/tasks/" + TASK, "/api/tasks/" + TASK + "/tables", table, "/api/openapi.json",
                    "/observe/metrics", "/api/tasks/no-such-task")) {
                assertEquals(401, call("GET", path, null, null).statusCode(), path + " without a token");
                assertEquals(401, call("GET", path, "wrong-" + token, null).statusCode(), path + " with a wrong token");
            }
            for (String path : List.of("/api/tasks/" + TASK + "/stop", "/api/tasks/" + TASK + "/start")) {
                assertEquals(401, call("POST", path, null, null).statusCode(), path + " without a token");
                assertEquals(401, call("POST", path, "wrong-" + token, null).statusCode(), path + " with a wrong token");
            }
            assertEquals("{\"status\":\"UP\"}", probe("/observe/health/live", null, 200));
            assertEquals("{\"status\":\"UP\"}", probe("/observe/health/ready", null, 200));

            awaitTables(token, Set.of("public.items", "public.Order Items"));
            JsonNode task = json(call("GET", "/api/tasks/" + TASK, token, null), 200);
            assertEquals("STREAMING", task.get("phase").asText());
            assertEquals(pair.count(false, "items") + pair.count(false, "\"Order Items\""), task.get("rowsWritten").asLong(),
                    "rows written as the target holds them: " + task);
            assertTrue(task.get("lastError").isNull());
            assertEquals(TASK, json(call("GET", "/api/tasks", token, null), 200).get(0).get("name").asText());

            JsonNode spaced = json(call("GET", "/api/tasks/" + TASK + "/tables/public.Order%20Items", token, null), 200);
            assertEquals("public.Order Items", spaced.get("table").asText());
            assertEquals("SYNCING", spaced.get("state").asText());
            assertEquals("Order Items", json(call("GET", "/api/tasks/" + TASK + "/tables/%22public%22.%22Order%20Items%22", token, null), 200)
                    .get("name").asText());
            if (spaced.has("fullLoad")) {
                assertEquals(pair.count(false, "\"Order Items\""), spaced.get("fullLoad").get("rowsCopied").asLong());
            }
            assertTrue(json(call("GET", "/api/tasks/" + TASK + "/tables/public.nothing", token, null), 404).get("message").asText()
                    .contains("public.nothing"));
            assertTrue(json(call("GET", "/api/tasks/no-such-task", token, null), 404).get("message").asText().contains("no-such-task"));
            String metrics = awaitMetric(token, "realtime_sync_rows_written_total{");
            assertTrue(metrics.contains("task=\"" + TASK + "\"") && metrics.contains("table=\"public.Order Items\""), metrics);
            assertFalse(metrics.contains("camel_route_policy_seconds") || metrics.contains("camel_exchange_event_notifier"),
                    "no Camel timers on the data path:\n" + metrics);
            assertEquals(Set.of(port), listeningPorts(sync.pid()), "one port, the API's");
            assertEquals(Set.of("127.0.0.1:" + port), listeningAddresses(sync.pid()), "the local machine only");
            JsonNode openapi = json(call("GET", "/api/openapi.json", token, null), 200);
            for (String path : List.of("/api/tasks", "/api/tasks/{task}", "/api/tasks/{task}/tables", "/api/tasks/{task}/tables/{table}",
                    "/api/tasks/{task}/stop", "/api/tasks/{task}/start", "/observe/health/live", "/observe/health/ready")) {
                assertTrue(openapi.get("paths").has(path), "openapi.json describes " + path);
            }

            // Stop: readiness DOWN (the reason only with the token); changes made meanwhile wait on the source.
            assertEquals("STOPPED", json(call("POST", "/api/tasks/" + TASK + "/stop", token, ""), 200).get("phase").asText());
            assertEquals("{\"status\":\"DOWN\"}", probe("/observe/health/ready", null, 503));
            assertEquals("{\"status\":\"UP\"}", probe("/observe/health/live", null, 200));
            String reasons = probe("/observe/health/ready", token, 503);
            assertTrue(reasons.contains("stopped through the API"), reasons);
            pair.source("INSERT INTO items VALUES (201, 'while stopped')", "UPDATE items SET v = 'changed' WHERE id = 1");
            Thread.sleep(3000);
            assertEquals(200, pair.count(false, "items"), "a stopped task writes nothing");
            assertTrue(json(call("POST", "/api/tasks/" + TASK + "/start", token, "{\"from\": \"lsn:nope\"}"), 400).get("message").asText()
                    .contains("--start-from"));

            assertEquals(200, call("POST", "/api/tasks/" + TASK + "/start", token, "").statusCode());
            pair.source("INSERT INTO items VALUES (202, 'after the start')");
            assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(2)));
            assertEquals("{\"status\":\"UP\"}", probe("/observe/health/ready", token, 200));
            assertEquals("STREAMING", json(call("GET", "/api/tasks/" + TASK, token, null), 200).get("phase").asText());

            String status = command("status", "--http", "127.0.0.1:" + port);
            assertTrue(status.contains(TASK) && status.contains("STREAMING"), status);
            String tablesOut = command("tables", TASK, "--http", "127.0.0.1:" + port);
            assertTrue(tablesOut.contains("public.Order Items") && tablesOut.contains("SYNCING"), tablesOut);

            for (String body : bodies) {
                assertFalse(body.contains(PostgresPair.PASSWORD), "an answer holds the password: " + body);
            }
            assertFalse(sync.output().contains(token), "the log holds the token");
            assertFalse(sync.output().contains(PostgresPair.PASSWORD), "the log holds the password");
            int exit = sync.stop();
            assertTrue(exit == 0 || exit == 143, "SIGTERM ends the task cleanly, status " + exit);
        }
    }

    @Test
    void httpOffServesNothingAndAPortInUseIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            try (SyncProcess sync = SyncProcess.start(pair.work.resolve("in-use.log"), environment, "run", "examples/postgres-to-postgres.yaml",
                    "--http", "127.0.0.1:" + taken.getLocalPort())) {
                assertEquals(2, sync.awaitExit(Duration.ofMinutes(1)), sync.output());
                List<String> lines = sync.output().lines().filter(line -> !line.isBlank()).toList();
                assertEquals(1, lines.size(), sync.output());
                assertTrue(lines.get(0).startsWith("realtime-sync: ") && lines.get(0).contains("--http")
                        && lines.get(0).contains(String.valueOf(taken.getLocalPort())), lines.get(0));
            }
        }
        assertEquals(-1, pair.count(false, "items"), "nothing written to the target");

        Map<String, String> tables = Map.of("public.items", "id");
        try (SyncProcess sync = SyncProcess.start(pair.work.resolve("off.log"), environment, "run", "examples/postgres-to-postgres.yaml",
                "--http", "off")) {
            assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(2)));
            assertEquals(Set.of(), listeningPorts(sync.pid()), "--http off listens on no port");
            assertFalse(sync.output().contains("Operator API on"), sync.output());
            assertFalse(Files.exists(pair.work.resolve("api-token")), "no token without an API");
        }
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        bodies.add(response.body());
        response.headers().map().values().forEach(values -> bodies.add(String.join(" ", values)));
        return response;
    }

    private JsonNode json(HttpResponse<String> response, int status) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** A probe's body, compacted. */
    private String probe(String path, String token, int status) throws Exception {
        return JSON.writeValueAsString(json(call("GET", path, token, null), status));
    }

    private void awaitTables(String token, Set<String> expected) throws Exception {
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < 60; i++) {
            seen.clear();
            json(call("GET", "/api/tasks/" + TASK + "/tables", token, null), 200).forEach(t -> seen.add(t.get("table").asText()));
            if (seen.equals(expected)) {
                return;
            }
            Thread.sleep(500);
        }
        assertEquals(expected, seen);
    }

    /** The Prometheus text once it holds {@code metric} (the task meters follow new tables within seconds). */
    private String awaitMetric(String token, String metric) throws Exception {
        String text = "";
        for (int i = 0; i < 60 && !text.contains(metric); i++) {
            HttpResponse<String> response = call("GET", "/observe/metrics", token, null);
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), response.headers().toString());
            text = response.body();
            if (!text.contains(metric)) {
                Thread.sleep(500);
            }
        }
        assertTrue(text.contains(metric), metric + " in:\n" + text);
        return text;
    }

    /** {@code status}/{@code tables} from the jar, the token from the file the task wrote. */
    private String command(String... args) throws Exception {
        Path log = pair.work.resolve(args[0] + ".out");
        try (SyncProcess command = SyncProcess.start(log, environment, List.of(), args)) {
            assertEquals(0, command.awaitExit(Duration.ofMinutes(1)), command.output());
            return command.output();
        }
    }

    /** The TCP ports a process listens on. */
    private static Set<Integer> listeningPorts(long pid) throws IOException {
        Set<Integer> ports = new TreeSet<>();
        listeningAddresses(pid).forEach(address -> ports.add(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1))));
        return ports;
    }

    /** The TCP addresses (IPv4 as a.b.c.d:port, IPv6 as hex:port) a process listens on (Linux: its socket inodes in /proc/net/tcp{,6} in state LISTEN). */
    private static Set<String> listeningAddresses(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(link.substring(8, link.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        Set<String> addresses = new TreeSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) {
                    String host = f[1].substring(0, f[1].indexOf(':'));
                    int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                    // IPv6 holds an IPv4 address mapped as ::ffff:a.b.c.d in its last word
                    boolean mapped = host.length() == 32 && host.startsWith("0000000000000000FFFF0000");
                    addresses.add((host.length() == 8 ? ipv4(host) : mapped ? ipv4(host.substring(24)) : host) + ":" + port);
                }
            }
        }
        return addresses;
    }

    /** /proc/net/tcp's little-endian hex IPv4 address as a.b.c.d. */
    private static String ipv4(String hex) {
        long value = Long.parseLong(hex, 16);
        return (value & 0xff) + "." + (value >> 8 & 0xff) + "." + (value >> 16 & 0xff) + "." + (value >> 24 & 0xff);
    }

}
