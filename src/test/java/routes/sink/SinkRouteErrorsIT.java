package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.change.ChangeEvent;
import routes.change.ChangeKind;
import routes.state.TaskRegistry;
import routes.state.TaskSink;

/**
 * The sink route's error policy (routeConfiguration realtime-sync-sink-errors), on a DuckDB target: a change the route
 * cannot handle (here an assigned value whose expression fails) stops the task with the error as the reason, and no
 * position past the change is committed. Camel's Debezium consumer would only log the exception and count the change
 * as processed, so without the policy the next commit saves a position past a change the target never got.
 */
class SinkRouteErrorsIT extends CamelTestSupport {

    private static final String TASK = "sink-route-errors-it";
    private static Path file;
    private final SinkFixtures changes = new SinkFixtures();

    @BeforeAll
    static void createTarget() throws Exception {
        file = Files.createTempDirectory("rs-route-errors").resolve("warehouse.duckdb");
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // The assigned column's expression fails on a change whose header Tag is shorter than 10 characters.
                from("direct:changes").routeId("feed")
                        .to("kamelet:jdbc-merge-sink?task=" + TASK + "&jdbcUrl=jdbc:duckdb:" + file
                                + "&batchSize=1&batchTimeoutMs=60000&assignments=RAW(tag_tail text=simple:${header.Tag.substring(10)})");
            }
        };
    }

    @Test
    void aChangeTheRouteCannotHandleStopsTheTaskBeforeItsPositionIsCommitted() throws Exception {
        TaskSink sink = TaskRegistry.of(context).task(TASK).awaitWriter(10);
        sink.open(SinkFixtures.oneTableSource(), true);
        Exchange good = send(changes.upsert(1, "one", "1.10"), "long enough");
        assertNull(good.getException());
        sink.commit(Map.of("key", "{\"lsn\":100}"));
        assertEquals("{\"lsn\":100}", savedPosition());

        Exchange bad = send(changes.upsert(2, "two", "2.20"), "short");

        // Handled by the policy: nothing goes back to the capture, whose consumer would only log it.
        assertNull(bad.getException());
        String reason = TaskRegistry.of(context).task(TASK).failure();
        assertTrue(reason != null && reason.contains("substring"), String.valueOf(reason));
        assertThrows(Exception.class, () -> sink.commit(Map.of("key", "{\"lsn\":200}")));
        assertEquals("{\"lsn\":100}", savedPosition(), "the position stays before the change the target did not get");
    }

    private Exchange send(ChangeEvent change, String tag) {
        return template.send("direct:changes", exchange -> {
            exchange.getMessage().setBody(change);
            exchange.getMessage().setHeader(ChangeKind.HEADER, ChangeKind.ROW.name());
            exchange.getMessage().setHeader(ChangeKind.TABLE_HEADER, change.table().toString());
            exchange.getMessage().setHeader("Tag", tag);
        });
    }

    private static String savedPosition() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT offset_value FROM realtime_sync.source_offsets WHERE task = '" + TASK + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
