package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.camel.Message;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.state.SyncTask;
import routes.state.TaskRegistry;
import routes.state.TaskSink;

/**
 * Rows the target refuses go on to direct:realtime-sync-dead-letters once the transaction that stored them in
 * realtime_sync.dirty_rows has committed, and never when it does not (jdbc-merge-sink on a DuckDB file).
 */
class DeadLettersIT extends CamelTestSupport {

    private static final String TASK = "dead-letters-it";
    private static Path file;
    private final SinkFixtures changes = new SinkFixtures();

    @BeforeAll
    static void createTarget() throws Exception {
        file = Files.createTempDirectory("rs-dead-letters").resolve("warehouse.duckdb");
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:changes").routeId("feed")
                        .to("kamelet:jdbc-merge-sink?task=" + TASK + "&jdbcUrl=jdbc:duckdb:" + file
                                + "&batchSize=2&batchTimeoutMs=60000&dirtyRowLimit=2");
                from(DeadLetters.ENDPOINT).routeId("dead-letters").to("mock:dead-letters");
            }
        };
    }

    @Test
    void refusedRowsGoOnAfterTheirTransactionCommits() throws Exception {
        MockEndpoint letters = getMockEndpoint("mock:dead-letters");
        TaskSink sink = TaskRegistry.of(context).task(TASK).awaitWriter(10);
        sink.open(SinkFixtures.oneTableSource(), true);

        // name is NOT NULL: the second row is refused, kept in dirty_rows, and nothing is sent before the commit.
        SinkFixtures.send(template, changes.upsert(1, "one", "1.10"));
        SinkFixtures.send(template, changes.upsert(2, null, "2.20"));
        SinkFixtures.send(template, changes.upsert(3, "three", "3.30"));
        assertEquals(0, letters.getReceivedCounter(), "the transaction holding the refused row has not committed");
        SyncTask task = TaskRegistry.of(context).task(TASK);
        assertEquals(List.of(), task.refusedRows("public.items"), "nor does the task show it yet");
        letters.expectedMessageCount(1);
        sink.commit(Map.of("key", "{\"lsn\":100}"));
        letters.assertIsSatisfied();
        Message letter = letters.getReceivedExchanges().get(0).getMessage();
        assertEquals("{\"id\":2,\"name\":null,\"price\":\"2.20\"}", letter.getBody(String.class));
        assertEquals(TASK, letter.getHeader(DeadLetters.TASK_HEADER));
        assertEquals("public.items", letter.getHeader(DeadLetters.TABLE_HEADER));
        assertEquals("main.items", letter.getHeader(DeadLetters.TARGET_HEADER));
        assertEquals("UPSERT", letter.getHeader(DeadLetters.OPERATION_HEADER));
        assertEquals("{\"id\":2}", letter.getHeader(DeadLetters.KEY_HEADER));
        assertEquals("lsn:2", letter.getHeader(DeadLetters.POSITION_HEADER));
        assertTrue(letter.getHeader(DeadLetters.REASON_HEADER, String.class).contains("NOT NULL"), letter.getHeaders().toString());
        // The task keeps it for the operator API, as the dead-letter record has it.
        List<SyncTask.RefusedRow> kept = task.refusedRows("public.items");
        assertEquals(1, kept.size());
        assertEquals("{\"id\":2}", kept.get(0).key());
        assertEquals("{\"id\":2,\"name\":null,\"price\":\"2.20\"}", kept.get(0).row());
        assertEquals(letter.getHeader(DeadLetters.REASON_HEADER), kept.get(0).reason());

        // Two more refused rows pass the task's dirtyRowLimit (2): their transaction is rolled back, and they are not sent.
        SinkFixtures.send(template, changes.upsert(4, null, "4.40"));
        SinkFixtures.send(template, changes.upsert(5, null, "5.50"));
        assertThrows(Exception.class, () -> sink.commit(Map.of("key", "{\"lsn\":200}")));
        assertEquals(1, letters.getReceivedCounter());
        assertEquals(1, task.refusedRows("public.items").size(), "rows of a transaction rolled back are not kept");
    }
}
