package routes.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import routes.capture.SourceDatabase;
import routes.change.TableId;
import routes.ops.TaskEvent;
import routes.ops.TaskEvents;

class TaskRegistryTest {

    private static final TableId ITEMS = new TableId("public", "items");
    private static final TableId NOTES = new TableId("public", "notes");

    private final List<CamelContext> contexts = new ArrayList<>();

    @AfterEach
    void stopContexts() {
        contexts.forEach(CamelContext::stop);
    }

    private CamelContext context() {
        CamelContext context = new DefaultCamelContext();
        contexts.add(context);
        return context;
    }

    @Test
    void twoContextsKeepTasksOfTheSameNameApart() throws Exception {
        CamelContext first = context();
        CamelContext second = context();
        SyncTask one = TaskRegistry.of(first).task("orders");
        SyncTask other = TaskRegistry.of(second).task("orders");

        assertSame(TaskRegistry.of(first), TaskRegistry.of(first));
        assertSame(one, TaskRegistry.of(first).task("orders"));
        assertSame(TaskRegistry.of(first), first.getRegistry().lookupByNameAndType(TaskRegistry.BEAN, TaskRegistry.class));
        assertNotSame(one, other);
        assertNotEquals(one.key(), other.key());
        assertSame(one, TaskHandover.find(one.key()));
        assertSame(other, TaskHandover.find(other.key()));

        Writer writer = new Writer();
        one.writerStarted(writer);
        one.table(ITEMS, TableState.SYNCING, null);
        one.fail("the target refused");

        assertSame(writer, one.awaitWriter(0));
        assertThrows(TimeoutException.class, () -> other.awaitWriter(0), "the other context's task has no writer");
        assertEquals(TaskPhase.FAILED, one.phase());
        assertEquals(TaskPhase.STARTING, other.phase());
        assertNull(other.failure());
        assertEquals(Map.of(), other.tables());
    }

    @Test
    void tasksOfOneContextHaveTheirOwnState() {
        TaskRegistry registry = TaskRegistry.of(context());
        SyncTask alpha = registry.task("alpha");
        SyncTask beta = registry.task("beta");
        alpha.writerStarted(new Writer());
        beta.writerStarted(new Writer());
        alpha.opened(false);
        beta.opened(true);
        alpha.table(ITEMS, TableState.SYNCING, null);
        beta.table(ITEMS, TableState.SYNCING, null);
        alpha.rowRead(0);
        alpha.committed(Map.of("k", "{\"lsn\":1}"), 1);

        beta.fail("permission denied for table items");

        assertEquals(List.of("alpha", "beta"), List.copyOf(registry.tasks().keySet()));
        assertEquals(TaskPhase.STREAMING, alpha.phase());
        assertEquals(TableState.SYNCING, alpha.tables().get(ITEMS).state());
        assertEquals(1, alpha.rowsWritten());
        assertEquals(TaskPhase.FAILED, beta.phase());
        assertEquals(TableState.TASK_STOPPED, beta.tables().get(ITEMS).state());
        assertEquals(0, beta.rowsWritten());
        assertNull(registry.find("gamma"));
    }

    @Test
    void aFailureStopsTheSyncingTablesKeepsTheStoppedOnesAndTheFirstReasonWins() {
        TaskRegistry registry = TaskRegistry.of(context());
        List<TaskEvent> events = new ArrayList<>();
        registry.onEvent(events::add);
        SyncTask task = registry.task("t");
        task.writerStarted(new Writer());
        task.table(ITEMS, TableState.SYNCING, null);
        task.table(ITEMS, TableState.SYNCING, null);
        task.tableStopped(NOTES, "column x was narrowed");

        task.fail("first");
        task.fail("second");

        assertEquals("first", task.failure());
        assertEquals(new SyncTask.TableStatus(TableState.TASK_STOPPED, "first", task.tables().get(ITEMS).since()), task.tables().get(ITEMS));
        assertEquals(TableState.STOPPED, task.tables().get(NOTES).state());
        assertEquals("column x was narrowed", task.tables().get(NOTES).reason());
        assertEquals(List.of("TableStateChanged public.items null>SYNCING", "TableStateChanged public.notes null>STOPPED alert TABLE_STOPPED",
                "TableStateChanged public.items SYNCING>TASK_STOPPED", "TaskFailed first"), events.stream().map(TaskRegistryTest::describe).toList());
    }

    @Test
    void aWriterStartingAgainStartsTheTaskAfresh() {
        SyncTask task = TaskRegistry.of(context()).task("t");
        Writer first = new Writer();
        task.writerStarted(first);
        task.table(ITEMS, TableState.SYNCING, null);
        task.fail("gone");
        task.writerStopped(first);
        assertEquals(TaskPhase.FAILED, task.phase(), "a failed task stays failed when its writer stops");

        Writer second = new Writer();
        task.writerStarted(second);
        assertEquals(TaskPhase.STARTING, task.phase());
        assertNull(task.failure());
        assertEquals(Map.of(), task.tables());
        task.writerStopped(first);
        assertEquals(TaskPhase.STARTING, task.phase(), "an earlier writer stopping late changes nothing");
        task.writerStopped(second);
        assertEquals(TaskPhase.STOPPED, task.phase());
    }

    @Test
    void commitsCountPositionAndLatencyAndEndTheFullLoad() {
        SyncTask task = TaskRegistry.of(context()).task("t");
        task.writerStarted(new Writer());
        task.opened(true);
        long sourceCommit = System.currentTimeMillis() - 5_000;
        task.rowRead(sourceCommit);
        task.rowRead(sourceCommit - 1_000);
        task.committed(Map.of("{\"server\":\"t\"}", "{\"lsn\":10,\"snapshot\":true}"), 2);
        assertEquals(TaskPhase.FULL_LOAD, task.phase());
        assertEquals("{\"lsn\":10,\"snapshot\":true}", task.position());
        assertEquals(sourceCommit, task.positionTime().toEpochMilli(), "the newest change's source time");
        assertTrue(task.commitLatency().compareTo(Duration.ofSeconds(5)) >= 0, task.commitLatency().toString());

        task.committed(Map.of("{\"server\":\"t\"}", "{\"lsn\":20}"), 3);
        task.rowRefused(new TableId("public", "items"), "value too long", null);
        assertEquals(TaskPhase.STREAMING, task.phase());
        assertEquals(2, task.rowsRead());
        assertEquals(5, task.rowsWritten());
        assertEquals(1, task.rowsRefused());
    }

    @Test
    void chunkCommitsCountRowsAndShowEachTablesLoad() {
        SyncTask task = TaskRegistry.of(context()).task("t");
        task.writerStarted(new Writer());
        // A resumed load: one of the items' three chunks (40 rows) was copied by an earlier run.
        task.loadPlanned(ITEMS, 3, 1, 40);
        task.loadPlanned(NOTES, 1, 0, 0);
        assertEquals(TaskPhase.FULL_LOAD, task.phase(), "copying chunks is the task's full load");

        task.chunkCommitted(ITEMS, 50, 49);
        task.chunkCommitted(NOTES, 7, 7);
        assertEquals(Map.of(ITEMS, new SyncTask.TableLoad(3, 2, 89), NOTES, new SyncTask.TableLoad(1, 1, 7)), task.loads());
        assertTrue(task.loads().get(NOTES).done());
        assertFalse(task.loads().get(ITEMS).done());
        assertEquals(57, task.rowsRead(), "this run's rows only");
        assertEquals(56, task.rowsWritten());

        task.chunkCommitted(ITEMS, 10, 10);
        assertTrue(task.loads().get(ITEMS).done());
        task.opened(false);
        assertEquals(TaskPhase.STREAMING, task.phase());
        task.writerStarted(new Writer());
        assertEquals(Map.of(), task.loads(), "a new start plans its load anew");
    }

    @Test
    void engineStartsAfterTheFirstArePublishedAsRestarts() {
        TaskRegistry registry = TaskRegistry.of(context());
        List<TaskEvent> events = new ArrayList<>();
        registry.onEvent(events::add);
        SyncTask task = registry.task("t");
        task.engineStarted();
        assertEquals(List.of(), events);
        task.engineStarted();
        assertEquals(List.of("EngineRestarted"), events.stream().map(e -> e.getClass().getSimpleName()).toList());
    }

    @Test
    void eventsAndAlertsReachTheRoutesConsumingThem() throws Exception {
        CamelContext context = context();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(TaskEvents.ENDPOINT).to("mock:events");
                from(TaskEvents.ALERTS_ENDPOINT).to("mock:alerts");
            }
        });
        context.start();
        MockEndpoint events = context.getEndpoint("mock:events", MockEndpoint.class);
        MockEndpoint alerts = context.getEndpoint("mock:alerts", MockEndpoint.class);
        events.expectedMessageCount(4);
        alerts.expectedBodiesReceived("table public.items was truncated on the source; kept");
        alerts.expectedHeaderReceived(TaskEvents.ALERT_HEADER, "SCHEMA_CHANGE");
        alerts.expectedHeaderReceived(TaskEvents.TASK_HEADER, "t");
        alerts.expectedHeaderReceived(TaskEvents.TABLE_HEADER, "public.items");

        SyncTask task = TaskRegistry.of(context).task("t");
        task.writerStarted(new Writer());
        task.table(ITEMS, TableState.SYNCING, null);
        task.schemaChangeDeclined("public.items", "table public.items was truncated on the source; kept", true);
        task.fail("gone");

        events.assertIsSatisfied();
        alerts.assertIsSatisfied();
        // In the order they happened: delivery is asynchronous, on one thread.
        assertEquals(List.of("TableStateChanged", "SchemaChangeDeclined", "TableStateChanged", "TaskFailed"), events.getReceivedExchanges().stream()
                .map(e -> e.getMessage().getHeader(TaskEvents.EVENT_HEADER, String.class)).toList());
        TaskEvent.TaskFailed failed = events.getReceivedExchanges().get(3).getMessage().getBody(TaskEvent.TaskFailed.class);
        assertEquals("gone", failed.reason());
        assertEquals("", events.getReceivedExchanges().get(3).getMessage().getHeader(TaskEvents.TABLE_HEADER));
    }

    @Test
    void aStoppedContextNoLongerHandsItsTasksOver() {
        CamelContext context = context();
        context.start();
        SyncTask task = TaskRegistry.of(context).task("t");
        assertSame(task, TaskHandover.find(task.key()));
        context.stop();
        assertThrows(IllegalStateException.class, () -> TaskHandover.find(task.key()));
        assertThrows(IllegalStateException.class, () -> TaskHandover.find(null));
    }

    private static String describe(TaskEvent event) {
        String text = event.getClass().getSimpleName();
        if (event instanceof TaskEvent.TableStateChanged changed) {
            text += " " + changed.table() + " " + changed.before() + ">" + changed.state();
        } else {
            text += " " + event.message();
        }
        return event.alert() == null ? text : text + " alert " + event.alert();
    }

    /** A writer that is never asked anything here. */
    private static final class Writer implements TaskSink {
        @Override
        public Map<String, String> open(SourceDatabase source, boolean fullLoadWanted) {
            return Map.of();
        }

        @Override
        public void commit(Map<String, String> offsets) {
        }

        @Override
        public List<String> schemaHistory() {
            return List.of();
        }

        @Override
        public void appendSchemaHistory(String record) {
        }

        @Override
        public void captureStopped() {
        }

        @Override
        public TransactionBoundary transactionBoundary() {
            return new TransactionBoundary();
        }
    }
}
