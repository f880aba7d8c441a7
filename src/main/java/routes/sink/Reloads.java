package routes.sink;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import routes.change.TableId;

/**
 * The reloads (resyncs and backfills) of one writer's tables: what each reloads, whose copy waits for the commit that
 * records its reload, whose copy runs, and whose copy is done and waits for the commit that finishes it. Copies run
 * one at a time on a thread of their own, never on the capture's path.
 */
final class Reloads {

    private final TaskWriter writer;
    private final Map<TableId, Reload> running = new ConcurrentHashMap<>();
    private final Set<TableId> requested = ConcurrentHashMap.newKeySet();
    private final Set<TableId> copied = ConcurrentHashMap.newKeySet();
    /**
     * Copies done before the writer's last commit: every target transaction the writer opens after it sees the staging
     * table (under snapshot isolation, DuckDB's, a transaction opened before the copy committed would not).
     */
    private final Set<TableId> copiedBeforeCommit = ConcurrentHashMap.newKeySet();
    private ExecutorService copies;

    Reloads(TaskWriter writer) {
        this.writer = writer;
    }

    /** A reload recorded in the open unit of work: its copy starts after the commit that makes it durable. */
    void requested(TableId table, Reload reload) {
        running.put(table, reload);
        requested.add(table);
    }

    Reload of(TableId table) {
        return running.get(table);
    }

    boolean isLive(TableId table) {
        Reload reload = running.get(table);
        return reload != null && reload.live();
    }

    /** Starts the copies of the reloads committed so far (called after each commit, and after a restart found some). */
    synchronized void startRequested() {
        if (requested.isEmpty()) {
            return;
        }
        if (copies == null) {
            copies = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "reload-" + writer.task);
                thread.setDaemon(true);
                return thread;
            });
        }
        for (TableId table : Set.copyOf(requested)) {
            requested.remove(table);
            Reload reload = running.get(table);
            copies.submit(() -> {
                try {
                    writer.copyForReload(table, reload);
                    copied.add(table);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the task stops: the copy goes on at its next start
                } catch (Exception e) {
                    writer.reloadFailed(table, e);
                }
            });
        }
    }

    /** The tables whose copy was done before the last commit, to finish with the next one. */
    Set<TableId> copied() {
        return new HashSet<>(copiedBeforeCommit);
    }

    /** The writer committed: the copies done so far are visible to its next transaction. */
    void committed() {
        copiedBeforeCommit.addAll(copied);
    }

    void finished(TableId table) {
        copiedBeforeCommit.remove(table);
        copied.remove(table);
        running.remove(table);
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
