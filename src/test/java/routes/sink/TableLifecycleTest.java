package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import routes.change.TableId;
import routes.sink.TableLifecycle.Phase;

class TableLifecycleTest {

    private static final TableId A = new TableId("shop", "a");
    private static final TableId B = new TableId("shop", "b");

    @Test
    void tablesLoadThenStreamUntilStopped() {
        List<String> moves = new ArrayList<>();
        TableLifecycle tables = new TableLifecycle((table, state) -> moves.add(table.table() + ":" + state.phase()));
        assertEquals(Phase.NEW, tables.state(A).phase());
        tables.start(A, true);
        tables.start(B, false);
        assertTrue(tables.isWritten(A));
        tables.loaded();
        assertEquals(Phase.STREAMING, tables.state(A).phase());
        tables.stop(A, "its key changed");
        tables.stop(A, "again");
        assertEquals(new TableLifecycle.State(Phase.STOPPED, "its key changed"), tables.state(A));
        assertFalse(tables.isWritten(A));
        assertEquals(Set.of(A), tables.stopped());
        assertEquals(List.of("a:LOADING", "b:STREAMING", "a:STREAMING", "a:STOPPED"), moves);
    }

    @Test
    void onlyTheDrawnMovesAreAllowed() {
        TableLifecycle tables = new TableLifecycle();
        tables.stop(A, "no createTable");
        assertThrows(IllegalStateException.class, () -> tables.resume(A));
        tables.start(A, true);
        assertEquals(Phase.LOADING, tables.state(A).phase(), "a reload syncs a stopped table anew");
        tables.start(B, false);
        tables.pause(B);
        assertThrows(IllegalStateException.class, () -> tables.start(B, false), "a paused table is not new");
        tables.resume(B);
        tables.start(B, true);
        assertEquals(Phase.STREAMING, tables.state(B).phase(), "started again by a retried prepare: unchanged");
        tables.forget(B);
        tables.start(B, true);
        assertEquals(Phase.LOADING, tables.state(B).phase());
    }
}
