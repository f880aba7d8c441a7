package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.demo.EmbeddedPostgresServer;

/**
 * A real MariaDB (binlog ROW/FULL, MariaDB connector) into the targets that are not a mirror in PostgreSQL: an append
 * log (every change exactly once across kill -9, numbered by binlog position), a DuckDB file, and Kafka (the schema
 * history kept in Kafka's state topic, a column added while the task runs and across a kill -9).
 */
class MariaDbToNewTargetsIT {

    private static final int ROUNDS = 1000;
    private static EmbeddedMariaDb source;
    private static EmbeddedPostgresServer target;
    private static EmbeddedKafka kafka;
    private static Path work;

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("rs-it-mariadb-targets");
        source = new EmbeddedMariaDb();
        target = EmbeddedPostgresServer.start(work.resolve("target"));
        target.createDatabase("journal");
        kafka = EmbeddedKafka.start(work.resolve("kafka"));
        source.execute("", "CREATE DATABASE shop");
    }

    @AfterAll
    static void stopServers() throws Exception {
        kafka.close();
        source.close();
        target.close();
    }

    /** examples/mysql-to-postgres.yaml with another task name and sink. */
    private static SyncProcess start(String name, String task, String sink, Map<String, String> env) throws Exception {
        String example = Files.readString(Path.of("examples/mysql-to-postgres.yaml")).replace("task: mysql-to-postgres", "task: " + task)
                .replace("kamelet:jdbc-merge-sink", sink);
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, example);
        Map<String, String> all = source.sourceEnvironment("shop");
        all.putAll(env);
        return SyncProcess.start(work.resolve(name + ".log"), all, "run", file.toString());
    }

    @Test
    void appendLogHoldsEveryBinlogChangeOnce() throws Exception {
        source.execute("shop", "CREATE TABLE items (id INT PRIMARY KEY, qty INT NOT NULL, note VARCHAR(20))",
                "INSERT INTO items SELECT seq, 0, 'loaded' FROM seq_1_to_200");
        Map<String, String> env = Map.of("TARGET_JDBC_URL", target.jdbcUrl("journal"), "TARGET_USER", "postgres",
                "TARGET_PASSWORD", PostgresPair.PASSWORD);
        try (SyncProcess first = start("append-1", "mariadb-journal", "kamelet:jdbc-append-log-sink", env)) {
            awaitRows("SELECT count(*) FROM public.items", 200, first);
            source.execute("shop", "INSERT INTO items VALUES (0, 0, 'streamed')");
            // The full load is over once a change made after the start arrives from the binlog (above 2^42).
            awaitRows("SELECT count(*) FROM public.items WHERE id = 0 AND sequence_id > 4398046511104", 1, first);
            Thread feeder = new Thread(MariaDbToNewTargetsIT::changes);
            feeder.start();
            awaitRows("SELECT count(*) FROM public.items", 200 + 1 + 600, first);
            first.kill9();
            assertTrue(Long.parseLong(journal("SELECT count(*) FROM public.items").get(0)) < 200 + 4 * ROUNDS,
                    "the crash came before the last change was written");
            feeder.join();
        }
        source.execute("shop", "INSERT INTO items VALUES (-1, -1, 'fence')");
        try (SyncProcess second = start("append-2", "mariadb-journal", "kamelet:jdbc-append-log-sink", env)) {
            awaitRows("SELECT count(*) FROM public.items WHERE id = -1", 1, second);
            // The binlog holds whole rows: an update appends its before and after image, a delete its before image.
            assertEquals(List.of("D|Y|N|" + ROUNDS, "I|N|Y|" + (200 + ROUNDS + 2), "U|N|Y|" + ROUNDS, "U|Y|N|" + ROUNDS), journal(
                    "SELECT operation_type || '|' || before_image || '|' || after_image || '|' || count(*) FROM public.items "
                            + "GROUP BY operation_type, before_image, after_image ORDER BY 1"));
            List<String> replayed = journal("SELECT id || '|' || qty || '|' || coalesce(note, '-') FROM (SELECT DISTINCT ON (id) * "
                    + "FROM public.items ORDER BY id, sequence_id DESC) last WHERE operation_type <> 'D' ORDER BY id");
            List<String> onSource = new ArrayList<>();
            try (Connection c = source.connect("shop"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT CONCAT(id, '|', qty, '|', coalesce(note, '-')) FROM items ORDER BY id")) {
                while (rs.next()) {
                    onSource.add(rs.getString(1));
                }
            }
            assertEquals(onSource, replayed, "replaying the log in sequence_id order gives the source table");
        }
    }

    @Test
    void duckDbHoldsMariaDbValues() throws Exception {
        source.execute("shop",
                """
                CREATE TABLE typed (id BIGINT PRIMARY KEY, amount DECIMAL(12,2), created_at DATETIME(6), note TEXT, flag BOOLEAN,
                                    payload JSON, paid_at TIMESTAMP(6) NULL, took TIME(6), big BIGINT UNSIGNED,
                                    e ENUM('a','b'), bin VARBINARY(8), `Größe` VARCHAR(10))""",
                """
                INSERT INTO typed SELECT seq, IF(seq % 6 = 0, -seq * 1.01, seq * 0.37),
                       TIMESTAMP '2020-02-28 23:59:59.123456' + INTERVAL seq HOUR + INTERVAL seq MICROSECOND,
                       IF(seq % 100 = 0, NULL, MD5(seq)), seq % 2 = 0, JSON_OBJECT('a', seq, 'b', MD5(seq)),
                       TIMESTAMP '2024-03-10 06:30:00.5' + INTERVAL seq MINUTE, SEC_TO_TIME(seq * 37) + INTERVAL seq MICROSECOND,
                       18446744073709551615 - seq, IF(seq % 2 = 0, 'a', 'b'), UNHEX(HEX(seq)), 'ä'
                  FROM seq_1_to_2000""");
        Path duckDb = work.resolve("warehouse.duckdb");
        Map<String, String> env = Map.of("TARGET_JDBC_URL", "jdbc:duckdb:" + duckDb, "TARGET_USER", "", "TARGET_PASSWORD", "");
        try (SyncProcess sync = start("duckdb-1", "mariadb-duckdb", "kamelet:jdbc-merge-sink", env)) {
            Thread.sleep(12_000);
            source.execute("shop", "UPDATE typed SET amount = amount + 1, took = '-838:59:59', note = NULL WHERE id % 10 = 1",
                    "DELETE FROM typed WHERE id % 7 = 0", "INSERT INTO typed (id, amount) VALUES (-1, 0)");
            Thread.sleep(5_000);
            assertTrue(sync.isAlive(), sync.output());
            sync.stop();
        }
        try (Connection s = source.connect("shop"); Connection t = DriverManager.getConnection("jdbc:duckdb:" + duckDb)) {
            List<String> onSource = CanonicalRows.of(s, "shop.typed", "id", Set.of("payload"));
            List<String> onTarget = CanonicalRows.of(t, "public.typed", "id", Set.of("payload"));
            assertEquals(onSource.size(), onTarget.size());
            for (int i = 0; i < onSource.size(); i++) {
                assertEquals(onSource.get(i), onTarget.get(i));
            }
        }
    }

    @Test
    void kafkaHoldsEveryChangeOnceAcrossASchemaChangeAndKillNine() throws Exception {
        source.execute("shop", "CREATE TABLE shipments (id INT PRIMARY KEY, qty INT NOT NULL)",
                "INSERT INTO shipments SELECT seq, 0 FROM seq_1_to_300");
        String task = Files.readString(Path.of("examples/mysql-to-postgres.yaml"))
                .replace("task: mysql-to-postgres", "task: mariadb-kafka")
                .replace("databaseIncludeList: \"{{SOURCE_DATABASE}}\"", "databaseIncludeList: \"{{SOURCE_DATABASE}}\"\n        tableIncludeList: shop\\.shipments")
                .replace("kamelet:jdbc-merge-sink", "kamelet:kafka-sink")
                .replace("jdbcUrl: \"{{TARGET_JDBC_URL}}\"", "bootstrapServers: \"{{KAFKA_BOOTSTRAP_SERVERS}}\"")
                .replaceAll("(?m)^ *(username|password|targetSchema): .*\n", "");
        assertTrue(task.contains("kamelet:kafka-sink") && task.contains("tableIncludeList"), task);
        Path file = work.resolve("kafka.yaml");
        Files.writeString(file, task);
        Map<String, String> env = source.sourceEnvironment("shop");
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        String topic = "mariadb-kafka.shop.shipments";
        try (SyncProcess first = SyncProcess.start(work.resolve("kafka-1.log"), env, "run", file.toString())) {
            awaitRecords(first, topic, 300);
            source.execute("shop", "ALTER TABLE shipments ADD COLUMN note VARCHAR(20)",
                    "UPDATE shipments SET qty = 1, note = 'added' WHERE id <= 100", "DELETE FROM shipments WHERE id > 250");
            awaitRecords(first, topic, 300 + 100 + 50);
            first.kill9();
        }
        // While the task is away: changes to the new column's table, then the restart reads them with the saved history.
        source.execute("shop", "UPDATE shipments SET qty = 2, note = 'away' WHERE id BETWEEN 101 AND 150",
                "INSERT INTO shipments VALUES (1000, 7, 'new')");
        try (SyncProcess second = SyncProcess.start(work.resolve("kafka-2.log"), env, "run", file.toString())) {
            List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> records = awaitRecords(second, topic, 300 + 100 + 50 + 50 + 1);
            Thread.sleep(2_000);
            records = kafka.readCommitted(topic);
            long changes = records.stream().filter(r -> r.value() != null).count();
            assertEquals(300 + 100 + 50 + 50 + 1, changes, "one record per source change: " + changes);
            Map<String, String> newest = new java.util.TreeMap<>();
            for (var record : records) {
                if (record.value() == null) {
                    newest.remove(record.key());
                    continue;
                }
                com.fasterxml.jackson.databind.JsonNode after = new com.fasterxml.jackson.databind.ObjectMapper().readTree(record.value()).get("after");
                if (after == null || after.isNull()) {
                    newest.remove(record.key());
                } else {
                    newest.put(record.key(), after.get("id").asText() + "|" + after.get("qty").asText() + "|"
                            + (after.hasNonNull("note") ? after.get("note").asText() : "-"));
                }
            }
            List<String> onSource = new ArrayList<>();
            try (Connection c = source.connect("shop"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT CONCAT(id, '|', qty, '|', coalesce(note, '-')) FROM shipments ORDER BY id")) {
                while (rs.next()) {
                    onSource.add(rs.getString(1));
                }
            }
            assertEquals(onSource, newest.values().stream().sorted(java.util.Comparator.comparingInt(v -> Integer.parseInt(v.split("\\|")[0])))
                    .toList(), "the newest record per key is the source row");
        }
    }

    private static List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> awaitRecords(SyncProcess sync, String topic,
            int atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            assertTrue(sync.isAlive(), sync.output());
            var records = kafka.topics().contains(topic) ? kafka.readCommitted(topic) : List.<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>>of();
            if (records.stream().filter(r -> r.value() != null).count() >= atLeast) {
                return records;
            }
            assertTrue(System.nanoTime() < deadline, topic + " has " + records.size() + " records, not " + atLeast + ":\n" + sync.output());
            Thread.sleep(500);
        }
    }

    /**
     * ROUNDS changes of each kind, in transactions of 30 (ten rows inserted, updated, and ten older ones deleted),
     * so that capture batches, commits and the crash fall inside transactions.
     */
    private static void changes() {
        for (int t = 0; t < ROUNDS / 10; t++) {
            List<String> statements = new ArrayList<>(List.of("BEGIN"));
            for (int j = 1; j <= 10; j++) {
                int i = t * 10 + j;
                statements.add("INSERT INTO items VALUES (" + (1000 + i) + ", 0, 'new')");
                statements.add("UPDATE items SET qty = qty + 1, note = NULL WHERE id = " + (1000 + i));
                statements.add("DELETE FROM items WHERE id = " + (i <= 200 ? i : 1000 + i - 200));
            }
            statements.add("COMMIT");
            try {
                source.execute("shop", statements.toArray(String[]::new));
                Thread.sleep(20);
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<String> journal(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = target.connect("journal"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static void awaitRows(String sql, long rows, SyncProcess sync) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            assertTrue(sync.isAlive(), sync.output());
            try {
                if (Long.parseLong(journal(sql).get(0)) >= rows) {
                    return;
                }
            } catch (SQLException e) {
                // not created yet
            }
            assertTrue(System.nanoTime() < deadline, "waiting for " + sql + "\n" + sync.output());
            Thread.sleep(300);
        }
    }
}
