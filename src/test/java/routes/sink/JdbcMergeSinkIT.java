package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.capture.SourceDatabase;
import routes.change.ChangeEvent;
import routes.change.ChangeKind;
import routes.change.Operation;
import routes.change.TableId;
import routes.demo.EmbeddedPostgresServer;
import routes.ops.TaskStatus;
import routes.schema.Column;
import routes.schema.TableSchema;
import routes.state.SyncTasks;
import routes.state.TaskSink;

/**
 * The jdbc-merge-sink kamelet on its own, fed through {@code direct:}: batches per table, last change per key,
 * everything and the position committed together, and nothing of a failed transaction left behind.
 */
class JdbcMergeSinkIT extends CamelTestSupport {

    private static final String TASK = "sink-it";
    private static final TableId ITEMS = new TableId("public", "items");
    private static EmbeddedPostgresServer target;
    private long sequence;

    @BeforeAll
    static void startTarget() throws Exception {
        target = EmbeddedPostgresServer.start(Files.createTempDirectory("rs-sink").resolve("pg"));
        target.createDatabase("warehouse");
    }

    @AfterAll
    static void stopTarget() throws Exception {
        target.close();
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:changes").routeId("feed")
                        .to("kamelet:jdbc-merge-sink?task=" + TASK + "&jdbcUrl=" + target.jdbcUrl("warehouse")
                                + "&username=postgres&batchSize=3&batchTimeoutMs=60000");
            }
        };
    }

    /** A source holding one table, as the capture side would describe it. */
    private static SourceDatabase oneTable() {
        TableSchema items = new TableSchema(ITEMS, List.of(new Column("id", "integer", false),
                new Column("name", "text", false), new Column("price", "numeric(8,2)", true)), List.of("id"), TableSchema.POSTGRESQL);
        return new SourceDatabase() {
            @Override
            public void check(boolean resuming) {
            }

            @Override
            public List<TableSchema> tables() {
                return List.of(items);
            }

            @Override
            public boolean capturesNewTables() {
                return true;
            }

            @Override
            public String databaseOf(TableId table) {
                return "shop";
            }

            @Override
            public String describe() {
                return "a test source";
            }
        };
    }

    private void send(ChangeEvent change) {
        template.sendBodyAndHeaders("direct:changes", change,
                Map.of(ChangeKind.HEADER, ChangeKind.ROW.name(), ChangeKind.TABLE_HEADER, change.table().toString()));
    }

    private ChangeEvent upsert(int id, String name, String price) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("price", price);
        return new ChangeEvent(ITEMS, Operation.UPSERT, List.of("id"), Map.of("id", id), row, Set.of(), ++sequence);
    }

    private ChangeEvent delete(int id) {
        return new ChangeEvent(ITEMS, Operation.DELETE, List.of("id"), Map.of("id", id), Map.of(), Set.of(), ++sequence);
    }

    @Test
    void commitsBatchesWithTheirPositionAndNothingOfAFailedTransaction() throws Exception {
        TaskSink sink = SyncTasks.await(TASK, 10);
        assertEquals(Map.of(), sink.open(oneTable(), true));

        // 7 changes with batchSize 3: two batches complete by size, the last one is forced through by the commit.
        send(upsert(1, "one", "1.10"));
        send(upsert(2, "two", "2.20"));
        send(upsert(3, "three", null));
        send(upsert(1, "uno", "1.11"));
        send(delete(2));
        send(upsert(4, "four", "4.40"));
        send(upsert(2, "two again", "2.22"));
        sink.commit(Map.of("key", "{\"lsn\":100}"));
        assertEquals(List.of("1|uno|1.11", "2|two again|2.22", "3|three|null", "4|four|4.40"), rows());
        assertEquals("{\"lsn\":100}", savedPosition());

        // A row the target rejects (NULL into NOT NULL): the task stops, its transaction is rolled back whole.
        send(upsert(5, "five", "5.50"));
        send(upsert(6, null, "6.60"));
        assertThrows(Exception.class, () -> sink.commit(Map.of("key", "{\"lsn\":200}")));
        assertNotNull(TaskStatus.failure(TASK));
        assertEquals(4, rows().size(), "nothing of the failed transaction is visible");
        assertEquals("{\"lsn\":100}", savedPosition(), "the position stays where the data is");
    }

    private List<String> rows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = target.connect("warehouse"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name, price FROM public.items ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }

    private String savedPosition() throws Exception {
        Map<String, String> offsets = new HashMap<>();
        try (Connection c = target.connect("warehouse"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT offset_key, offset_value FROM realtime_sync.source_offsets WHERE task = '" + TASK + "'")) {
            while (rs.next()) {
                offsets.put(rs.getString(1), rs.getString(2));
            }
        }
        return offsets.get("key");
    }
}
