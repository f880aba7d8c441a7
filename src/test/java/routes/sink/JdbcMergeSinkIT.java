package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import routes.change.TableId;
import routes.state.SyncTask;
import routes.state.TableState;
import routes.state.TaskPhase;
import routes.state.TaskRegistry;
import routes.state.TaskSink;

/**
 * The jdbc-merge-sink kamelet on its own, fed through {@code direct:}: batches per table, last change per key,
 * everything and the position committed together, refused rows kept aside as dirty rows, and nothing of a failed
 * transaction left behind.
 */
class JdbcMergeSinkIT extends CamelTestSupport {

    private static final String TASK = "sink-it";
    static EmbeddedPostgresServer target;
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

    /** The sink's target and how it writes (kamelet parameters). */
    protected String targetParameters() {
        return "jdbcUrl=" + target.jdbcUrl("warehouse") + "&username=postgres";
    }

    protected Connection connectTarget() throws Exception {
        return target.connect("warehouse");
    }

    /** Words of the target's own error for a NULL into a NOT NULL column, and for a number too large for its type. */
    protected List<String> refusalWords() {
        return List.of("not-null", "overflow");
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:changes").routeId("feed")
                        .to("kamelet:jdbc-merge-sink?task=" + TASK + "&" + targetParameters()
                                + "&batchSize=3&batchTimeoutMs=60000&dirtyRowLimit=2");
            }
        };
    }

    @Test
    void commitsBatchesWithTheirPositionAndKeepsRefusedRowsAside() throws Exception {
        TaskSink sink = TaskRegistry.of(context).task(TASK).awaitWriter(10);
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

        // Rows the target refuses (NULL into NOT NULL, a number too large for numeric(8,2)) are kept as dirty rows with
        // their error; the rest of their batch is written and the position moves on.
        SinkFixtures.send(template, changes.upsert(5, "five", "5.50"));
        SinkFixtures.send(template, changes.upsert(6, null, "6.60"));
        SinkFixtures.send(template, changes.upsert(7, "seven", "77777777.77"));
        SinkFixtures.send(template, changes.upsert(8, "eight", "8.80"));
        sink.commit(Map.of("key", "{\"lsn\":200}"));
        assertEquals(List.of("1|uno|1.11", "2|two again|2.22", "3|three|null", "4|four|4.40", "5|five|5.50", "8|eight|8.80"), rows());
        assertEquals("{\"lsn\":200}", savedPosition());
        List<String> dirty = dirtyRows();
        assertEquals(2, dirty.size(), dirty.toString());
        SyncTask task = TaskRegistry.of(context).task(TASK);
        assertEquals(2, task.rowsRefused(), "the registry counts the refused rows");
        assertEquals(11, task.rowsWritten());
        assertEquals("{\"lsn\":200}", task.position());
        assertEquals(TableState.SYNCING, task.tables().get(new TableId("public", "items")).state());
        assertTrue(dirty.get(0).startsWith("public.items|UPSERT|{\"id\":6}|{\"id\":6,\"name\":null,\"price\":\"6.60\"}|"), dirty.get(0));
        assertTrue(dirty.get(0).contains(refusalWords().get(0)), dirty.get(0));
        assertTrue(dirty.get(1).startsWith("public.items|UPSERT|{\"id\":7}|"), dirty.get(1));
        assertTrue(dirty.get(1).contains(refusalWords().get(1)), dirty.get(1));

        // One more than the task's dirtyRowLimit (2): the task stops, that transaction is rolled back whole.
        SinkFixtures.send(template, changes.upsert(9, "nine", "9.90"));
        SinkFixtures.send(template, changes.upsert(10, null, "10.10"));
        assertThrows(Exception.class, () -> sink.commit(Map.of("key", "{\"lsn\":300}")));
        assertTrue(TaskRegistry.of(context).task(TASK).failure().contains("dirtyRowLimit"), TaskRegistry.of(context).task(TASK).failure());
        assertEquals(6, rows().size(), "nothing of the failed transaction is visible");
        assertEquals(TaskPhase.FAILED, task.phase());
        assertEquals(TableState.TASK_STOPPED, task.tables().get(new TableId("public", "items")).state());
        assertEquals(2, dirtyRows().size());
        assertEquals("{\"lsn\":200}", savedPosition(), "the position stays where the data is");
    }

    protected String itemsTable() {
        return "public.items";
    }

    private List<String> dirtyRows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = connectTarget(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT concat_ws('|', source_table, operation, row_key, row_data, error) AS line "
                        + "FROM realtime_sync.dirty_rows WHERE task = '" + TASK + "' ORDER BY seq")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private List<String> rows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = connectTarget(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name, price FROM " + itemsTable() + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }

    private String savedPosition() throws Exception {
        Map<String, String> offsets = new HashMap<>();
        try (Connection c = connectTarget(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT offset_key, offset_value FROM realtime_sync.source_offsets WHERE task = '" + TASK + "'")) {
            while (rs.next()) {
                offsets.put(rs.getString(1), rs.getString(2));
            }
        }
        return offsets.get("key");
    }
}
