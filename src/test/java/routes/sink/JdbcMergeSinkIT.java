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
import java.util.List;
import java.util.Map;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.demo.EmbeddedPostgresServer;
import routes.ops.TaskStatus;
import routes.state.SyncTasks;
import routes.state.TaskSink;

/**
 * The jdbc-merge-sink kamelet on its own, fed through {@code direct:}: batches per table, last change per key,
 * everything and the position committed together, and nothing of a failed transaction left behind.
 */
class JdbcMergeSinkIT extends CamelTestSupport {

    private static final String TASK = "sink-it";
    private static EmbeddedPostgresServer target;
    private final SinkFixtures changes = new SinkFixtures();

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

    @Test
    void commitsBatchesWithTheirPositionAndNothingOfAFailedTransaction() throws Exception {
        TaskSink sink = SyncTasks.await(TASK, 10);
        assertEquals(Map.of(), sink.open(SinkFixtures.oneTableSource(), true));

        // 7 changes with batchSize 3: two batches complete by size, the last one is forced through by the commit.
        SinkFixtures.send(template, changes.upsert(1, "one", "1.10"));
        SinkFixtures.send(template, changes.upsert(2, "two", "2.20"));
        SinkFixtures.send(template, changes.upsert(3, "three", null));
        SinkFixtures.send(template, changes.upsert(1, "uno", "1.11"));
        SinkFixtures.send(template, changes.delete(2));
        SinkFixtures.send(template, changes.upsert(4, "four", "4.40"));
        SinkFixtures.send(template, changes.upsert(2, "two again", "2.22"));
        sink.commit(Map.of("key", "{\"lsn\":100}"));
        assertEquals(List.of("1|uno|1.11", "2|two again|2.22", "3|three|null", "4|four|4.40"), rows());
        assertEquals("{\"lsn\":100}", savedPosition());

        // A row the target rejects (NULL into NOT NULL): the task stops, its transaction is rolled back whole.
        SinkFixtures.send(template, changes.upsert(5, "five", "5.50"));
        SinkFixtures.send(template, changes.upsert(6, null, "6.60"));
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
