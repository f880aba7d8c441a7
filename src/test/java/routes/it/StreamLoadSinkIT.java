package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import routes.sink.streamload.StreamLoadEmulator;
import routes.sink.streamload.StreamLoadEmulator.ColumnDef;

/**
 * A real PostgreSQL source synced by the jar (its own JVM, so kill -9 is real) into the Stream Load emulator through
 * the doris-stream-load-sink kamelet, with the task's state in a second PostgreSQL. Checks the target against the
 * source row by row after a full load, a live workload (inserts, updates, deletes, key changes), kill -9 and
 * restart, and faults the target answers with: -235 too many versions, a lost answer (the batch's label then says
 * it is in), Publish Timeout, a refused row (ErrorURL, kept as a dirty row); and in two-phase commit mode a
 * transaction aborted before its commit.
 */
class StreamLoadSinkIT {

    private static final String LOAD_USER = "loader";
    private static final String LOAD_PASSWORD = "D0ris+&%pw=y";
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private PostgresPair pair;
    private StreamLoadEmulator doris;

    @BeforeEach
    void servers() throws Exception {
        pair = new PostgresPair("streamload");
        doris = StreamLoadEmulator.start(LOAD_USER, LOAD_PASSWORD);
        // As a DBA would have created them (the DDL the sink would run is checked by StreamLoadTablesTest).
        doris.createTable("warehouse", "orders", List.of(new ColumnDef("id", "BIGINT", false), new ColumnDef("status", "VARCHAR(64)", true),
                new ColumnDef("amount", "DECIMAL(12,2)", true), new ColumnDef("qty", "INT", true),
                new ColumnDef("updated_at", "DATETIME(6)", true), new ColumnDef("note", "VARCHAR(200)", true)), List.of("id"));
        doris.createTable("warehouse", "accounts", List.of(new ColumnDef("id", "INT", false), new ColumnDef("balance", "BIGINT", true)),
                List.of("id"));
    }

    @AfterEach
    void stopServers() throws Exception {
        doris.close();
        pair.close();
    }

    @Test
    void fullLoadStreamingFaultsAndKillNine() throws Exception {
        pair.source(Workload.schema(20_000, 100));
        // A note longer than the target's VARCHAR(200): the target refuses this row, the rest of its batch goes in.
        pair.source("INSERT INTO orders VALUES (-1, 'refused', 1.00, 1, now(), repeat('x', 300))");
        doris.failNextLoadsWithTooManyVersions(2);
        doris.dropNextLoadAnswers(1);
        doris.answerNextLoadsWithPublishTimeout(1);

        SyncProcess sync = start("run-1", false);
        awaitTargetRows(sync, "orders", 20_000);
        try (Workload workload = new Workload(pair.source)) {
            Thread.sleep(6_000);
            sync.kill9(); // mid-stream
            assertTrue(workload.transactions() > 50, "the workload ran: " + workload.transactions());
            sync = start("run-2", false);
            Thread.sleep(6_000);
        }
        try (SyncProcess last = sync) {
            assertEquals(List.of(), awaitSameContents(last, Duration.ofMinutes(2)));
            String output = Files.readString(pair.work.resolve("run-1.log")) + last.output();
            assertEquals(100_000L, balanceSum(), "transfers keep the total");

            assertEquals(2, doris.tooManyVersionsAnswered.get());
            assertTrue(output.contains("the target refused for now (Status=Fail, Message=[E-235]"), "-235 was backed off");
            assertEquals(1, doris.answersDropped.get());
            assertTrue(doris.labelAlreadyExistsAnswered.get() >= 1, "the batch whose answer was lost was recognised by its label");
            assertTrue(output.contains("was done before (Label Already Exists, FINISHED)"));
            assertEquals(1, doris.publishTimeoutsAnswered.get());
            assertTrue(doris.loadsRejected.get() >= 1);
            assertFalse(doris.rows("warehouse", "orders").containsKey(List.of("-1")));
            List<String> dirty = dirtyRows();
            assertFalse(dirty.isEmpty(), "the refused row is kept");
            assertTrue(dirty.stream().allMatch(d -> d.startsWith("public.orders|warehouse.orders|UPSERT|{\"id\":-1}|")
                    && d.contains("too long than schema") && d.contains("\"note\":\"xxxx")), dirty.toString());

            assertEquals(0, doris.unauthorized.get(), "credentials reached the BE after every redirect");
            assertEquals(0, doris.loadsWithoutExpect.get());
            assertEquals(0L, doris.bodyBytesSentToFrontend.get());
            assertFalse(output.contains(LOAD_PASSWORD) || output.contains(PostgresPair.PASSWORD), "no password in the output");
        }
    }

    @Test
    void twoPhaseCommitSurvivesAnAbortedTransactionAndKillNine() throws Exception {
        pair.source(Workload.schema(5_000, 100));
        SyncProcess sync = start("tx-1", true);
        awaitTargetRows(sync, "orders", 5_000);
        assertTrue(doris.transactionsCommitted.get() > 0, "loads are precommitted, then committed");
        try (Workload workload = new Workload(pair.source)) {
            Thread.sleep(2_000);
            doris.abortOnNextCommits(1); // as when a precommitted transaction outlived its timeout
            assertTrue(sync.awaitExit(Duration.ofSeconds(60)) == 1, "the task stops on the aborted transaction:\n" + sync.output());
            assertTrue(sync.output().contains("was aborted before it could be committed"), sync.output());

            sync = start("tx-2", true);
            awaitOutput(sync, "could not be committed any more");
            Thread.sleep(5_000);
            sync.kill9();
            sync = start("tx-3", true);
            Thread.sleep(4_000);
        }
        try (SyncProcess last = sync) {
            assertEquals(List.of(), awaitSameContents(last, Duration.ofMinutes(2)));
            assertEquals(100_000L, balanceSum(), "transfers keep the total");
            assertEquals(1, doris.transactionsAborted.get() - abortedOrphans(), "the one injected abort");
            assertFalse(last.output().contains(LOAD_PASSWORD));
        }
    }

    /** Orphans: precommitted by a run killed before it saved them, aborted when their label came round again. */
    private int abortedOrphans() throws Exception {
        String output = Files.readString(pair.work.resolve("tx-2.log")) + Files.readString(pair.work.resolve("tx-3.log"));
        return output.split("did not record it: aborting transaction", -1).length - 1;
    }

    @Test
    void starRocksPrimaryKeyTablesWithOpColumnAcrossKillNine() throws Exception {
        pair.source(Workload.schema(5_000, 100));
        SyncProcess sync = start("starrocks-1", "starrocks-stream-load-sink", "batchTimeoutMs: 500");
        awaitTargetRows(sync, "orders", 5_000);
        try (Workload workload = new Workload(pair.source)) {
            Thread.sleep(4_000);
            sync.kill9();
            sync = start("starrocks-2", "starrocks-stream-load-sink", "batchTimeoutMs: 500");
            Thread.sleep(4_000);
        }
        try (SyncProcess last = sync) {
            assertEquals(List.of(), awaitSameContents(last, Duration.ofMinutes(2)), "deletes arrive through __op");
            assertEquals(100_000L, balanceSum(), "transfers keep the total");
            assertTrue(doris.loadsWithOpColumn.get() > 0, "StarRocks loads name __op in columns");
            // The filtered publication cannot hold a table created now: the table is stopped visibly, not left out.
            pair.source("CREATE TABLE created_later (id int PRIMARY KEY)", "INSERT INTO created_later VALUES (1)");
            awaitOutput(last, "publicationAutocreateMode all_tables");
            assertTrue(last.isAlive(), "the other tables go on:\n" + last.output());
            assertFalse(last.output().contains(LOAD_PASSWORD));
        }
    }

    /**
     * Columns added on the source with a default, the target's DDL going through the FE's MySQL protocol: the rows
     * the target table held read the constant default the source's rows took (a row inserted later with an explicit
     * NULL keeps NULL, although the target column keeps its default); a volatile default stops its table with the
     * reason, and the other tables go on.
     */
    @Test
    void addedColumnsWithADefaultFillTheTargetRowsOrStopTheirTable() throws Exception {
        pair.source("CREATE TABLE members (id int PRIMARY KEY, name text)",
                "INSERT INTO members SELECT i, 'm' || i FROM generate_series(1, 300) i",
                "CREATE TABLE events (id int PRIMARY KEY, v int)", "INSERT INTO events SELECT i, i FROM generate_series(1, 20) i");
        try (SyncProcess sync = start("defaults", "doris-stream-load-sink", "ddlJdbcUrl: \"" + doris.ddlJdbcUrl() + "\"")) {
            awaitTargetRows(sync, "members", 300);
            awaitTargetRows(sync, "events", 20);
            pair.source("ALTER TABLE members ADD COLUMN tier smallint DEFAULT 2, ADD COLUMN label text DEFAULT 'it''s \\ \"q\"', "
                            + "ADD COLUMN active boolean DEFAULT true",
                    "INSERT INTO members (id, name, tier, label, active) VALUES (1001, 'explicit null', NULL, NULL, NULL)",
                    "UPDATE members SET name = 'changed' WHERE id = 1",
                    "ALTER TABLE events ADD COLUMN token double precision DEFAULT random()", "UPDATE events SET v = 0 WHERE id = 1");
            assertEquals(List.of(), awaitSameContents(sync, Duration.ofMinutes(1), "members"));
            assertEquals(300L, doris.rows("warehouse", "members").values().stream()
                    .filter(r -> "2".equals(r.get("tier")) && "it's \\ \"q\"".equals(r.get("label")) && "true".equals(r.get("active"))).count());
            assertTrue(doris.statements.contains("ALTER TABLE `warehouse`.`members` ADD COLUMN `tier` SMALLINT NULL DEFAULT \"2\""),
                    doris.statements.toString());

            List<String> stopped = awaitStopped(sync);
            assertTrue(stopped.get(0).startsWith("public.events|column token was added to public.events, and its default random() is "
                    + "volatile") && stopped.get(0).contains("Reload the task"), stopped.toString());
            assertEquals("1", doris.rows("warehouse", "events").get(List.of("1")).get("v"), "nothing loaded after the stop");
            pair.source("UPDATE members SET name = 'after the stop' WHERE id = 2");
            assertEquals(List.of(), awaitSameContents(sync, Duration.ofMinutes(1), "members"), "the other tables go on");
        }
    }

    /**
     * Columns dropped, renamed and retyped on the source follow their policies on the target, through the FE's MySQL
     * protocol: with dropColumn=apply the column goes; a renamed column keeps its values under its new name; a type
     * widened on the source is widened in place; a type the target cannot change in place stops only its table.
     */
    @Test
    void droppedRenamedAndRetypedColumnsFollowTheirPolicies() throws Exception {
        pair.source("CREATE TABLE members (id int PRIMARY KEY, name varchar(20), tier smallint, legacy text)",
                "INSERT INTO members SELECT i, 'm' || i, 1, 'l' || i FROM generate_series(1, 50) i",
                "CREATE TABLE events (id int PRIMARY KEY, v bigint)", "INSERT INTO events SELECT i, i FROM generate_series(1, 5) i");
        try (SyncProcess sync = start("columns", "doris-stream-load-sink", "ddlJdbcUrl: \"" + doris.ddlJdbcUrl() + "\"\n"
                + " ".repeat(14) + "schemaChanges: \"dropColumn=apply\"")) {
            awaitTargetRows(sync, "members", 50);
            awaitTargetRows(sync, "events", 5);
            pair.source("ALTER TABLE members DROP COLUMN legacy", "ALTER TABLE members RENAME COLUMN name TO full_name",
                    "ALTER TABLE members ALTER COLUMN tier TYPE bigint", "UPDATE members SET tier = 5000000000, full_name = 'renamed' WHERE id = 1",
                    "ALTER TABLE events ALTER COLUMN v TYPE int", "UPDATE events SET v = 0 WHERE id = 1");
            assertEquals(List.of(), awaitSameContents(sync, Duration.ofMinutes(1), "members"));
            assertEquals("m2", doris.rows("warehouse", "members").get(List.of("2")).get("full_name"), "renamed, values kept");
            for (String statement : List.of("ALTER TABLE `warehouse`.`members` DROP COLUMN `legacy`",
                    "ALTER TABLE `warehouse`.`members` RENAME COLUMN `name` `full_name`",
                    "ALTER TABLE `warehouse`.`members` MODIFY COLUMN `tier` BIGINT NULL")) {
                assertTrue(doris.statements.contains(statement), statement + " in " + doris.statements);
            }
            List<String> stopped = awaitStopped(sync);
            assertTrue(stopped.get(0).startsWith("public.events|") && stopped.get(0).contains("from BIGINT to INT in place"), stopped.toString());
            assertEquals("1", doris.rows("warehouse", "events").get(List.of("1")).get("v"), "nothing loaded after the stop");
            pair.source("UPDATE members SET full_name = 'after the stop' WHERE id = 2");
            assertEquals(List.of(), awaitSameContents(sync, Duration.ofMinutes(1), "members"), "the other tables go on");
        }
    }

    /** The STOPPED rows of table_status (source table|reason), once there is one. */
    private List<String> awaitStopped(SyncProcess sync) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            List<String> rows = new ArrayList<>();
            try (Connection c = pair.target.connect("warehouse"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT source_table || '|' || reason FROM realtime_sync.table_status WHERE task = 'pg-to-doris' AND status = 'STOPPED'")) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            if (!rows.isEmpty()) {
                return rows;
            }
            assertTrue(sync.isAlive() && System.nanoTime() < deadline, "waiting for a stopped table:\n" + sync.output());
            Thread.sleep(200);
        }
    }

    private SyncProcess start(String name, boolean twoPhaseCommit) throws Exception {
        return start(name, "doris-stream-load-sink", "twoPhaseCommit: " + twoPhaseCommit);
    }

    private SyncProcess start(String name, String sink, String lastParameter) throws Exception {
        String task = """
                - route:
                    id: postgres-to-doris
                    from:
                      uri: "kamelet:postgres-cdc-source"
                      parameters:
                        task: pg-to-doris
                        databaseHostname: "{{SOURCE_HOST}}"
                        databasePort: "{{SOURCE_PORT}}"
                        databaseDbname: "{{SOURCE_DATABASE}}"
                        databaseUser: "{{SOURCE_USER}}"
                        databasePassword: "RAW({{SOURCE_PASSWORD}})"
                        schemaIncludeList: public
                        maxBatchSize: 4096
                      steps:
                        - to:
                            uri: "kamelet:%s"
                            parameters:
                              task: pg-to-doris
                              loadUrl: "{{DORIS_LOAD_URL}}"
                              database: warehouse
                              username: "{{DORIS_USER}}"
                              password: "RAW({{DORIS_PASSWORD}})"
                              stateJdbcUrl: "{{TARGET_JDBC_URL}}"
                              stateUsername: "{{TARGET_USER}}"
                              statePassword: "RAW({{TARGET_PASSWORD}})"
                              batchTimeoutMs: 500
                              loadIntervalMs: 300
                              %s
                """.formatted(sink, lastParameter);
        Path file = pair.work.resolve(name + ".yaml");
        Files.writeString(file, task);
        Map<String, String> env = new LinkedHashMap<>(pair.environment());
        env.put("DORIS_LOAD_URL", doris.frontendUrl());
        env.put("DORIS_USER", LOAD_USER);
        env.put("DORIS_PASSWORD", LOAD_PASSWORD);
        return SyncProcess.start(pair.work.resolve(name + ".log"), env, "run", file.toString());
    }

    /** Waits until both tables hold the source's rows (the refused row aside); returns the differences left. */
    private List<String> awaitSameContents(SyncProcess sync, Duration timeout) throws Exception {
        return awaitSameContents(sync, timeout, "orders", "accounts");
    }

    private List<String> awaitSameContents(SyncProcess sync, Duration timeout, String... tables) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            assertTrue(sync.isAlive(), "the sync process ended:\n" + sync.output());
            List<String> differing = new ArrayList<>();
            for (String table : tables) {
                Map<List<String>, Map<String, String>> source = sourceRows(table);
                Map<List<String>, Map<String, String>> target = doris.rows("warehouse", table);
                if (!source.equals(target)) {
                    differing.add(table + ": source " + source.size() + " rows, target " + target.size() + ", e.g. " + firstDifference(source, target));
                }
            }
            if (differing.isEmpty() || System.nanoTime() > deadline) {
                return differing;
            }
            Thread.sleep(500);
        }
    }

    private static String firstDifference(Map<List<String>, Map<String, String>> source, Map<List<String>, Map<String, String>> target) {
        for (Map.Entry<List<String>, Map<String, String>> row : source.entrySet()) {
            if (!row.getValue().equals(target.get(row.getKey()))) {
                return "source " + row.getValue() + " target " + target.get(row.getKey());
            }
        }
        return target.keySet().stream().filter(k -> !source.containsKey(k)).findFirst().map(k -> "extra on target " + target.get(k)).orElse("-");
    }

    /** The source's rows as text the way the target shows them. */
    private Map<List<String>, Map<String, String>> sourceRows(String table) throws SQLException {
        Map<List<String>, Map<String, String>> rows = new LinkedHashMap<>();
        try (Connection c = pair.source.connect("shop"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE id <> -1 ORDER BY id")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    if (value instanceof java.sql.Timestamp) {
                        value = rs.getObject(i, LocalDateTime.class);
                    }
                    row.put(meta.getColumnName(i), text(value));
                }
                rows.put(List.of(row.get("id")), row);
            }
        }
        return rows;
    }

    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof LocalDateTime time) {
            return SECONDS.format(time) + String.format(".%06d", time.getNano() / 1000); // as DATETIME(6) shows it
        }
        return value.toString();
    }

    private List<String> dirtyRows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = pair.target.connect("warehouse"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT source_table, target_table, operation, row_key, row_data, error FROM realtime_sync.dirty_rows WHERE task = 'pg-to-doris'")) {
            while (rs.next()) {
                rows.add(String.join("|", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
            }
        }
        return rows;
    }

    private long balanceSum() {
        return doris.rows("warehouse", "accounts").values().stream().mapToLong(r -> Long.parseLong(r.get("balance"))).sum();
    }

    private void awaitTargetRows(SyncProcess sync, String table, int rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (doris.rows("warehouse", table).size() < rows) {
            assertTrue(sync.isAlive() && System.nanoTime() < deadline, "waiting for " + rows + " rows in " + table + ":\n" + sync.output());
            Thread.sleep(200);
        }
    }

    private static void awaitOutput(SyncProcess sync, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!sync.output().contains(text)) {
            assertTrue(sync.isAlive() && System.nanoTime() < deadline, "waiting for '" + text + "':\n" + sync.output());
            Thread.sleep(200);
        }
    }
}
