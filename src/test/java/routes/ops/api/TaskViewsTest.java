package routes.ops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import routes.change.SourcePosition;
import routes.change.TableId;
import routes.state.SyncTask;
import routes.state.TableState;
import routes.state.TaskRegistry;

/** The table view the console lists: every figure of every table of a task of 1,000 tables, read from the registry. */
class TaskViewsTest {

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aThousandTablesEachWithItsRowsLatencyPositionErrorAndFullLoad() {
        SyncTask task = TaskRegistry.of(context).task("big");
        Instant sourceTime = Instant.now().minusSeconds(3);
        long applied = 0;
        for (int i = 0; i < 1_000; i++) {
            TableId table = table(i);
            if (i % 100 == 7) {
                task.tableStopped(table, "value too long for type character varying(3)");
            } else {
                task.table(table, TableState.SYNCING, null);
            }
            task.loadPlanned(table, 2, 0, 0);
            task.loadEstimated(table, 1_000);
            task.chunkCommitted(table, 500, 500);
            task.rowsApplied(table, i + 1, new SourcePosition.Lsn(10_000 + i), sourceTime);
            applied += i + 1;
        }
        task.rowRefused(table(3), "value too long", null);
        task.committed(Map.of("{\"server\":\"big\"}", "{\"lsn\":20000}"), applied);

        List<Map<String, Object>> views = new TaskViews(TaskControl.of(context)).tables(task);

        assertEquals(1_000, views.size());
        for (int i = 0; i < 1_000; i++) {
            Map<String, Object> view = views.get(i);
            assertEquals(table(i).toString(), view.get("table"), "in name order");
            assertEquals(500L + i + 1, view.get("rowsWritten"), view.toString());
            assertEquals(i == 3 ? 1L : 0L, view.get("rowsRefused"));
            assertEquals("lsn:" + (10_000 + i), view.get("position"));
            assertEquals(sourceTime.toString(), view.get("positionTime"));
            assertNotNull(view.get("updatedAt"));
            assertTrue((Double) view.get("commitLatencySeconds") >= 3, view.toString());
            assertEquals(i % 100 == 7 ? "value too long for type character varying(3)" : null, view.get("lastError"));
            Map<String, Object> fullLoad = (Map<String, Object>) view.get("fullLoad");
            assertEquals(1_000L, fullLoad.get("rowsTotal"));
            assertEquals(500L, fullLoad.get("rowsCopied"));
            assertTrue((Long) fullLoad.get("etaSeconds") >= 0, fullLoad.toString());
        }
    }

    @Test
    void aTableWithoutRowsYetHasNoFigures() {
        SyncTask task = TaskRegistry.of(context).task("small");
        TableId table = new TableId("public", "empty");
        task.table(table, TableState.SYNCING, null);

        Map<String, Object> view = new TaskViews(TaskControl.of(context)).table(task, table);

        assertEquals(0L, ((Number) view.get("rowsWritten")).longValue());
        assertEquals(0L, ((Number) view.get("rowsRefused")).longValue());
        for (String field : List.of("commitLatencySeconds", "position", "positionTime", "updatedAt", "lastError", "fullLoad")) {
            assertNull(view.get(field), field);
        }
    }

    private static TableId table(int i) {
        return new TableId("shop", String.format("t%04d", i));
    }
}
