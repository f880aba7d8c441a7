package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.demo.EmbeddedPostgresServer;
import routes.state.TableOperationRefused;
import routes.state.TableState;
import routes.state.TaskRegistry;
import routes.state.TaskSink;

/**
 * Pausing and resuming one table on a real PostgreSQL target: while paused, its changes are held in the target with
 * the commits that pass them and the table stays as it was; resumed, they are applied in source order.
 */
class PauseResumeSinkIT extends CamelTestSupport {

    private static final String TASK = "pause-it";
    private static EmbeddedPostgresServer target;
    private final SinkFixtures changes = new SinkFixtures();

    @BeforeAll
    static void startTarget() throws Exception {
        target = EmbeddedPostgresServer.start(Files.createTempDirectory("rs-pause").resolve("pg"));
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
                                + "&username=postgres&batchSize=2&batchTimeoutMs=60000");
            }
        };
    }

    @Test
    void aPausedTableHoldsItsChangesUntilResumed() throws Exception {
        TaskSink sink = TaskRegistry.of(context).task(TASK).awaitWriter(10);
        sink.open(SinkFixtures.oneTableSource(), true);
        SinkFixtures.send(template, changes.upsert(1, "one", "1.00"));
        SinkFixtures.send(template, changes.upsert(2, "two", "2.00"));
        sink.commit(Map.of("key", "{\"lsn\":100}"));

        SinkFixtures.send(template, changes.upsert(3, "three, before the pause", "3.00"));
        sink.pause(SinkFixtures.ITEMS);
        assertThrows(TableOperationRefused.class, () -> sink.pause(SinkFixtures.ITEMS), "paused already");
        SinkFixtures.send(template, changes.upsert(1, "one, changed while paused", "1.10"));
        SinkFixtures.send(template, changes.delete(2));
        SinkFixtures.send(template, changes.upsert(4, "four", "4.00"));
        SinkFixtures.send(template, changes.upsert(4, "four, again", "4.40"));
        SinkFixtures.send(template, changes.upsert(5, "five", "5.00"));
        sink.commit(Map.of("key", "{\"lsn\":200}"));

        assertEquals(List.of("1|one|1.00", "2|two|2.00", "3|three, before the pause|3.00"), rows(),
                "what came before the pause is applied; nothing after it");
        assertEquals("PAUSED", status());
        assertEquals(5, held(), "every change while paused is held, committed with the position past it");
        assertEquals(TableState.PAUSED, TaskRegistry.of(context).task(TASK).tables().get(SinkFixtures.ITEMS).state());

        SinkFixtures.send(template, changes.upsert(6, "six", "6.00"));
        sink.resume(SinkFixtures.ITEMS);
        SinkFixtures.send(template, changes.upsert(5, "five, after the resume", "5.50"));
        sink.commit(Map.of("key", "{\"lsn\":300}"));

        assertEquals(List.of("1|one, changed while paused|1.10", "3|three, before the pause|3.00", "4|four, again|4.40",
                "5|five, after the resume|5.50", "6|six|6.00"), rows(), "held changes applied in source order, then the new ones");
        assertEquals("SYNCING", status());
        assertEquals(0, held());
        assertEquals(TableState.SYNCING, TaskRegistry.of(context).task(TASK).tables().get(SinkFixtures.ITEMS).state());
        TableOperationRefused notPaused = assertThrows(TableOperationRefused.class, () -> sink.resume(SinkFixtures.ITEMS));
        assertTrue(notPaused.getMessage().contains("not paused"), notPaused.getMessage());
    }

    private List<String> rows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = target.connect("warehouse"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name, price FROM public.items ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getString(2) + "|" + rs.getBigDecimal(3));
            }
        }
        return rows;
    }

    private String status() throws Exception {
        try (Connection c = target.connect("warehouse"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT status FROM realtime_sync.table_status WHERE task = '" + TASK + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private long held() throws Exception {
        try (Connection c = target.connect("warehouse"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM realtime_sync.held_changes WHERE task = '" + TASK + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
