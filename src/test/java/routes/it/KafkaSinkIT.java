package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.change.TableId;
import routes.demo.EmbeddedPostgresServer;
import routes.state.SyncTask;
import routes.state.TableState;
import routes.state.TaskPhase;
import routes.state.TaskRegistry;

/**
 * The example task examples/postgres-to-kafka.yaml, run as users run it (its own JVM, killed with kill -9), from a
 * real PostgreSQL server into a real Kafka broker (KRaft, in this JVM). A trigger on the source logs every change
 * (into a schema the task does not capture), so the test knows exactly which records Kafka must hold.
 */
class KafkaSinkIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ORDERS = 20_000;

    private static Path work;
    private static EmbeddedPostgresServer source;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("rs-it-kafka");
        source = EmbeddedPostgresServer.start(work.resolve("source"));
        kafka = EmbeddedKafka.start(work);
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (source != null) {
            source.close();
        }
    }

    /**
     * Full load, then a live workload (inserts, updates, deletes, primary-key changes, transfers) with two kill -9s
     * of the sync mid-stream: a read_committed consumer finds exactly one record per source change, in source order
     * per key, each delete followed by one tombstone, and the newest record of every key equal to the source's row.
     */
    @Test
    void exactlyOnceInOrderAcrossKillNine() throws Exception {
        source.createDatabase("shop");
        sql("shop", Workload.schema(ORDERS, 100));
        sql("shop", auditTrigger("orders"), auditTrigger("accounts").replace("CREATE SCHEMA audit;", ""));
        Path task = taskFile("pg-kafka-once", List.of(), List.of());
        SyncProcess sync = start(task, "once-1", "shop");
        awaitRecords(sync, "pg-kafka-once.public.orders", ORDERS);

        long aborted = 0;
        try (Workload workload = new Workload(source)) {
            for (int run = 2; run <= 3; run++) {
                Thread.sleep(4_000);
                assertTrue(sync.isAlive(), sync.output());
                sync.kill9();
                sync = start(task, "once-" + run, "shop");
            }
            Thread.sleep(3_000);
            assertTrue(workload.transactions() > 50, "the workload ran: " + workload.transactions());
        }
        try (SyncProcess last = sync) {
            for (String table : List.of("orders", "accounts")) {
                String topic = "pg-kafka-once.public." + table;
                Map<Long, List<String>> expected = audit("shop", table);
                long changes = expected.values().stream().mapToLong(List::size).sum();
                List<ConsumerRecord<String, String>> records = awaitChanges(last, topic, changes);
                Map<Long, List<String>> written = new TreeMap<>();
                Map<Long, JsonNode> newest = new HashMap<>();
                int reads = 0;
                for (ConsumerRecord<String, String> record : records) {
                    long id = JSON.readTree(record.key()).get("id").asLong();
                    if (record.value() == null) {
                        List<String> ops = written.get(id);
                        assertTrue(ops != null && ops.get(ops.size() - 1).equals("d"), "a tombstone follows only a delete of " + id);
                        ops.add("tombstone");
                        newest.remove(id);
                        continue;
                    }
                    JsonNode value = JSON.readTree(record.value());
                    String op = value.get("op").asText();
                    if (op.equals("r")) {
                        reads++;
                    } else {
                        written.computeIfAbsent(id, k -> new ArrayList<>()).add(op);
                    }
                    if (op.equals("d")) {
                        assertEquals(id, value.get("before").get("id").asLong());
                        newest.remove(id);
                    } else {
                        newest.put(id, value.get("after"));
                    }
                }
                written.values().forEach(ops -> ops.removeIf("tombstone"::equals));
                assertEquals(table.equals("orders") ? ORDERS : 100, reads, "one full-load record per row of " + table);
                assertEquals(expected, written, "exactly the source's changes of " + table + ", in order per key");
                assertEquals(sourceRows("shop", table), compacted(newest), "the newest record per key is the source's row");
            }
            aborted = kafka.readUncommitted("pg-kafka-once.public.orders").size() - kafka.readCommitted("pg-kafka-once.public.orders").size();
            System.out.println("KafkaSinkIT: records of aborted transactions left by the kill -9s (invisible to read_committed): "
                    + aborted);
            assertFalse(last.output().contains(PostgresPair.PASSWORD), "no secret in the output");
        }
    }

    /**
     * canal-json, a table whose name Kafka cannot hold as it is, and a row too large for its topic: the row goes to
     * the dead-letter topic with its reason while the table and the others go on.
     */
    @Test
    void canalJsonTopicNamesAndDeadLetters() throws Exception {
        source.createDatabase("shop2");
        sql("shop2",
                "CREATE TABLE \"Order Lines\" (id int PRIMARY KEY, product text, price numeric(30,10), at timestamptz)",
                "INSERT INTO \"Order Lines\" VALUES (1, 'tea', 12345678901234567890.0123456789, '2024-05-01 12:30:00.25+02')",
                "CREATE TABLE notes (id int PRIMARY KEY, body text)",
                "ALTER TABLE notes ALTER COLUMN body SET STORAGE EXTERNAL",
                "INSERT INTO notes VALUES (1, 'short')",
                "CREATE TABLE no_key (v int)");
        Path task = taskFile("pg-kafka-canal", List.of("slotName: realtime_sync_canal"),
                List.of("format: canal-json", "timestampFormat: SQL", "deadLetterTopic: pg-kafka-canal.dead"));
        try (SyncProcess sync = start(task, "canal", "shop2")) {
            String lines = "pg-kafka-canal.public.Order_Lines";
            awaitRecords(sync, lines, 1);
            awaitRecords(sync, "pg-kafka-canal.public.notes", 1);
            sql("shop2",
                    "UPDATE \"Order Lines\" SET price = 0.5 WHERE id = 1",
                    "INSERT INTO notes SELECT 2, string_agg(md5(i::text), '') FROM generate_series(1, 40000) i", // 1.28 MB
                    "INSERT INTO notes VALUES (3, 'after the large one')",
                    "DELETE FROM \"Order Lines\" WHERE id = 1");
            List<ConsumerRecord<String, String>> records = awaitRecords(sync, lines, 4); // read, update, delete, tombstone
            JsonNode read = JSON.readTree(records.get(0).value());
            assertEquals("INSERT", read.get("type").asText());
            assertEquals("public", read.get("database").asText());
            assertEquals("Order Lines", read.get("table").asText());
            assertEquals("[\"id\"]", read.get("pkNames").toString());
            JsonNode row = read.get("data").get(0);
            assertEquals("12345678901234567890.0123456789", row.get("price").textValue(), "decimals exact, as text");
            assertEquals("2024-05-01 10:30:00.25+00", row.get("at").textValue(), "PostgreSQL's own text of the instant");
            JsonNode update = JSON.readTree(records.get(1).value());
            assertEquals("UPDATE", update.get("type").asText());
            assertEquals("0.5000000000", update.get("data").get(0).get("price").textValue());
            assertEquals("[{}]", update.get("old").toString(), "no old row without REPLICA IDENTITY FULL");
            JsonNode delete = JSON.readTree(records.get(2).value());
            assertEquals("DELETE", delete.get("type").asText());
            assertEquals(1, delete.get("data").get(0).get("id").asInt());
            assertEquals(null, records.get(3).value());

            List<ConsumerRecord<String, String>> notes = awaitRecords(sync, "pg-kafka-canal.public.notes", 2);
            assertEquals(List.of("{\"id\":1}", "{\"id\":3}"), notes.stream().map(ConsumerRecord::key).toList());
            List<ConsumerRecord<String, String>> dead = awaitRecords(sync, "pg-kafka-canal.dead", 1);
            JsonNode letter = JSON.readTree(dead.get(0).value());
            assertEquals("{\"id\":2}", dead.get(0).key());
            assertEquals("public.notes", letter.get("table").asText());
            assertEquals("insert", letter.get("operation").asText());
            assertTrue(letter.get("reason").asText().contains("more than the 1048576"), letter.toString());
            assertTrue(letter.get("position").asText().startsWith("lsn:"), letter.toString());
            assertTrue(sync.output().contains("table public.no_key has no primary key"), sync.output());
            assertTrue(sync.isAlive(), sync.output());
        }
    }

    /**
     * kill -9 during the full load, then rows deleted and changed on the source before the restart: Debezium reads
     * every table again, and the rows the first attempt wrote are retracted first, so the newest record of every key
     * is the source's row and no row deleted in between is left.
     */
    @Test
    void fullLoadInterruptedByKillNineLeavesNoStaleRows() throws Exception {
        int items = 200_000;
        source.createDatabase("shop4");
        sql("shop4", "CREATE TABLE items (id bigint PRIMARY KEY, name text)",
                "INSERT INTO items SELECT i, md5(i::text) FROM generate_series(1, " + items + ") i");
        Path task = taskFile("pg-kafka-reload", List.of("slotName: realtime_sync_reload"), List.of());
        String topic = "pg-kafka-reload.public.items";
        SyncProcess sync = start(task, "reload-1", "shop4");
        awaitRecords(sync, topic, 1);
        sync.kill9();
        int partial = kafka.readCommitted(topic).size();
        assertTrue(partial > 0 && partial < items, "killed during the full load, the topic had " + partial);
        sql("shop4", "DELETE FROM items WHERE id <= 5000", "UPDATE items SET name = 'changed' WHERE id = 6000");
        try (SyncProcess again = start(task, "reload-2", "shop4")) {
            Map<Long, Map<String, String>> expected = sourceRows("shop4", "items");
            Map<Long, Map<String, String>> held = Map.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!held.equals(expected) && System.nanoTime() < deadline) {
                assertTrue(again.isAlive(), again.output());
                Thread.sleep(2_000);
                Map<Long, JsonNode> newest = new HashMap<>();
                for (ConsumerRecord<String, String> record : kafka.readCommitted(topic)) {
                    long id = JSON.readTree(record.key()).get("id").asLong();
                    JsonNode value = record.value() == null ? null : JSON.readTree(record.value());
                    if (value == null || value.get("op").asText().equals("d")) {
                        newest.remove(id);
                    } else {
                        newest.put(id, value.get("after"));
                    }
                }
                held = compacted(newest);
            }
            assertEquals(expected.size(), held.size(), "rows the topic holds after the full load started over");
            assertEquals(expected, held, "the newest record of every key is the source's row");
            assertTrue(again.output().contains("rows topic " + topic + " held are marked deleted first"), again.output());
        }
    }

    /** A broker nobody answers at: the task stops within the connect timeout, saying what to check; no secret shows. */
    @Test
    void unreachableBrokerStopsTheTaskWithTheReason() throws Exception {
        source.createDatabase("shop3");
        sql("shop3", "CREATE TABLE t (id int PRIMARY KEY)");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path task = taskFile("pg-kafka-down", List.of("slotName: realtime_sync_down"), List.of("connectTimeoutSeconds: 5"));
        Map<String, String> env = environment("shop3");
        env.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:" + closedPort);
        env.put("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\""
                + PostgresPair.PASSWORD + "\";");
        long started = System.nanoTime();
        try (SyncProcess sync = SyncProcess.start(work.resolve("down.log"), env, "run", task.toString())) {
            assertEquals(1, sync.awaitExit(Duration.ofSeconds(90)), sync.output());
            String output = sync.output();
            assertTrue(output.contains("task 'pg-kafka-down' stopped: Kafka at localhost:" + closedPort + " did not answer within 5 s"), output);
            assertTrue(output.contains("Check bootstrapServers"), output);
            assertFalse(output.contains(PostgresPair.PASSWORD), "no secret in the output");
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 80);
        }
    }

    /**
     * A task that stops on an error after it started (more dead letters than its deadLetterLimit) leaves no table saying
     * SYNCING in its state topic: each says TASK_STOPPED with the reason. Started again with a higher limit, it syncs
     * them again.
     */
    @Test
    void taskStoppedByAnErrorLeavesNoTableSyncing() throws Exception {
        source.createDatabase("shop5");
        sql("shop5", "CREATE TABLE notes (id int PRIMARY KEY, body text)", "ALTER TABLE notes ALTER COLUMN body SET STORAGE EXTERNAL",
                "INSERT INTO notes VALUES (1, 'short')", "CREATE TABLE tags (id int PRIMARY KEY)", "INSERT INTO tags VALUES (1)");
        String state = "realtime-sync.pg-kafka-limit.state";
        try (SyncProcess sync = start(taskFile("pg-kafka-limit", List.of("slotName: realtime_sync_limit"), List.of("deadLetterLimit: 0")),
                "limit", "shop5")) {
            awaitRecords(sync, "pg-kafka-limit.public.tags", 1);
            assertEquals(Map.of("public.notes", "SYNCING", "public.tags", "SYNCING"), tableStatuses(state, "status"));
            sql("shop5", "INSERT INTO notes SELECT 2, string_agg(md5(i::text), '') FROM generate_series(1, 40000) i"); // too large
            assertEquals(1, sync.awaitExit(Duration.ofSeconds(90)), sync.output());
        }
        assertEquals(Map.of("public.notes", "TASK_STOPPED", "public.tags", "TASK_STOPPED"), tableStatuses(state, "status"));
        tableStatuses(state, "reason").forEach((table, reason) -> assertTrue(reason.contains("(deadLetterLimit)"), table + ": " + reason));

        try (SyncProcess sync = start(taskFile("pg-kafka-limit", List.of("slotName: realtime_sync_limit"), List.of("deadLetterLimit: 10")),
                "limit-restart", "shop5")) {
            sql("shop5", "INSERT INTO tags VALUES (2)");
            awaitRecords(sync, "pg-kafka-limit.public.tags", 2);
            assertEquals(Map.of("public.notes", "SYNCING", "public.tags", "SYNCING"), tableStatuses(state, "status"));
            sync.stop();
        }
    }

    /**
     * Column policies on Kafka: with addColumn=ignore and dropColumn=ignore, records after the changes keep the dropped
     * field as null and leave the added one out, while records before them are as they were; by default (apply) a
     * record carries the columns as they come.
     */
    @Test
    void columnPoliciesShapeTheRecords() throws Exception {
        source.createDatabase("shop6");
        sql("shop6", "CREATE TABLE items (id int PRIMARY KEY, name text, note text)", "INSERT INTO items VALUES (1, 'tea', 'hot')");
        try (SyncProcess sync = start(taskFile("pg-kafka-columns", List.of("slotName: realtime_sync_columns"),
                List.of("schemaChanges: \"addColumn=ignore,dropColumn=ignore\"")), "columns", "shop6")) {
            String topic = "pg-kafka-columns.public.items";
            awaitRecords(sync, topic, 1);
            sql("shop6", "INSERT INTO items VALUES (2, 'rice', 'dry')",
                    "ALTER TABLE items DROP COLUMN note", "ALTER TABLE items ADD COLUMN price int",
                    "INSERT INTO items VALUES (3, 'salt', 7)");
            List<ConsumerRecord<String, String>> records = awaitRecords(sync, topic, 3);
            assertEquals("{\"id\":2,\"name\":\"rice\",\"note\":\"dry\"}", JSON.readTree(records.get(1).value()).get("after").toString());
            assertEquals("{\"id\":3,\"name\":\"salt\",\"note\":null}", JSON.readTree(records.get(2).value()).get("after").toString(),
                    "the dropped field kept as null, the added one left out");
            assertTrue(sync.isAlive(), sync.output());
            sync.stop();
        }
        source.createDatabase("shop7");
        sql("shop7", "CREATE TABLE items (id int PRIMARY KEY, name text, note text)", "INSERT INTO items VALUES (1, 'tea', 'hot')");
        try (SyncProcess sync = start(taskFile("pg-kafka-columns-apply", List.of("slotName: realtime_sync_columns_apply"), List.of()),
                "columns-apply", "shop7")) {
            String topic = "pg-kafka-columns-apply.public.items";
            awaitRecords(sync, topic, 1);
            sql("shop7", "ALTER TABLE items DROP COLUMN note", "ALTER TABLE items ADD COLUMN price int", "INSERT INTO items VALUES (3, 'salt', 7)");
            List<ConsumerRecord<String, String>> records = awaitRecords(sync, topic, 2);
            assertEquals("{\"id\":3,\"name\":\"salt\",\"price\":7}", JSON.readTree(records.get(1).value()).get("after").toString());
            assertTrue(sync.isAlive(), sync.output());
            sync.stop();
        }
    }

    /**
     * The columns the column policies leave a table's records are kept in the task's state: after a restart, records
     * still keep the dropped field as null and leave the added one out, including a column added while the task was
     * stopped, rather than taking the shape of the first row the new run reads.
     */
    @Test
    void columnDecisionsSurviveARestart() throws Exception {
        source.createDatabase("shop9");
        sql("shop9", "CREATE TABLE items (id int PRIMARY KEY, name text, note text)", "INSERT INTO items VALUES (1, 'tea', 'hot')");
        Path task = taskFile("pg-kafka-columns-restart", List.of("slotName: realtime_sync_columns_restart"),
                List.of("schemaChanges: \"addColumn=ignore,dropColumn=ignore\""));
        String topic = "pg-kafka-columns-restart.public.items";
        try (SyncProcess sync = start(task, "columns-restart-1", "shop9")) {
            awaitRecords(sync, topic, 1);
            sql("shop9", "ALTER TABLE items DROP COLUMN note", "ALTER TABLE items ADD COLUMN price int", "INSERT INTO items VALUES (2, 'rice', 5)");
            awaitRecords(sync, topic, 2);
            sync.stop();
        }
        sql("shop9", "ALTER TABLE items ADD COLUMN origin text", "INSERT INTO items VALUES (3, 'salt', 7, 'sea')");
        try (SyncProcess sync = start(task, "columns-restart-2", "shop9")) {
            sql("shop9", "UPDATE items SET price = 8 WHERE id = 1");
            List<ConsumerRecord<String, String>> records = awaitRecords(sync, topic, 4);
            String before = "{\"id\":2,\"name\":\"rice\",\"note\":null}";
            assertEquals(before, JSON.readTree(records.get(1).value()).get("after").toString());
            assertEquals("{\"id\":3,\"name\":\"salt\",\"note\":null}", JSON.readTree(records.get(2).value()).get("after").toString(),
                    "the same shape after the restart; a column added while stopped left out too");
            assertEquals("{\"id\":1,\"name\":\"tea\",\"note\":null}", JSON.readTree(records.get(3).value()).get("after").toString());
            assertEquals(4, records.size(), "nothing sent twice");
            assertTrue(sync.isAlive(), sync.output());
            sync.stop();
        }
    }

    /**
     * A table created on the source while the task runs, which the task's createTable policy (ignore) leaves out: no
     * topic, its status SKIPPED with the reason, in the state topic and in the task registry, while the task goes on.
     */
    @Test
    void newTableTheCreateTablePolicyDeclinesIsSkipped() throws Exception {
        source.createDatabase("shop8");
        sql("shop8", "CREATE TABLE items (id int PRIMARY KEY, name text)", "INSERT INTO items VALUES (1, 'tea')");
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:postgres-cdc-source?task=pg-kafka-new&databaseHostname=localhost&databasePort=" + source.port()
                        + "&databaseDbname=shop8&databaseUser=postgres&databasePassword=RAW(" + PostgresPair.PASSWORD + ")"
                        + "&schemaIncludeList=public&slotName=realtime_sync_new&publicationName=realtime_sync_new"
                        + "&publicationAutocreateMode=all_tables")
                        .routeId("pg-kafka-new")
                        .to("kamelet:kafka-sink?task=pg-kafka-new&bootstrapServers=" + kafka.bootstrapServers()
                                + "&schemaChanges=RAW(createTable=ignore)");
            }
        });
        context.start();
        try {
            SyncTask task = TaskRegistry.of(context).find("pg-kafka-new");
            awaitCommitted("pg-kafka-new.public.items", 1);
            sql("shop8", "CREATE TABLE later (id int PRIMARY KEY, v text)", "INSERT INTO later VALUES (1, 'x')",
                    "INSERT INTO items VALUES (2, 'rice')");
            awaitCommitted("pg-kafka-new.public.items", 2);
            TableId later = new TableId("public", "later");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (task.tables().get(later) == null && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            SyncTask.TableStatus status = task.tables().get(later);
            assertEquals(TableState.SKIPPED, status == null ? null : status.state(), "the registry's state of " + later);
            assertTrue(status.reason().contains("createTable policy is IGNORE"), status.reason());
            assertEquals("SKIPPED", tableStatuses("realtime-sync.pg-kafka-new.state", "status").get("public.later"));
            assertFalse(kafka.topics().contains("pg-kafka-new.public.later"), "no topic for the table left out");
            assertEquals(TaskPhase.STREAMING, task.phase(), String.valueOf(task.failure()));
        } finally {
            context.stop();
        }
    }

    /** Waits until the topic holds at least this many committed records. */
    private static void awaitCommitted(String topic, int atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!kafka.topics().contains(topic) || kafka.readCommitted(topic).size() < atLeast) {
            assertTrue(System.nanoTime() < deadline, topic + " has fewer than " + atLeast + " records");
            Thread.sleep(500);
        }
    }

    /** Each table's status field (status, reason) as the task's state topic holds it now. */
    private static Map<String, String> tableStatuses(String stateTopic, String field) throws Exception {
        Map<String, String> statuses = new TreeMap<>();
        for (ConsumerRecord<String, String> record : kafka.readCommitted(stateTopic)) {
            if (record.key().startsWith("table:")) {
                String table = record.key().substring("table:".length());
                if (record.value() == null) {
                    statuses.remove(table);
                } else {
                    statuses.put(table, JSON.readTree(record.value()).path(field).asText());
                }
            }
        }
        return statuses;
    }

    private static Path taskFile(String name, List<String> sourceParameters, List<String> sinkParameters) throws IOException {
        String example = Files.readString(Path.of("examples/postgres-to-kafka.yaml")).replace("postgres-to-kafka", name);
        String sourceAnchor = "        schemaIncludeList: public\n";
        String sinkAnchor = "              format: debezium-json\n";
        String task = example.replace(sourceAnchor, sourceAnchor + lines("        ", sourceParameters));
        if (sinkParameters.stream().anyMatch(p -> p.startsWith("format:"))) {
            task = task.replace(sinkAnchor, lines("              ", sinkParameters));
        } else {
            task = task.replace(sinkAnchor, sinkAnchor + lines("              ", sinkParameters));
        }
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, task);
        return file;
    }

    private static String lines(String indent, List<String> parameters) {
        return String.join("", parameters.stream().map(p -> indent + p + "\n").toList());
    }

    private static Map<String, String> environment(String database) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SOURCE_HOST", "localhost");
        env.put("SOURCE_PORT", String.valueOf(source.port()));
        env.put("SOURCE_DATABASE", database);
        env.put("SOURCE_USER", "postgres");
        env.put("SOURCE_PASSWORD", PostgresPair.PASSWORD);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        return env;
    }

    private static SyncProcess start(Path task, String logName, String database) throws IOException {
        return SyncProcess.start(work.resolve(logName + ".log"), environment(database), "run", task.toString());
    }

    /** Logs every change of the table's rows, as the records Debezium makes of it: a key change is a delete and an insert. */
    private static String auditTrigger(String table) {
        return "CREATE SCHEMA audit;"
                + "CREATE TABLE IF NOT EXISTS audit.changes (seq bigserial PRIMARY KEY, tbl text, op text, id bigint);"
                + "CREATE OR REPLACE FUNCTION audit.log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF TG_OP = 'INSERT' THEN INSERT INTO audit.changes (tbl, op, id) VALUES (TG_TABLE_NAME, 'c', NEW.id); "
                + "ELSIF TG_OP = 'DELETE' THEN INSERT INTO audit.changes (tbl, op, id) VALUES (TG_TABLE_NAME, 'd', OLD.id); "
                + "ELSIF NEW.id <> OLD.id THEN INSERT INTO audit.changes (tbl, op, id) VALUES (TG_TABLE_NAME, 'd', OLD.id), (TG_TABLE_NAME, 'c', NEW.id); "
                + "ELSE INSERT INTO audit.changes (tbl, op, id) VALUES (TG_TABLE_NAME, 'u', NEW.id); END IF; RETURN NULL; END $$;"
                + "CREATE TRIGGER " + table + "_audit AFTER INSERT OR UPDATE OR DELETE ON " + table
                + " FOR EACH ROW EXECUTE FUNCTION audit.log();";
    }

    /** The logged changes of a table per key, in the order they happened. */
    private static Map<Long, List<String>> audit(String database, String table) throws SQLException {
        Map<Long, List<String>> changes = new TreeMap<>();
        try (Connection c = source.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, op FROM audit.changes WHERE tbl = '" + table + "' ORDER BY seq")) {
            while (rs.next()) {
                changes.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return changes;
    }

    /**
     * Every source row, each value as the record must spell it: the PostgreSQL capture hands decimals, dates and
     * timestamps over as the server's own text, exactly (see docs/kafka.md), and the record carries that text.
     */
    private static Map<Long, Map<String, String>> sourceRows(String database, String table) throws SQLException {
        Map<Long, Map<String, String>> rows = new TreeMap<>();
        try (Connection c = source.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, String> row = new TreeMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                }
                rows.put(rs.getLong("id"), row);
            }
        }
        return rows;
    }

    /** The newest record's row of every key still present, in the same spelling as {@link #sourceRows}. */
    private static Map<Long, Map<String, String>> compacted(Map<Long, JsonNode> newest) {
        Map<Long, Map<String, String>> rows = new TreeMap<>();
        newest.forEach((id, after) -> {
            Map<String, String> row = new TreeMap<>();
            after.fields().forEachRemaining(field -> row.put(field.getKey(), field.getValue().isNull() ? null : field.getValue().asText()));
            rows.put(id, row);
        });
        return rows;
    }

    private static void sql(String database, String... statements) throws SQLException {
        try (Connection c = source.connect(database); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** Waits until the topic holds at least this many committed records; returns them all. */
    private static List<ConsumerRecord<String, String>> awaitRecords(SyncProcess sync, String topic, int atLeast) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            assertTrue(sync.isAlive(), sync.output());
            List<ConsumerRecord<String, String>> records = kafka.topics().contains(topic) ? kafka.readCommitted(topic) : List.of();
            if (records.size() >= atLeast) {
                return records;
            }
            assertTrue(System.nanoTime() < deadline, topic + " has " + records.size() + " records, not " + atLeast + ":\n" + sync.output());
            Thread.sleep(500);
        }
    }

    /** Waits until the topic holds as many change records (not full-load reads, not tombstones) as the source made. */
    private static List<ConsumerRecord<String, String>> awaitChanges(SyncProcess sync, String topic, long changes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            assertTrue(sync.isAlive(), sync.output());
            List<ConsumerRecord<String, String>> records = kafka.readCommitted(topic);
            long written = records.stream().filter(r -> r.value() != null && !r.value().contains("\"op\":\"r\"")).count();
            if (written >= changes || System.nanoTime() > deadline) {
                return records;
            }
            Thread.sleep(500);
        }
    }
}
