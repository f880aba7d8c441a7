package routes.sink.streamload;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Doris/StarRocks stand-in speaking HTTP Stream Load as their documentation describes it, on plain sockets so that
 * the protocol's details can be held to: the FE answers a load with 307 and a Location on the BE port, before
 * reading the body when the client sent {@code Expect: 100-continue}; both check Basic credentials; the BE answers
 * 100 Continue, reads the JSON body ({@code strip_outer_array}), and answers with a JSON body whose Status tells
 * the outcome. Labels are kept with their state (a label in use answers {@code Label Already Exists} with the
 * existing job's status; a failed load's label is free again). Tables keep one row per key, deleting rows whose
 * {@code __DORIS_DELETE_SIGN__} (declared by {@code hidden_columns}) or {@code __op} (listed in {@code columns}) is
 * 1. Refused rows make the load Fail with an ErrorURL serving them, unless {@code max_filter_ratio} allows them.
 * Two-phase commit: {@code two_phase_commit: true} precommits, {@code /api/{db}/_stream_load_2pc} commits or aborts.
 * Faults on demand: -235 too many versions, Publish Timeout, an answer lost after the commit, a transaction aborted
 * before its commit. The FE's MySQL protocol (query port) takes a JDBC driver's DDL: CREATE TABLE, TRUNCATE TABLE,
 * ADD COLUMN, whose default the rows a table holds then read, and DROP COLUMN, RENAME COLUMN and MODIFY COLUMN as
 * Doris documents them (Schema Change): no key column of a unique-key table dropped, a rename keeping the values, a
 * type change stating the column's other attributes as they are, only the conversions Doris documents (the values
 * converted; the background job it is on the real FE is done at once here).
 */
public final class StreamLoadEmulator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOAD_PATH = Pattern.compile("/api/([^/]+)/([^/]+)/_stream_load");
    private static final Pattern TWO_PC_PATH = Pattern.compile("/api/([^/]+)/_stream_load_2pc");
    private static final Pattern STATE_PATH = Pattern.compile("/api/([^/]+)/get_load_state");
    private static final Pattern DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?");

    /** A column as CREATE TABLE or ADD COLUMN declared it (types as Doris spells them; its default as text, or null). */
    public record ColumnDef(String name, String type, boolean nullable, String defaultValue) {
        public ColumnDef(String name, String type, boolean nullable) {
            this(name, type, nullable, null);
        }
    }

    private record Table(List<ColumnDef> columns, List<String> keys, Map<List<String>, Map<String, String>> rows) {
    }

    private enum State { PREPARE, PRECOMMITTED, COMMITTED, VISIBLE, ABORTED }

    private static final class Txn {
        final long id;
        final String label;
        final String db;
        final String table;
        volatile State state = State.PREPARE;
        List<Map<String, String>> upserts = List.of();
        List<List<String>> deletes = List.of();
        boolean partial;

        Txn(long id, String label, String db, String table) {
            this.id = id;
            this.label = label;
            this.db = db;
            this.table = table;
        }
    }

    private final String user;
    private final String password;
    private final ServerSocket fe;
    private final ServerSocket be;
    private final ServerSocket query;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stream-load-emulator");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Table> tables = new ConcurrentHashMap<>();
    private final Map<String, Txn> labels = new ConcurrentHashMap<>();
    private final Map<Long, Txn> txns = new ConcurrentHashMap<>();
    private final Map<String, String> errorLogs = new ConcurrentHashMap<>();
    private final AtomicLong nextTxn = new AtomicLong(1000);
    private volatile boolean running = true;

    // Faults to inject.
    private final AtomicInteger tooManyVersionsToAnswer = new AtomicInteger();
    private final AtomicInteger publishTimeoutsToAnswer = new AtomicInteger();
    private final AtomicInteger answersToDrop = new AtomicInteger();
    private final AtomicInteger commitsToAbort = new AtomicInteger();

    // What happened, for the tests to check.
    public final AtomicInteger loadsCommitted = new AtomicInteger();
    public final AtomicInteger loadsPrecommitted = new AtomicInteger();
    public final AtomicInteger tooManyVersionsAnswered = new AtomicInteger();
    public final AtomicInteger publishTimeoutsAnswered = new AtomicInteger();
    public final AtomicInteger answersDropped = new AtomicInteger();
    public final AtomicInteger labelAlreadyExistsAnswered = new AtomicInteger();
    public final AtomicInteger loadsRejected = new AtomicInteger();
    public final AtomicInteger rowsFiltered = new AtomicInteger();
    public final AtomicInteger transactionsCommitted = new AtomicInteger();
    public final AtomicInteger transactionsAborted = new AtomicInteger();
    public final AtomicInteger redirects = new AtomicInteger();
    public final AtomicInteger unauthorized = new AtomicInteger();
    public final AtomicInteger loadsWithoutExpect = new AtomicInteger();
    /** Loads that named StarRocks's __op in their columns header. */
    public final AtomicInteger loadsWithOpColumn = new AtomicInteger();
    public final AtomicLong bodyBytesSentToFrontend = new AtomicLong();
    public final AtomicInteger partialUpdates = new AtomicInteger();
    /** The statements run through the MySQL protocol, in order. */
    public final List<String> statements = new CopyOnWriteArrayList<>();

    private StreamLoadEmulator(String user, String password) throws IOException {
        this.user = user;
        this.password = password;
        InetAddress local = InetAddress.getLoopbackAddress();
        fe = new ServerSocket(0, 50, local);
        be = new ServerSocket(0, 50, local);
        query = new ServerSocket(0, 50, local);
        threads.execute(() -> accept(fe, true));
        threads.execute(() -> accept(be, false));
        threads.execute(this::acceptQueries);
    }

    public static StreamLoadEmulator start(String user, String password) throws IOException {
        return new StreamLoadEmulator(user, password);
    }

    /** The FE's HTTP address, as a task's loadUrl. */
    public String frontendUrl() {
        return "http://127.0.0.1:" + fe.getLocalPort();
    }

    /** The FE's MySQL protocol (query port), as a task's ddlJdbcUrl (the MariaDB driver). */
    public String ddlJdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + query.getLocalPort() + "/";
    }

    public void createTable(String db, String table, List<ColumnDef> columns, List<String> keys) {
        tables.put(db + "." + table, new Table(new CopyOnWriteArrayList<>(columns), List.copyOf(keys), Collections.synchronizedMap(new LinkedHashMap<>())));
    }

    /** The table's visible rows: key values -> column -> value as text (null for NULL); none before it is created. */
    public synchronized Map<List<String>, Map<String, String>> rows(String db, String table) {
        Map<List<String>, Map<String, String>> copy = new LinkedHashMap<>();
        Table known = tables.get(db + "." + table);
        if (known != null) {
            known.rows().forEach((k, v) -> copy.put(k, new LinkedHashMap<>(v)));
        }
        return copy;
    }

    public void failNextLoadsWithTooManyVersions(int loads) {
        tooManyVersionsToAnswer.set(loads);
    }

    public void answerNextLoadsWithPublishTimeout(int loads) {
        publishTimeoutsToAnswer.set(loads);
    }

    /** The next loads are committed, then the connection closes without an answer (a lost response). */
    public void dropNextLoadAnswers(int loads) {
        answersToDrop.set(loads);
    }

    /** The next two-phase commits find their transaction aborted (as when its timeout passed). */
    public void abortOnNextCommits(int commits) {
        commitsToAbort.set(commits);
    }

    /** A label held by a load that is still running, which finishes (loading nothing more) after the given time. */
    public void holdLabelRunning(String db, String table, String label, long millis) {
        Txn txn = new Txn(nextTxn.incrementAndGet(), label, db, table);
        labels.put(label, txn);
        txns.put(txn.id, txn);
        threads.execute(() -> {
            pause(millis);
            txn.state = State.VISIBLE;
        });
    }

    public synchronized long precommittedTransactions() {
        return txns.values().stream().filter(t -> t.state == State.PRECOMMITTED).count();
    }

    private void accept(ServerSocket server, boolean frontend) {
        while (running) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> serve(socket, frontend));
            } catch (IOException e) {
                if (running) {
                    pause(10);
                }
            }
        }
    }

    private void serve(Socket socket, boolean frontend) {
        try (socket) {
            socket.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            String requestLine = line(in);
            if (requestLine == null || requestLine.isBlank()) {
                return;
            }
            String[] parts = requestLine.split(" ");
            String method = parts[0];
            String target = parts[1];
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
            }
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            Map<String, String> query = query(q < 0 ? "" : target.substring(q + 1));
            boolean expectContinue = "100-continue".equalsIgnoreCase(headers.getOrDefault("Expect", ""));
            if (frontend) {
                frontend(method, path, target, query, headers, expectContinue, in, out);
            } else {
                backend(method, path, query, headers, expectContinue, in, out);
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private void frontend(String method, String path, String target, Map<String, String> query, Map<String, String> headers,
            boolean expectContinue, InputStream in, OutputStream out) throws IOException {
        if (!authorized(headers)) {
            unauthorized.incrementAndGet();
            respond(out, 401, "Unauthorized", "{\"msg\":\"Unauthorized\",\"code\":401}", Map.of("WWW-Authenticate", "Basic realm=\"doris\""));
            return;
        }
        Matcher state = STATE_PATH.matcher(path);
        if (method.equals("GET") && state.matches()) {
            Txn txn = labels.get(query.getOrDefault("label", ""));
            respond(out, 200, "OK", "{\"msg\":\"success\",\"code\":0,\"data\":\"" + (txn == null ? "UNKNOWN" : txn.state) + "\",\"count\":0}", Map.of());
            return;
        }
        if (method.equals("PUT") && (LOAD_PATH.matcher(path).matches() || TWO_PC_PATH.matcher(path).matches())) {
            if (LOAD_PATH.matcher(path).matches() && !expectContinue) {
                loadsWithoutExpect.incrementAndGet();
                bodyBytesSentToFrontend.addAndGet(body(in, headers, false, out).length);
                respond(out, 200, "OK", "{\"status\":\"FAILED\",\"msg\":\"There is no 100-continue header\"}", Map.of());
                return;
            }
            // Redirect before the body; a client that sends the body anyway is caught sending it here.
            redirects.incrementAndGet();
            respond(out, 307, "Temporary Redirect", "", Map.of("Location", "http://127.0.0.1:" + be.getLocalPort() + target));
            try {
                bodyBytesSentToFrontend.addAndGet(in.readNBytes(Integer.parseInt(headers.getOrDefault("Content-Length", "0"))).length);
            } catch (IOException e) {
                // the client closed the connection: nothing more was sent
            }
            return;
        }
        respond(out, 404, "Not Found", "{\"msg\":\"not found\"}", Map.of());
    }

    private void backend(String method, String path, Map<String, String> query, Map<String, String> headers, boolean expectContinue,
            InputStream in, OutputStream out) throws IOException {
        if (method.equals("GET") && path.equals("/api/_load_error_log")) {
            String text = errorLogs.get(query.getOrDefault("file", ""));
            respond(out, text == null ? 404 : 200, text == null ? "Not Found" : "OK", text == null ? "" : text, Map.of("Content-Type", "text/plain"));
            return;
        }
        if (!authorized(headers)) {
            unauthorized.incrementAndGet();
            respond(out, 401, "Unauthorized", "{\"status\":\"FAILED\",\"msg\":\"Unauthorized\"}", Map.of());
            return;
        }
        Matcher load = LOAD_PATH.matcher(path);
        Matcher twoPc = TWO_PC_PATH.matcher(path);
        if (method.equals("PUT") && load.matches()) {
            byte[] body = body(in, headers, expectContinue, out);
            String[] answer = load(load.group(1), load.group(2), headers, body);
            if (answer == null) {
                return; // the answer is lost: the connection closes without one
            }
            respond(out, 200, "OK", answer[0], Map.of());
        } else if (method.equals("PUT") && twoPc.matches()) {
            body(in, headers, expectContinue, out);
            respond(out, 200, "OK", twoPhase(headers), Map.of());
        } else {
            respond(out, 404, "Not Found", "{\"msg\":\"not found\"}", Map.of());
        }
    }

    /** Runs a load; returns the answer body, or null when the answer is to be lost. */
    private synchronized String[] load(String db, String tableName, Map<String, String> headers, byte[] body) {
        String label = headers.getOrDefault("label", "auto_" + nextTxn.get());
        boolean twoPhase = "true".equalsIgnoreCase(headers.get("two_phase_commit"));
        Txn existing = labels.get(label);
        if (existing != null && existing.state != State.ABORTED) {
            labelAlreadyExistsAnswered.incrementAndGet();
            String status = existing.state == State.COMMITTED || existing.state == State.VISIBLE ? "FINISHED" : "RUNNING";
            return answer(-1, label, twoPhase, "Label Already Exists", status, "[LABEL_ALREADY_EXISTS]errCode = 2, detailMessage = Label ["
                    + label + "] has already been used, relate to txn [" + existing.id + "]", 0, 0, 0, null);
        }
        Table table = tables.get(db + "." + tableName);
        if (table == null) {
            return answer(-1, label, twoPhase, "Fail", null, "errCode = 7, detailMessage = unknown table, tableName=" + tableName, 0, 0, 0, null);
        }
        if (tooManyVersionsToAnswer.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            tooManyVersionsAnswered.incrementAndGet();
            return answer(-1, label, twoPhase, "Fail", null, "[E-235]failed to init rowset builder. version count: 2001, exceed limit: 2000, "
                    + "tablet: 10086. Please reduce the frequency of loading data or adjust the max_tablet_version_num in be.conf", 0, 0, 0, null);
        }
        if (!"json".equalsIgnoreCase(headers.get("format")) || !"true".equalsIgnoreCase(headers.get("strip_outer_array"))) {
            return answer(-1, label, twoPhase, "Fail", null, "this emulator reads format json with strip_outer_array true", 0, 0, 0, null);
        }
        JsonNode rows;
        try {
            rows = JSON.readTree(body);
        } catch (IOException e) {
            return answer(-1, label, twoPhase, "Fail", null, "[DATA_QUALITY_ERROR]Parse json data failed: " + e.getMessage(), 0, 0, 0, null);
        }
        if (!rows.isArray()) {
            return answer(-1, label, twoPhase, "Fail", null, "[DATA_QUALITY_ERROR]JSON data is not an array-object with strip_outer_array true", 0, 0, 0, null);
        }
        String deleteField = deleteField(headers);
        if ("__op".equals(deleteField)) {
            loadsWithOpColumn.incrementAndGet();
        }
        boolean partial = "true".equalsIgnoreCase(headers.get("partial_columns")) || "true".equalsIgnoreCase(headers.get("partial_update"));
        List<Map<String, String>> upserts = new ArrayList<>();
        List<List<String>> deletes = new ArrayList<>();
        StringBuilder errors = new StringBuilder();
        int filtered = 0;
        for (JsonNode row : rows) {
            String error = check(table, row, partial, deleteField);
            if (error != null) {
                filtered++;
                errors.append("Reason: ").append(error).append(". src line [").append(row).append("]; \n");
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            row.fields().forEachRemaining(f -> table.columns().stream().filter(c -> c.name().equals(f.getKey())).findFirst()
                    .ifPresent(c -> values.put(f.getKey(), f.getValue().isNull() ? null : stored(c, f.getValue().asText()))));
            if (deleteField != null && row.path(deleteField).asInt(0) == 1) {
                deletes.add(table.keys().stream().map(values::get).toList());
            } else {
                upserts.add(values);
            }
        }
        double maxFilterRatio = Double.parseDouble(headers.getOrDefault("max_filter_ratio", "0"));
        if (filtered > 0 && filtered > maxFilterRatio * rows.size()) {
            loadsRejected.incrementAndGet();
            String file = "__shard_0/error_log_insert_stmt_" + nextTxn.incrementAndGet();
            errorLogs.put(file, errors.toString());
            return answer(nextTxn.get(), label, twoPhase, "Fail", null, "[DATA_QUALITY_ERROR]too many filtered rows", rows.size(), 0, filtered,
                    "http://127.0.0.1:" + be.getLocalPort() + "/api/_load_error_log?file=" + file);
        }
        rowsFiltered.addAndGet(filtered);
        Txn txn = new Txn(nextTxn.incrementAndGet(), label, db, tableName);
        txn.upserts = upserts;
        txn.deletes = deletes;
        txn.partial = partial;
        if (partial) {
            partialUpdates.incrementAndGet();
        }
        labels.put(label, txn);
        txns.put(txn.id, txn);
        if (twoPhase) {
            txn.state = State.PRECOMMITTED;
            loadsPrecommitted.incrementAndGet();
            return answer(txn.id, label, true, "Success", null, "OK", rows.size(), rows.size() - filtered, filtered, null);
        }
        apply(txn);
        if (answersToDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answersDropped.incrementAndGet();
            return null;
        }
        if (publishTimeoutsToAnswer.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            publishTimeoutsAnswered.incrementAndGet();
            return answer(txn.id, label, false, "Publish Timeout", null, "transaction commit successfully, BUT data will be visible later",
                    rows.size(), rows.size() - filtered, filtered, null);
        }
        return answer(txn.id, label, false, "Success", null, "OK", rows.size(), rows.size() - filtered, filtered, null);
    }

    private void apply(Txn txn) {
        Table table = tables.get(txn.db + "." + txn.table);
        for (Map<String, String> values : txn.upserts) {
            List<String> key = table.keys().stream().map(values::get).toList();
            Map<String, String> row = txn.partial ? table.rows().get(key) : null;
            if (row == null) {
                row = new LinkedHashMap<>();
                for (ColumnDef column : table.columns()) {
                    row.put(column.name(), column.defaultValue()); // a field the row does not name takes the column's default
                }
            }
            row.putAll(values);
            table.rows().put(key, row);
        }
        for (List<String> key : txn.deletes) {
            table.rows().remove(key);
        }
        txn.state = State.VISIBLE;
        txn.upserts = List.of();
        txn.deletes = List.of();
        loadsCommitted.incrementAndGet();
    }

    private synchronized String twoPhase(Map<String, String> headers) {
        String operation = headers.getOrDefault("txn_operation", "");
        long id;
        try {
            id = Long.parseLong(headers.getOrDefault("txn_id", ""));
        } catch (NumberFormatException e) {
            return "{\"status\":\"Fail\",\"msg\":\"errCode = 2, detailMessage = txn_id is missing\"}";
        }
        Txn txn = txns.get(id);
        if (txn == null) {
            return "{\"status\":\"Fail\",\"msg\":\"errCode = 2, detailMessage = transaction [" + id + "] not found\"}";
        }
        if (operation.equals("commit") && txn.state == State.PRECOMMITTED && commitsToAbort.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            txn.state = State.ABORTED;
            transactionsAborted.incrementAndGet();
        }
        if (txn.state == State.ABORTED) {
            return "{\"status\":\"Fail\",\"msg\":\"errCode = 2, detailMessage = transaction [" + id + "] is already aborted. abort reason: "
                    + "timeout by txn manager\"}";
        }
        if (txn.state == State.VISIBLE || txn.state == State.COMMITTED) {
            return operation.equals("commit")
                    ? "{\"status\":\"Fail\",\"msg\":\"errCode = 2, detailMessage = transaction [" + id + "] is already visible, not pre-committed.\"}"
                    : "{\"status\":\"Fail\",\"msg\":\"errCode = 2, detailMessage = transaction [" + id + "] is already committed, not pre-committed.\"}";
        }
        if (operation.equals("commit")) {
            apply(txn);
            transactionsCommitted.incrementAndGet();
            return "{\"status\":\"Success\",\"msg\":\"transaction [" + id + "] commit successfully.\"}";
        }
        if (operation.equals("abort")) {
            txn.state = State.ABORTED;
            transactionsAborted.incrementAndGet();
            return "{\"status\":\"Success\",\"msg\":\"transaction [" + id + "] abort successfully.\"}";
        }
        return "{\"status\":\"Fail\",\"msg\":\"errCode = 2, detailMessage = unknown txn_operation " + operation + "\"}";
    }

    /** The delete field the load declared: Doris's hidden column, or StarRocks's __op listed in columns. */
    private static String deleteField(Map<String, String> headers) {
        if (headers.getOrDefault("hidden_columns", "").contains("__DORIS_DELETE_SIGN__")) {
            return "__DORIS_DELETE_SIGN__";
        }
        for (String column : headers.getOrDefault("columns", "").split(",")) {
            if (column.trim().equals("__op")) {
                return "__op";
            }
        }
        return null;
    }

    /** Why the table cannot take the row, or null. */
    private static String check(Table table, JsonNode row, boolean partial, String deleteField) {
        if (!row.isObject()) {
            return "the row is not a JSON object";
        }
        boolean delete = deleteField != null && row.path(deleteField).asInt(0) == 1;
        for (ColumnDef column : table.columns()) {
            JsonNode value = row.get(column.name());
            boolean key = table.keys().contains(column.name());
            if (value == null || value.isNull()) {
                boolean takesDefault = value == null && column.defaultValue() != null;
                if ((key || !column.nullable()) && !(value == null && (partial || delete || takesDefault) && !key)) {
                    return "column(" + column.name() + ") values is null while columns is not nullable";
                }
                continue;
            }
            String error = typeError(column, value);
            if (error != null) {
                return error;
            }
        }
        return null;
    }

    private static String typeError(ColumnDef column, JsonNode value) {
        String type = column.type().toUpperCase(Locale.ROOT);
        String text = value.asText();
        try {
            if (type.matches("(TINYINT|SMALLINT|INT|BIGINT|LARGEINT)")) {
                new BigDecimal(text).toBigIntegerExact();
            } else if (type.startsWith("DECIMAL")) {
                Matcher m = Pattern.compile("DECIMAL\\((\\d+),(\\d+)\\)").matcher(type);
                BigDecimal number = new BigDecimal(text);
                if (m.matches() && (number.scale() > Integer.parseInt(m.group(2))
                        || number.precision() - number.scale() > Integer.parseInt(m.group(1)) - Integer.parseInt(m.group(2)))) {
                    return "column(" + column.name() + ") the precision or scale of decimal is out of range, value: " + text;
                }
            } else if (type.startsWith("VARCHAR")) {
                int limit = Integer.parseInt(type.replaceAll("\\D", ""));
                int bytes = text.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > limit) {
                    return "column_name[" + column.name() + "], the length of input is too long than schema. first 32 bytes of input str: ["
                            + text.substring(0, Math.min(32, text.length())) + "] schema length: " + limit + "; actual length: " + bytes + "; ";
                }
            } else if (type.startsWith("DATETIME") && !DATETIME.matcher(text).matches()) {
                return "column(" + column.name() + ") the value '" + text + "' is not a valid datetime";
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return "column(" + column.name() + ") the value '" + text + "' is not a valid " + column.type();
        }
        return null;
    }

    /** A value as the target keeps and shows it: DATETIME(p) with p fraction digits, DECIMAL(p,s) with s. */
    private static String stored(ColumnDef column, String text) {
        String type = column.type().toUpperCase(Locale.ROOT);
        Matcher dateTime = Pattern.compile("DATETIME\\((\\d)\\)").matcher(type);
        if (dateTime.matches()) {
            int digits = Integer.parseInt(dateTime.group(1));
            String[] parts = text.split("\\.");
            String fraction = (parts.length > 1 ? parts[1] : "") + "000000";
            return digits == 0 ? parts[0] : parts[0] + "." + fraction.substring(0, digits);
        }
        Matcher decimal = Pattern.compile("DECIMAL\\((\\d+),(\\d+)\\)").matcher(type);
        if (decimal.matches()) {
            return new BigDecimal(text).setScale(Integer.parseInt(decimal.group(2))).toPlainString();
        }
        return text;
    }

    // The FE's MySQL protocol: the handshake (mysql_native_password, credentials checked), then COM_QUERY answered
    // with OK or ERR packets. DDL (CREATE TABLE, TRUNCATE TABLE, ALTER TABLE ... ADD/DROP/RENAME/MODIFY COLUMN) changes the tables;
    // session statements (SET, SELECT, SHOW, USE, CREATE DATABASE) are acknowledged.

    private static final String NAME = "`((?:[^`]|``)+)`";
    private static final String TYPE = "([A-Za-z]+(?:\\([^)]*\\))?)";
    private static final String DEFAULT = "(?:\\s+DEFAULT\\s+\"((?:[^\"\\\\]|\\\\.)*)\")?";
    private static final Pattern ADD_COLUMN = Pattern.compile("(?is)ALTER\\s+TABLE\\s+" + NAME + "\\." + NAME + "\\s+ADD\\s+COLUMN\\s+" + NAME
            + "\\s+" + TYPE + "\\s+(NOT\\s+NULL|NULL)" + DEFAULT + "\\s*;?");
    private static final Pattern CREATE_TABLE = Pattern.compile("(?is)CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+" + NAME + "\\." + NAME
            + "\\s*\\((.*)\\)\\s*(?:UNIQUE|PRIMARY)\\s+KEY\\s*\\(([^)]*)\\).*");
    private static final Pattern COLUMN_LINE = Pattern.compile("(?is)\\s*" + NAME + "\\s+" + TYPE + "\\s+(NOT\\s+NULL|NULL)" + DEFAULT + "\\s*");
    private static final Pattern DROP_COLUMN = Pattern.compile("(?is)ALTER\\s+TABLE\\s+" + NAME + "\\." + NAME + "\\s+DROP\\s+COLUMN\\s+"
            + NAME + "\\s*;?");
    private static final Pattern RENAME_COLUMN = Pattern.compile("(?is)ALTER\\s+TABLE\\s+" + NAME + "\\." + NAME + "\\s+RENAME\\s+COLUMN\\s+"
            + NAME + "\\s+(?:TO\\s+)?" + NAME + "\\s*;?");
    private static final Pattern MODIFY_COLUMN = Pattern.compile("(?is)ALTER\\s+TABLE\\s+" + NAME + "\\." + NAME + "\\s+MODIFY\\s+COLUMN\\s+"
            + NAME + "\\s+" + TYPE + "\\s+(NOT\\s+NULL|NULL)\\s*;?");
    private static final Pattern TRUNCATE = Pattern.compile("(?is)TRUNCATE\\s+TABLE\\s+" + NAME + "\\." + NAME + "\\s*;?");
    private static final Pattern SESSION = Pattern.compile("(?is)\\s*(SET|SELECT|SHOW|USE|CREATE\\s+DATABASE)\\b.*");
    private static final int CAPABILITIES = 0x1 | 0x2 | 0x4 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x10000 | 0x20000 | 0x80000 | 0x200000;

    private void acceptQueries() {
        while (running) {
            try {
                Socket socket = query.accept();
                threads.execute(() -> serveQueries(socket));
            } catch (IOException e) {
                if (running) {
                    pause(10);
                }
            }
        }
    }

    private void serveQueries(Socket socket) {
        try (socket) {
            socket.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] seed = new byte[20];
            java.util.Random random = new java.security.SecureRandom();
            for (int i = 0; i < seed.length; i++) {
                seed[i] = (byte) (33 + random.nextInt(94)); // printable: the second part is NUL-terminated
            }
            writePacket(out, 0, handshake(seed));
            byte[][] response = readPacket(in);
            if (response == null) {
                return;
            }
            if (!authenticated(response[1], seed)) {
                unauthorized.incrementAndGet();
                writePacket(out, response[0][0] + 1, errorPacket(1045, "28000", "Access denied for user"));
                return;
            }
            writePacket(out, response[0][0] + 1, okPacket());
            for (byte[][] command = readPacket(in); command != null; command = readPacket(in)) {
                byte[] payload = command[1];
                if (payload.length == 0 || payload[0] == 0x01) { // COM_QUIT
                    return;
                }
                String error = payload[0] == 0x03 ? execute(new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8)) : null;
                writePacket(out, command[0][0] + 1, error == null ? okPacket() : errorPacket(1105, "HY000", error));
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Runs one statement; returns the error message, or null. */
    private synchronized String execute(String statement) {
        String text = statement.strip();
        statements.add(text);
        Matcher m = ADD_COLUMN.matcher(text);
        if (m.matches()) {
            return addColumn(unquote(m.group(1)) + "." + unquote(m.group(2)), new ColumnDef(unquote(m.group(3)), m.group(4),
                    m.group(5).equalsIgnoreCase("NULL"), m.group(6) == null ? null : unescape(m.group(6))));
        }
        m = DROP_COLUMN.matcher(text);
        if (m.matches()) {
            return dropColumn(unquote(m.group(1)) + "." + unquote(m.group(2)), unquote(m.group(3)));
        }
        m = RENAME_COLUMN.matcher(text);
        if (m.matches()) {
            return renameColumn(unquote(m.group(1)) + "." + unquote(m.group(2)), unquote(m.group(3)), unquote(m.group(4)));
        }
        m = MODIFY_COLUMN.matcher(text);
        if (m.matches()) {
            return modifyColumn(unquote(m.group(1)) + "." + unquote(m.group(2)), unquote(m.group(3)), m.group(4),
                    m.group(5).equalsIgnoreCase("NULL"));
        }
        m = CREATE_TABLE.matcher(text);
        if (m.matches()) {
            return tables.containsKey(unquote(m.group(1)) + "." + unquote(m.group(2))) ? null : createTable(m);
        }
        m = TRUNCATE.matcher(text);
        if (m.matches()) {
            Table table = tables.get(unquote(m.group(1)) + "." + unquote(m.group(2)));
            if (table == null) {
                return "errCode = 2, detailMessage = Unknown table '" + unquote(m.group(2)) + "'";
            }
            table.rows().clear();
            return null;
        }
        return SESSION.matcher(text).matches() ? null : "errCode = 2, detailMessage = this emulator does not run: " + text;
    }

    /**
     * ADD COLUMN as Doris and StarRocks document it: the rows the table holds read the column's default (NULL without
     * one), and so do rows loaded later that leave it out. JSON columns take no default.
     */
    private String addColumn(String tableName, ColumnDef column) {
        Table table = tables.get(tableName);
        if (table == null) {
            return "errCode = 2, detailMessage = Unknown table '" + tableName + "'";
        }
        if (table.columns().stream().anyMatch(c -> c.name().equals(column.name()))) {
            return "errCode = 2, detailMessage = Can not add column which already exists in base table: " + column.name();
        }
        String refusal = defaultRefusal(column);
        if (refusal != null) {
            return refusal;
        }
        table.columns().add(column);
        String fill = column.defaultValue() == null ? null : stored(column, column.defaultValue());
        table.rows().values().forEach(row -> row.put(column.name(), fill));
        return null;
    }

    /** DROP COLUMN: a value column goes with its values; a key column of a unique-key table cannot. */
    private String dropColumn(String tableName, String name) {
        Table table = tables.get(tableName);
        int index = table == null ? -1 : columnIndex(table, name);
        if (index < 0) {
            return table == null ? "errCode = 2, detailMessage = Unknown table '" + tableName + "'"
                    : "errCode = 2, detailMessage = Column does not exists: " + name;
        }
        if (table.keys().contains(name)) {
            return "errCode = 2, detailMessage = Can not drop key column in Unique data model table";
        }
        table.columns().remove(index);
        table.rows().values().forEach(row -> row.remove(name));
        return null;
    }

    /** RENAME COLUMN: the column takes the new name, its values kept. */
    private String renameColumn(String tableName, String from, String to) {
        Table table = tables.get(tableName);
        int index = table == null ? -1 : columnIndex(table, from);
        if (index < 0) {
            return table == null ? "errCode = 2, detailMessage = Unknown table '" + tableName + "'"
                    : "errCode = 2, detailMessage = Column[" + from + "] does not exists";
        }
        if (columnIndex(table, to) >= 0) {
            return "errCode = 2, detailMessage = Column name[" + to + "] is already used";
        }
        ColumnDef was = table.columns().get(index);
        table.columns().set(index, new ColumnDef(to, was.type(), was.nullable(), was.defaultValue()));
        table.rows().values().forEach(row -> row.put(to, row.remove(from)));
        return null;
    }

    /**
     * MODIFY COLUMN: only the type changes, the column's other attributes stated as they are; a key column needs the
     * KEY keyword (which the sink never sends: it modifies value columns only), a nullable column cannot become NOT
     * NULL, and only the conversions Doris documents are made ({@link #conversionError}). The values the table holds
     * are converted, and a value the new type cannot hold fails the change.
     */
    private String modifyColumn(String tableName, String name, String type, boolean nullable) {
        Table table = tables.get(tableName);
        int index = table == null ? -1 : columnIndex(table, name);
        if (index < 0) {
            return table == null ? "errCode = 2, detailMessage = Unknown table '" + tableName + "'"
                    : "errCode = 2, detailMessage = Column[" + name + "] does not exists";
        }
        if (table.keys().contains(name)) {
            return "errCode = 2, detailMessage = Can not modify key column " + name + " without KEY";
        }
        ColumnDef was = table.columns().get(index);
        if (was.nullable() && !nullable) {
            return "errCode = 2, detailMessage = Can not change from nullable to non-nullable";
        }
        String refused = conversionError(was.type(), type);
        if (refused != null) {
            return refused;
        }
        ColumnDef retyped = new ColumnDef(name, type, nullable, was.defaultValue());
        for (Map<String, String> row : table.rows().values()) {
            String value = row.get(name);
            if (value != null && typeError(retyped, com.fasterxml.jackson.databind.node.TextNode.valueOf(value)) != null) {
                return "errCode = 2, detailMessage = Can not convert value '" + value + "' of column " + name + " to " + type;
            }
        }
        table.columns().set(index, retyped);
        return null;
    }

    private static final List<String> NUMERIC = List.of("TINYINT", "SMALLINT", "INT", "BIGINT", "LARGEINT", "FLOAT", "DOUBLE");

    /**
     * The type conversions Doris documents for MODIFY COLUMN (ALTER TABLE COLUMN): a numeric type to a larger one;
     * a numeric or DECIMAL to VARCHAR; a VARCHAR to a longer one; VARCHAR or CHAR to a numeric type or DATE;
     * DATETIME to DATE and back; INT to DATE; FLOAT to DOUBLE; any type but DATE and DATETIME to STRING, and STRING
     * to none. Null when allowed, else the FE's error.
     */
    private static String conversionError(String from, String to) {
        String a = from.toUpperCase(Locale.ROOT).replaceAll("\\(.*", "");
        String b = to.toUpperCase(Locale.ROOT).replaceAll("\\(.*", "");
        if (a.equals("VARCHAR") && b.equals("VARCHAR")) {
            return Integer.parseInt(to.replaceAll("\\D", "")) < Integer.parseInt(from.replaceAll("\\D", ""))
                    ? "errCode = 2, detailMessage = Cannot shorten string length" : null;
        }
        boolean allowed = from.equalsIgnoreCase(to)
                || !a.equals("STRING") && b.equals("STRING") && !a.startsWith("DATE")
                || NUMERIC.contains(a) && NUMERIC.contains(b) && NUMERIC.indexOf(b) > NUMERIC.indexOf(a)
                || (NUMERIC.contains(a) || a.equals("DECIMAL")) && b.equals("VARCHAR")
                || (a.equals("VARCHAR") || a.equals("CHAR")) && (NUMERIC.contains(b) || b.equals("DATE"))
                || a.equals("DATETIME") && b.equals("DATE") || a.equals("DATE") && b.equals("DATETIME")
                || a.equals("INT") && b.equals("DATE");
        return allowed ? null : "errCode = 2, detailMessage = Can not change " + from + " to " + to;
    }

    private static int columnIndex(Table table, String name) {
        for (int i = 0; i < table.columns().size(); i++) {
            if (table.columns().get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private String createTable(Matcher m) {
        List<ColumnDef> columns = new ArrayList<>();
        for (String line : m.group(3).split(",\\s*\\n")) {
            Matcher column = COLUMN_LINE.matcher(line);
            if (!column.matches()) {
                return "errCode = 2, detailMessage = this emulator cannot read the column definition: " + line.strip();
            }
            ColumnDef def = new ColumnDef(unquote(column.group(1)), column.group(2), column.group(3).equalsIgnoreCase("NULL"),
                    column.group(4) == null ? null : unescape(column.group(4)));
            String refusal = defaultRefusal(def);
            if (refusal != null) {
                return refusal;
            }
            columns.add(def);
        }
        List<String> keys = new ArrayList<>();
        for (String key : m.group(4).split(",")) {
            keys.add(unquote(key.strip()));
        }
        createTable(unquote(m.group(1)), unquote(m.group(2)), columns, keys);
        return null;
    }

    /** Why a column cannot have its default: JSON takes none, other types one their values can be. */
    private static String defaultRefusal(ColumnDef column) {
        if (column.defaultValue() == null) {
            return null;
        }
        if (column.type().equalsIgnoreCase("JSON")) {
            return "errCode = 2, detailMessage = JSONB or VARIANT type column default value just support null";
        }
        String error = typeError(column, com.fasterxml.jackson.databind.node.TextNode.valueOf(column.defaultValue()));
        return error == null ? null : "errCode = 2, detailMessage = Invalid default value for '" + column.name() + "': " + error;
    }

    private static String unquote(String name) {
        String inner = name.startsWith("`") && name.endsWith("`") && name.length() > 1 ? name.substring(1, name.length() - 1) : name;
        return inner.replace("``", "`");
    }

    /** A string literal's text: backslash escapes undone (\n, \t, \r, \0; any other character stands for itself). */
    private static String unescape(String literal) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '\\' && i + 1 < literal.length()) {
                char next = literal.charAt(++i);
                text.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    default -> next;
                });
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static byte[] handshake(byte[] seed) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(10);
        p.writeBytes("5.7.99\0".getBytes(StandardCharsets.ISO_8859_1));
        writeInt(p, 4, 1);
        p.write(seed, 0, 8);
        p.write(0);
        writeInt(p, 2, CAPABILITIES & 0xffff);
        p.write(33); // utf8_general_ci
        writeInt(p, 2, 0x0002); // autocommit
        writeInt(p, 2, CAPABILITIES >>> 16);
        p.write(21);
        p.writeBytes(new byte[10]);
        p.write(seed, 8, 12);
        p.write(0);
        p.writeBytes("mysql_native_password\0".getBytes(StandardCharsets.ISO_8859_1));
        return p.toByteArray();
    }

    /** Checks a HandshakeResponse41: the user, and the password scrambled with the seed (mysql_native_password). */
    private boolean authenticated(byte[] response, byte[] seed) {
        int capabilities = (response[0] & 0xff) | (response[1] & 0xff) << 8 | (response[2] & 0xff) << 16 | (response[3] & 0xff) << 24;
        int pos = 32;
        int end = pos;
        while (response[end] != 0) {
            end++;
        }
        String name = new String(response, pos, end - pos, StandardCharsets.UTF_8);
        pos = end + 1;
        int length = (capabilities & 0x200000) != 0 || (capabilities & 0x8000) != 0 ? response[pos++] & 0xff : 0;
        byte[] token = java.util.Arrays.copyOfRange(response, pos, pos + length);
        return name.equals(user) && java.util.Arrays.equals(token, scramble(password, seed));
    }

    private static byte[] scramble(String password, byte[] seed) {
        if (password.isEmpty()) {
            return new byte[0];
        }
        try {
            java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
            byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
            byte[] stage2 = sha1.digest(stage1);
            sha1.update(seed);
            byte[] mix = sha1.digest(stage2);
            for (int i = 0; i < mix.length; i++) {
                mix[i] ^= stage1[i];
            }
            return mix;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] okPacket() {
        return new byte[] {0x00, 0, 0, 0x02, 0, 0, 0};
    }

    private static byte[] errorPacket(int code, String sqlState, String message) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0xff);
        writeInt(p, 2, code);
        p.write('#');
        p.writeBytes(sqlState.getBytes(StandardCharsets.ISO_8859_1));
        p.writeBytes(message.getBytes(StandardCharsets.UTF_8));
        return p.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream out, int bytes, int value) {
        for (int i = 0; i < bytes; i++) {
            out.write(value >>> (8 * i) & 0xff);
        }
    }

    private static void writePacket(OutputStream out, int sequence, byte[] payload) throws IOException {
        out.write(new byte[] {(byte) payload.length, (byte) (payload.length >>> 8), (byte) (payload.length >>> 16), (byte) sequence});
        out.write(payload);
        out.flush();
    }

    /** One packet: {sequence}, payload; null at the end of the stream. */
    private static byte[][] readPacket(InputStream in) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            return null;
        }
        int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        return new byte[][] {{header[3]}, in.readNBytes(length)};
    }

    private static String[] answer(long txnId, String label, boolean twoPhase, String status, String existing, String message, long total,
            long loaded, long filtered, String errorUrl) {
        ObjectNode json = JSON.createObjectNode();
        json.put("TxnId", txnId);
        json.put("Label", label);
        json.put("Comment", "");
        json.put("TwoPhaseCommit", Boolean.toString(twoPhase));
        json.put("Status", status);
        if (existing != null) {
            json.put("ExistingJobStatus", existing);
        }
        json.put("Message", message);
        json.put("NumberTotalRows", total);
        json.put("NumberLoadedRows", loaded);
        json.put("NumberFilteredRows", filtered);
        json.put("NumberUnselectedRows", 0);
        json.put("LoadBytes", 0);
        json.put("LoadTimeMs", 1);
        if (errorUrl != null) {
            json.put("ErrorURL", errorUrl);
        }
        return new String[] {json.toPrettyString()};
    }

    private boolean authorized(Map<String, String> headers) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return expected.equals(headers.get("Authorization"));
    }

    /** Reads the body; with Expect: 100-continue, says 100 Continue first (the client waits for it). */
    private static byte[] body(InputStream in, Map<String, String> headers, boolean expectContinue, OutputStream out) throws IOException {
        if (expectContinue) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        if ("chunked".equalsIgnoreCase(headers.getOrDefault("Transfer-Encoding", ""))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                if (size == 0) {
                    for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                        // trailers are ignored
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(size));
                line(in);
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("Content-Length", "0"));
        return in.readNBytes(length);
    }

    private static void respond(OutputStream out, int code, String reason, String body, Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(code).append(' ').append(reason).append("\r\n");
        if (!headers.containsKey("Content-Type")) {
            head.append("Content-Type: application/json; charset=UTF-8\r\n");
        }
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return c == -1 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static Map<String, String> query(String text) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        fe.close();
        be.close();
        query.close();
        threads.shutdownNow();
    }
}
