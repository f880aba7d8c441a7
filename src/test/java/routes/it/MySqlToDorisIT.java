package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import routes.demo.EmbeddedPostgresServer;
import routes.sink.streamload.StreamLoadEmulator;
import routes.sink.streamload.StreamLoadEmulator.ColumnDef;

/**
 * examples/mysql-to-doris.yaml as it is, from a real MariaDB (binlog, Debezium's MariaDB connector, schema history in
 * the state database) into the Stream Load emulator: full load, changes, kill -9 and restart.
 */
class MySqlToDorisIT {

    private Path work;
    private EmbeddedMariaDb source;
    private EmbeddedPostgresServer state;
    private StreamLoadEmulator doris;

    @BeforeEach
    void servers() throws Exception {
        work = Files.createTempDirectory("rs-it-mysql-doris");
        source = new EmbeddedMariaDb();
        state = EmbeddedPostgresServer.start(work.resolve("state"));
        state.createDatabase("sync_state");
        doris = StreamLoadEmulator.start("loader", "L0ad+er&pw");
        doris.createTable("warehouse", "orders", List.of(new ColumnDef("id", "BIGINT", false), new ColumnDef("status", "VARCHAR(64)", true),
                new ColumnDef("amount", "DECIMAL(12,2)", true), new ColumnDef("updated_at", "DATETIME(6)", true),
                new ColumnDef("note", "STRING", true)), List.of("id"));
        source.execute("", "CREATE DATABASE shop");
        source.execute("shop", "CREATE TABLE orders (id BIGINT PRIMARY KEY, status VARCHAR(16), amount DECIMAL(12,2), "
                + "updated_at DATETIME(6), note TEXT)",
                "INSERT INTO orders SELECT seq, 'new', seq * 0.37, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND, "
                        + "CONCAT('n', seq) FROM seq_1_to_3000");
    }

    @AfterEach
    void stopServers() throws Exception {
        doris.close();
        state.close();
        source.close();
    }

    @Test
    void exampleTaskFullLoadChangesAndKillNine() throws Exception {
        SyncProcess sync = start("run-1");
        awaitRows(sync, 3_000);
        source.execute("shop", "UPDATE orders SET status = 'paid', updated_at = '2024-05-06 07:08:09.123456' WHERE id % 3 = 0",
                "DELETE FROM orders WHERE id % 10 = 0", "INSERT INTO orders VALUES (5000, 'new', 1.25, NOW(6), NULL)");
        Thread.sleep(2_000);
        sync.kill9();
        source.execute("shop", "UPDATE orders SET id = id + 10000 WHERE id BETWEEN 100 AND 120", "DELETE FROM orders WHERE id = 5000",
                "UPDATE orders SET note = 'after the kill' WHERE id % 7 = 0");
        try (SyncProcess second = start("run-2")) {
            assertEquals(Map.of(), awaitSame(second, Duration.ofMinutes(2)));
            assertTrue(stateCount("schema_history") > 0, "the schema history is kept in the state database");
            assertEquals(2L, stateCount("source_offsets"), "Debezium's offset and the sink's ledger entry");
            assertTrue(second.output().contains("resuming from the saved position"), second.output());
        }
    }

    private SyncProcess start(String name) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(source.sourceEnvironment("shop"));
        env.put("DORIS_FE_HTTP", doris.frontendUrl());
        env.put("TARGET_DATABASE", "warehouse");
        env.put("DORIS_USER", "loader");
        env.put("DORIS_PASSWORD", "L0ad+er&pw");
        env.put("STATE_JDBC_URL", state.jdbcUrl("sync_state"));
        env.put("STATE_USER", "postgres");
        env.put("STATE_PASSWORD", PostgresPair.PASSWORD);
        return SyncProcess.start(work.resolve(name + ".log"), env, "run", "examples/mysql-to-doris.yaml");
    }

    /** The differing rows (source row vs target row by key) once the wait is over; empty when equal. */
    private Map<List<String>, String> awaitSame(SyncProcess sync, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            assertTrue(sync.isAlive(), sync.output());
            Map<List<String>, Map<String, String>> expected = sourceRows();
            Map<List<String>, Map<String, String>> actual = doris.rows("warehouse", "orders");
            if (expected.equals(actual) || System.nanoTime() > deadline) {
                Map<List<String>, String> differing = new LinkedHashMap<>();
                expected.forEach((k, v) -> {
                    if (!v.equals(actual.get(k))) {
                        differing.put(k, v + " vs " + actual.get(k));
                    }
                });
                actual.keySet().stream().filter(k -> !expected.containsKey(k)).forEach(k -> differing.put(k, "only on the target"));
                return differing;
            }
            Thread.sleep(500);
        }
    }

    private Map<List<String>, Map<String, String>> sourceRows() throws Exception {
        Map<List<String>, Map<String, String>> rows = new LinkedHashMap<>();
        try (Connection c = source.connect("shop"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM orders")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = meta.getColumnTypeName(i).startsWith("DATETIME") ? rs.getObject(i, LocalDateTime.class) : rs.getObject(i);
                    row.put(meta.getColumnLabel(i), StreamLoadSinkIT.text(value));
                }
                rows.put(List.of(row.get("id")), row);
            }
        }
        return rows;
    }

    private long stateCount(String table) throws Exception {
        try (Connection c = state.connect("sync_state"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM realtime_sync." + table + " WHERE task = 'mysql-to-doris'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void awaitRows(SyncProcess sync, int rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (doris.rows("warehouse", "orders").size() < rows) {
            assertTrue(sync.isAlive() && System.nanoTime() < deadline, sync.output());
            Thread.sleep(200);
        }
    }
}
