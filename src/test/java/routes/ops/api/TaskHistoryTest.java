package routes.ops.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import routes.state.TaskRegistry;

/** The last hour of a task and its tables: a ring of 360 points 10 s apart, oldest first, filtered by minutes. */
class TaskHistoryTest {

    private static final TableId ITEMS = new TableId("public", "items");
    private static final TableId NOTES = new TableId("public", "notes");

    private final CamelContext context = new DefaultCamelContext();
    private final TaskRegistry registry = TaskRegistry.of(context);
    private final TaskHistory history = new TaskHistory(registry);

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRingKeepsTheLastHourOfTheTaskAndEachTable() {
        SyncTask task = registry.task("shop");
        Instant start = Instant.parse("2026-12-07T10:00:00Z");
        Instant now = start;
        assertEquals(Map.of("intervalSeconds", 10, "points", List.of()), history.task("shop", 60, now));
        for (int n = 0; n < 400; n++) {
            now = start.plusSeconds(10L * n);
            task.rowRead(0);
            task.rowsApplied(ITEMS, 1, new SourcePosition.Lsn(n), Instant.now());
            if (n >= 390) {
                task.rowsApplied(NOTES, 2, new SourcePosition.Lsn(n), Instant.now());
            }
            task.committed(Map.of("{\"server\":\"shop\"}", "{\"lsn\":" + n + "}"), n >= 390 ? 3 : 1);
            history.sample(now);
        }

        List<Map<String, Object>> points = (List<Map<String, Object>>) history.task("shop", 60, now).get("points");
        assertEquals(TaskHistory.POINTS, points.size(), "one hour of points");
        assertEquals(start.plusSeconds(10L * 40).toString(), points.get(0).get("at"), "the oldest 40 are gone");
        Map<String, Object> last = points.get(points.size() - 1);
        assertEquals(now.toString(), last.get("at"));
        assertEquals(400L, last.get("rowsRead"));
        assertEquals(420L, last.get("rowsWritten"));
        assertEquals(List.of("at", "commitLatencySeconds", "rowsRead", "rowsWritten"), List.copyOf(last.keySet()));

        List<Map<String, Object>> fiveMinutes = (List<Map<String, Object>>) history.task("shop", 5, now).get("points");
        assertEquals(31, fiveMinutes.size(), "now and the 30 points of the 5 minutes before");

        List<Map<String, Object>> items = (List<Map<String, Object>>) history.table("shop", ITEMS, 60, now).get("points");
        assertEquals(TaskHistory.POINTS, items.size());
        assertEquals(400L, items.get(items.size() - 1).get("rowsWritten"));
        assertEquals(List.of("at", "commitLatencySeconds", "rowsWritten"), List.copyOf(items.get(0).keySet()));
        List<Map<String, Object>> notes = (List<Map<String, Object>>) history.table("shop", NOTES, 60, now).get("points");
        assertEquals(10, notes.size(), "a table's points start when it was first counted");
        assertEquals(start.plusSeconds(3900).toString(), notes.get(0).get("at"));
        assertEquals(20L, notes.get(9).get("rowsWritten"));
        assertEquals(List.of(), history.table("shop", new TableId("public", "quiet"), 60, now).get("points"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLatencyNotKnownYetIsNull() {
        SyncTask task = registry.task("fresh");
        task.counters(ITEMS);
        history.sample(Instant.parse("2026-12-07T10:00:00Z"));

        Map<String, Object> point = ((List<Map<String, Object>>) history.task("fresh", 60, Instant.parse("2026-12-07T10:00:05Z"))
                .get("points")).get(0);
        assertNull(point.get("commitLatencySeconds"));
        assertEquals(0L, point.get("rowsWritten"));
        Map<String, Object> table = ((List<Map<String, Object>>) history.table("fresh", ITEMS, 60, Instant.parse("2026-12-07T10:00:05Z"))
                .get("points")).get(0);
        assertNull(table.get("commitLatencySeconds"));
    }
}
