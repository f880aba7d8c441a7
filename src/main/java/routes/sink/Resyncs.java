package routes.sink;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import routes.change.TableId;

/**
 * The resyncs of one writer's tables: which tables stay live while resynced, whose copy waits for the commit that
 * records its resync, whose copy runs, and whose copy is done and waits for the commit that finishes it. Copies run
 * one at a time on a thread of their own, never on the capture's path.
 */
final class Resyncs {

    private final TaskWriter writer;
    private final Set<TableId> live = ConcurrentHashMap.newKeySet();
    private final Set<TableId> requested = ConcurrentHashMap.newKeySet();
    private final Set<TableId> copied = ConcurrentHashMap.newKeySet();
    private ExecutorService copies;

    Resyncs(TaskWriter writer) {
        this.writer = writer;
    }

    /** A resync recorded in the open unit of work: its copy starts after the commit that makes it durable. */
    void requested(TableId table, boolean stayLive) {
        if (stayLive) {
            live.add(table);
        }
        requested.add(table);
    }

    boolean isLive(TableId table) {
        return live.contains(table);
    }

    /** Starts the copies of the resyncs committed so far (called after each commit, and after a restart found some). */
    synchronized void startRequested() {
        if (requested.isEmpty()) {
            return;
        }
        if (copies == null) {
            copies = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "resync-" + writer.task);
                thread.setDaemon(true);
                return thread;
            });
        }
        for (TableId table : Set.copyOf(requested)) {
            requested.remove(table);
            copies.submit(() -> {
                try {
                    writer.copyForResync(table);
                    copied.add(table);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the task stops: the copy goes on at its next start
                } catch (Exception e) {
                    writer.resyncFailed(table, e);
                }
            });
        }
    }

    /** The tables whose copy is done, to finish with the next commit. */
    Set<TableId> copied() {
        return new HashSet<>(copied);
    }

    void finished(TableId table) {
        copied.remove(table);
        live.remove(table);
        requested.remove(table);
    }

    /** The writer stops: running copies are interrupted (their chunks done so far are kept). */
    synchronized void stop() {
        if (copies != null) {
            copies.shutdownNow();
            copies = null;
        }
    }
}
