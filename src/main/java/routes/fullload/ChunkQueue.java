package routes.fullload;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import routes.change.TableId;

/**
 * The chunks a full load has still to copy, in the order the workers take them, and how many chunks of each table are
 * unfinished (waiting or being copied). An operator can move a table's waiting chunks to the front (prioritize) or take
 * a table out of the load (cancel: its waiting chunks are dropped, those being copied finish).
 */
final class ChunkQueue {

    private final Deque<Chunk> waiting;
    private final Map<TableId, Integer> unfinished = new HashMap<>();

    ChunkQueue(Collection<Chunk> chunks) {
        waiting = new ArrayDeque<>(chunks);
        chunks.forEach(chunk -> unfinished.merge(chunk.table(), 1, Integer::sum));
    }

    /** The next chunk to copy, or null when none waits. */
    synchronized Chunk next() {
        return waiting.poll();
    }

    /** A chunk {@link #next} gave is copied. */
    synchronized void copied(Chunk chunk) {
        unfinished.computeIfPresent(chunk.table(), (table, count) -> count == 1 ? null : count - 1);
    }

    /** Moves the table's waiting chunks before all others; false when none waits. */
    synchronized boolean prioritize(TableId table) {
        List<Chunk> moved = take(table);
        for (int i = moved.size() - 1; i >= 0; i--) {
            waiting.addFirst(moved.get(i));
        }
        return !moved.isEmpty();
    }

    /** Drops the table's waiting chunks; false when the table has no unfinished chunk (not in the load, or done). */
    synchronized boolean cancel(TableId table) {
        if (!unfinished.containsKey(table)) {
            return false;
        }
        take(table);
        return true;
    }

    private List<Chunk> take(TableId table) {
        List<Chunk> taken = new java.util.ArrayList<>();
        for (Iterator<Chunk> it = waiting.iterator(); it.hasNext(); ) {
            Chunk chunk = it.next();
            if (chunk.table().equals(table)) {
                taken.add(chunk);
                it.remove();
            }
        }
        return taken;
    }
}
