package routes.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import routes.change.SourcePosition;
import routes.change.TableId;

/**
 * What the task registry keeps of each table for operators: its last commit (position, source time, latency), the
 * full load's time left, and its last schema changes and refused rows, bounded per table and per task.
 */
class TableFiguresTest {

    private static final TableId ITEMS = new TableId("public", "items");
    private static final TableId NOTES = new TableId("public", "notes");

    private final CamelContext context = new DefaultCamelContext();
    private final SyncTask task = TaskRegistry.of(context).task("shop");

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void aTableCommitCarriesThePositionAndSourceTimeOfItsNewestChange() {
        Instant older = Instant.now().minusSeconds(5);
        Instant newest = Instant.now().minusSeconds(2);
        task.rowsApplied(ITEMS, 3, new SourcePosition.Lsn(100), older);
        task.rowsApplied(ITEMS, 2, new SourcePosition.Lsn(140), newest);
        assertNull(task.countersOf(ITEMS).lastCommit(), "applied, not committed");
        assertNull(task.countersOf(NOTES), "nothing counted of a table without rows");

        task.committed(Map.of("{\"server\":\"shop\"}", "{\"lsn\":150}"), 5);
        SyncTask.TableCommit last = task.countersOf(ITEMS).lastCommit();
        assertEquals("lsn:140", last.position());
        assertEquals(newest, last.positionTime());
        assertEquals(Duration.between(newest, last.updatedAt()), last.commitLatency());
        assertTrue(last.commitLatency().compareTo(Duration.ofSeconds(2)) >= 0, last.toString());
        assertEquals(5, task.countersOf(ITEMS).written());

        // A commit without rows of the table leaves its figures as they were.
        task.rowsApplied(NOTES, 1, new SourcePosition.Lsn(160), Instant.now());
        task.committed(Map.of("{\"server\":\"shop\"}", "{\"lsn\":170}"), 1);
        assertEquals(last, task.countersOf(ITEMS).lastCommit());
        assertEquals("lsn:160", task.countersOf(NOTES).lastCommit().position());
    }

    @Test
    void theFullLoadsTimeLeftFollowsItsRateThisRun() {
        long started = System.nanoTime();
        task.loadPlanned(ITEMS, 4, 1, 400); // a resumed load: 400 rows copied by an earlier run
        task.loadEstimated(ITEMS, 1_000);
        assertNull(task.loadSecondsLeft(ITEMS, started + 10_000_000_000L), "no row copied this run: no rate yet");
        task.chunkCommitted(ITEMS, 300, 300);
        // 300 rows in about 10 s: the 300 left take about 10 s more.
        long left = task.loadSecondsLeft(ITEMS, started + 10_000_000_000L);
        assertTrue(left >= 9 && left <= 10, "seconds left: " + left);
        assertTrue(task.countersOf(ITEMS).lastCommit().updatedAt() != null, "a chunk commit updates the table");

        task.loadPlanned(NOTES, 2, 0, 0);
        task.chunkCommitted(NOTES, 10, 10);
        assertNull(task.loadSecondsLeft(NOTES, System.nanoTime() + 1_000_000_000L), "no estimate from the source");
        task.chunkCommitted(NOTES, 10, 10);
        assertEquals(0L, task.loadSecondsLeft(NOTES), "done");
        assertNull(task.loadSecondsLeft(new TableId("public", "other")));
    }

    @Test
    void schemaChangesKeepTheirKindPolicyAndOutcome() {
        task.schemaChangeApplied("public.items", "ADD_COLUMN", "column note was added to public.items");
        task.schemaChangeDeclined("public.items", "DROP_COLUMN", "IGNORE", "column v was dropped from public.items; kept", false);
        task.schemaChangeDeclined("public.items", "TRUNCATE", "ALERT", "table public.items was truncated; kept", true);
        task.schemaChangeDeclined("public.items", "DROP_TABLE", "ERROR", "table public.items was dropped", false);
        task.schemaChangeDeclined(null, null, null, "a change of no one table", true);

        List<SyncTask.SchemaChangeRecord> changes = task.schemaChanges("public.items");
        assertEquals(List.of("ADD_COLUMN APPLY APPLIED", "DROP_COLUMN IGNORE IGNORED", "TRUNCATE ALERT ALERTED", "DROP_TABLE ERROR STOPPED"),
                changes.stream().map(c -> c.kind() + " " + c.policy() + " " + c.outcome()).toList());
        assertEquals("column note was added to public.items", changes.get(0).description());
        assertEquals(List.of(), task.schemaChanges("public.notes"));
    }

    @Test
    void recentRecordsAreBoundedPerTableAndPerTask() {
        for (int i = 0; i < 150; i++) {
            task.schemaChangeApplied("public.items", "ADD_COLUMN", "change " + i);
        }
        List<SyncTask.SchemaChangeRecord> kept = task.schemaChanges("public.items");
        assertEquals(SyncTask.RECENT_PER_TABLE, kept.size());
        assertEquals("change 50", kept.get(0).description(), "the oldest go first");
        assertEquals("change 149", kept.get(kept.size() - 1).description());

        // 1,000 tables refusing rows: the task keeps its bound, the newest rows of each table first.
        for (int table = 0; table < 1_000; table++) {
            task.refusedRowsKept("s.t" + table, IntStream.range(0, 5)
                    .mapToObj(i -> new SyncTask.RefusedRow(Instant.now(), "too long", "{\"id\":" + i + "}", "{}")).toList());
        }
        int held = IntStream.range(0, 1_000).map(table -> task.refusedRows("s.t" + table).size()).sum();
        assertEquals(SyncTask.REFUSED_ROWS_PER_TASK, held);
        assertEquals(List.of(), task.refusedRows("s.t0"), "the oldest table's rows went first");
        assertEquals(5, task.refusedRows("s.t999").size());

        String huge = "{\"v\":\"" + "x".repeat(100_000) + "\"}";
        task.refusedRowsKept("s.big", List.of(new SyncTask.RefusedRow(Instant.now(), "too long", "{\"id\":1}", huge)));
        String row = task.refusedRows("s.big").get(0).row();
        assertTrue(row.length() < SyncTask.REFUSED_ROW_CHARS + 100 && row.startsWith("{\"v\":\"xxx"), row.length() + " characters");
    }
}
