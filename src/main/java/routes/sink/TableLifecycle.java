package routes.sink;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import routes.change.TableId;

/**
 * Where each source table of a task stands in the sink runtime, and the moves it may make. Every target shares it;
 * what a target records for people to read ({@link routes.state.TableState} in its status table or state topic) is
 * written by the target when a table moves.
 *
 * <pre>
 *   NEW ──► LOADING ──► STREAMING ◄──► PAUSED
 *    │         │  ▲        │              │
 *    │         ▼  └─ RESYNCING ◄──────────┤
 *    └─────────┴──────► STOPPED(reason) ──┘ (a resync is the way back)
 * </pre>
 *
 * A table is NEW until the task knows where its rows go; LOADING while the task's full load copies it; STREAMING once
 * its changes follow the source. PAUSED and RESYNCING are states an operation puts a table in (pause: its changes
 * are held back; resync: it is copied anew, then streams again); no operation does yet. STOPPED carries the reason;
 * its changes are dropped until a resync (today: a reload of the task). A table dropped or renamed on the source is
 * forgotten: a table of that name later is NEW again.
 */
public final class TableLifecycle {

    public enum Phase { NEW, LOADING, STREAMING, PAUSED, RESYNCING, STOPPED }

    /** A table's phase, and for STOPPED why. */
    public record State(Phase phase, String reason) {
    }

    private static final Map<Phase, Set<Phase>> MOVES = Map.of(
            Phase.NEW, EnumSet.of(Phase.LOADING, Phase.STREAMING, Phase.STOPPED),
            Phase.LOADING, EnumSet.of(Phase.STREAMING, Phase.PAUSED, Phase.RESYNCING, Phase.STOPPED),
            Phase.STREAMING, EnumSet.of(Phase.PAUSED, Phase.RESYNCING, Phase.STOPPED),
            Phase.PAUSED, EnumSet.of(Phase.STREAMING, Phase.RESYNCING, Phase.STOPPED),
            Phase.RESYNCING, EnumSet.of(Phase.LOADING, Phase.STREAMING, Phase.PAUSED, Phase.STOPPED),
            Phase.STOPPED, EnumSet.of(Phase.RESYNCING));

    private static final State NEW = new State(Phase.NEW, null);

    private final Map<TableId, State> states = new ConcurrentHashMap<>();
    private final BiConsumer<TableId, State> moved;

    public TableLifecycle() {
        this((table, state) -> {
        });
    }

    /** {@code moved} hears of every move (to report table states elsewhere). */
    public TableLifecycle(BiConsumer<TableId, State> moved) {
        this.moved = moved;
    }

    public State state(TableId table) {
        return states.getOrDefault(table, NEW);
    }

    public boolean isStopped(TableId table) {
        return state(table).phase() == Phase.STOPPED;
    }

    /** Whether the table's changes reach the target: it is loading or streaming. */
    public boolean isWritten(TableId table) {
        Phase phase = state(table).phase();
        return phase == Phase.LOADING || phase == Phase.STREAMING;
    }

    /** The tables the task stopped. */
    public Set<TableId> stopped() {
        return inPhase(Phase.STOPPED);
    }

    public Set<TableId> inPhase(Phase phase) {
        return states.entrySet().stream().filter(e -> e.getValue().phase() == phase).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /**
     * A table the task now writes: LOADING when the full load copies it, STREAMING otherwise. Nothing for a table
     * that is written already (the target's work was retried); a STOPPED one goes through RESYNCING (a task reloaded
     * on the same writer syncs it anew).
     */
    public void start(TableId table, boolean loading) {
        if (isWritten(table)) {
            return;
        }
        if (isStopped(table)) {
            resync(table);
        } else if (state(table).phase() != Phase.NEW) {
            throw new IllegalStateException("table " + table + " started already; it is " + state(table).phase());
        }
        move(table, loading ? Phase.LOADING : Phase.STREAMING, null);
    }

    /** The full load is complete: every LOADING table streams. */
    public void loaded() {
        inPhase(Phase.LOADING).forEach(table -> move(table, Phase.STREAMING, null));
    }

    /** Stops one table with the reason (a NEW one too: a table the task will not sync). Stopping a stopped table keeps its first reason. */
    public void stop(TableId table, String reason) {
        if (!isStopped(table)) {
            move(table, Phase.STOPPED, reason);
        }
    }

    public void pause(TableId table) {
        move(table, Phase.PAUSED, null);
    }

    public void resume(TableId table) {
        move(table, Phase.STREAMING, null);
    }

    public void resync(TableId table) {
        move(table, Phase.RESYNCING, null);
    }

    /** Dropped or renamed on the source: a table of that name later is a new table. */
    public void forget(TableId table) {
        states.remove(table);
    }

    private synchronized void move(TableId table, Phase to, String reason) {
        Phase from = state(table).phase();
        if (!MOVES.get(from).contains(to)) {
            throw new IllegalStateException("table " + table + " cannot go from " + from + " to " + to);
        }
        State state = new State(to, reason);
        states.put(table, state);
        moved.accept(table, state);
    }
}
