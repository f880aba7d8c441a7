package routes.fullload;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.change.TableId;
import routes.schema.TableSchema;
import routes.state.FullLoadLedger;
import routes.state.SyncTask;

/**
 * The full load as parallel chunk copies, consistent with the change stream that follows it. How a chunk's rows go into
 * the target is its engine's {@link ChunkWriter}: {@link PostgresChunkCopy} or {@link MySqlChunkInsert}.
 *
 * <p>How it stays consistent: the source's watermark (for PostgreSQL, the replication slot) is fixed before the first
 * chunk is read, and the change stream starts from it only after the last chunk is written. Each chunk is read at some
 * moment after the watermark, so it holds every change made before that moment; the stream then applies, in commit
 * order, every change made after the watermark, including those a chunk already holds. Applying a change again to a
 * row that already has it, or a newer one, is harmless because every streamed change carries the whole row (or only
 * columns it really changed) and the stream ends with each row's newest change. A row read by the full load therefore
 * never outlives a newer change, and no change after the watermark is missed. The target may show an older value of a
 * row for the time the stream needs to catch up with the load.
 *
 * <p>Each chunk is written and marked done in one target transaction, so a restart continues with the chunks not done
 * yet, from the same watermark. The task's registry counts a chunk's rows read and written when that transaction
 * commits, and shows each table's chunks done.
 */
public final class ChunkedFullLoad {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkedFullLoad.class);
    private static final int ATTEMPTS = 5;

    /** Where a source table's rows go: the target table and its columns, named as the source's. */
    public record Destination(TableSchema source, TableId target) {
    }

    /** Opens a new target connection (autocommit off). */
    public interface TargetConnections {
        Connection open() throws SQLException;
    }

    /** Keeps a row the target cannot hold (the task's dirty rows), inside the transaction of the chunk that read it. */
    public interface RefusedRowStore {
        void store(Connection c, Destination destination, Map<String, Object> row, String reason, long sequence) throws SQLException;
    }

    private final String task;
    private final SyncTask registered;
    private final ChunkSource source;
    private final TargetConnections target;
    private final FullLoadLedger ledger;
    private final RefusedRowStore refusedRows;
    private final java.util.function.Supplier<ChunkWriter> writers;
    private final java.util.concurrent.atomic.AtomicLong refusedSequence = new java.util.concurrent.atomic.AtomicLong();

    /** {@code writers} gives each parallel worker a chunk writer of its own, for the target's engine. */
    public ChunkedFullLoad(SyncTask task, ChunkSource source, TargetConnections target, RefusedRowStore refusedRows,
            java.util.function.Supplier<ChunkWriter> writers) {
        this.task = task.name();
        this.registered = task;
        this.source = source;
        this.target = target;
        this.refusedRows = refusedRows;
        this.writers = writers;
        this.ledger = new FullLoadLedger(this.task);
    }

    /** The chunks being copied, while a load or a table's copy runs. */
    private volatile ChunkQueue running;
    /** The tables an operator took out of this load. */
    private final Set<TableId> cancelled = ConcurrentHashMap.newKeySet();

    /** Moves a table's waiting chunks before the others'; false when none waits (not in the load, done or being copied). */
    public boolean prioritize(TableId table) {
        ChunkQueue queue = running;
        return queue != null && queue.prioritize(table);
    }

    /**
     * Takes a table out of the running load: its waiting chunks are dropped, those being copied finish; false when the
     * table has no unfinished chunk. The caller stops the table (a resync loads it later).
     */
    public boolean cancel(TableId table) {
        ChunkQueue queue = running;
        if (queue != null && queue.cancel(table)) {
            cancelled.add(table);
            return true;
        }
        return false;
    }

    /** The tables {@link #cancel} took out of this load. */
    public Set<TableId> cancelled() {
        return Set.copyOf(cancelled);
    }

    /** Whether an earlier run left a plan to go on with (its target rows must then be kept). */
    public boolean resumable(Connection c, List<TableSchema> tables) throws SQLException {
        return ledger.load(c, byName(tables)).isPresent();
    }

    /**
     * Copies every chunk not done yet and returns the position the change stream must start from. The caller saves
     * that position (and the schema history at it) and {@link #finish finishes} the ledger in one transaction.
     */
    public Watermark run(List<Destination> destinations) throws Exception {
        try (source) {
            return load(destinations);
        }
    }

    private Watermark load(List<Destination> destinations) throws Exception {
        Map<TableId, Destination> byTable = destinations.stream().collect(Collectors.toMap(d -> d.source().id(), d -> d));
        FullLoadLedger.Plan plan;
        Map<TableId, Long> estimates = new HashMap<>();
        try (Connection c = target.open()) {
            plan = ledger.load(c, byName(destinations.stream().map(Destination::source).toList())).orElse(null);
            if (plan == null) {
                // Tables in name order, so the order an operator sees (and can change by prioritizing) is predictable.
                List<TableSchema> tables = destinations.stream().map(Destination::source)
                        .sorted(java.util.Comparator.comparing(t -> t.id().toString())).toList();
                String watermark = FullLoadLedger.watermark(source.watermark(tables));
                List<Chunk> chunks = new ArrayList<>();
                for (TableSchema table : tables) {
                    if (!source.skips(table)) {
                        long rows = source.estimatedRows(table);
                        estimates.put(table.id(), rows);
                        chunks.addAll(source.plan(table, rows, source.chunkRows()));
                    }
                }
                plan = new FullLoadLedger.Plan(watermark, chunks);
                ledger.save(c, plan);
                c.commit();
                LOG.info("Task '{}': full load of {} tables in {} chunks, {} at a time", task, tables.size(), chunks.size(),
                        source.parallelism());
            } else {
                LOG.info("Task '{}': full load goes on with {} of {} chunks", task,
                        plan.chunks().stream().filter(ch -> !ch.done()).count(), plan.chunks().size());
            }
        }
        try (FullLoadProgress progress = new FullLoadProgress(task)) {
            Map<TableId, Long> alreadyCopied = new HashMap<>();
            plan.chunks().stream().filter(Chunk::done).forEach(ch -> alreadyCopied.merge(ch.table(), ch.rows(), Long::sum));
            Map<TableId, List<Chunk>> chunksByTable = plan.chunks().stream().collect(Collectors.groupingBy(Chunk::table));
            for (TableId table : plan.chunks().stream().map(Chunk::table).distinct().toList()) {
                long expected = estimates.containsKey(table) ? estimates.get(table) : source.estimatedRows(byTable.get(table).source());
                progress.expect(table, expected, alreadyCopied.getOrDefault(table, 0L));
                registered.loadEstimated(table, expected);
                List<Chunk> chunks = chunksByTable.get(table);
                registered.loadPlanned(table, chunks.size(), (int) chunks.stream().filter(Chunk::done).count(),
                        alreadyCopied.getOrDefault(table, 0L));
            }
            copyAll(plan.chunks().stream().filter(ch -> !ch.done()).toList(), byTable, progress, ledger);
            checkUnchanged(destinations);
            progress.report();
            LOG.info("Task '{}': full load done: {} rows in {} s; changes since its start follow", task,
                    String.format("%,d", progress.total()), String.format("%.1f", progress.seconds()));
        }
        return FullLoadLedger.watermark(plan);
    }

    /**
     * A table whose structure changed during the load holds chunks that do not match it (and on MariaDB cannot be
     * streamed from the watermark): the plan is then forgotten, so the next start loads from a new watermark.
     */
    private void checkUnchanged(List<Destination> destinations) throws Exception {
        try {
            source.checkUnchanged(destinations.stream().map(Destination::source).toList());
        } catch (SQLException e) {
            try (Connection c = target.open()) {
                ledger.clear(c);
                c.commit();
            }
            throw new routes.ops.TaskProblem(e.getMessage().replaceFirst("\\.$", "") + ". The full load starts again from empty target tables at the "
                    + "next start: restart the task (a table's structure must not change during its full load).", e);
        }
    }

    /** Forgets the finished load, inside the caller's transaction that saves the stream's start position. */
    public void finish(Connection c) throws SQLException {
        ledger.clear(c);
    }

    /**
     * Copies one source table into {@code destination} (a staging table) in chunks, for a resync or a backfill while
     * the task streams. No watermark: the writer holds the table's changes from before the first chunk is read and
     * applies them on top afterwards (docs/table-operations.md). Goes on with the chunks an earlier run copied, kept
     * under {@code ledgerKey}; the caller clears that ledger in the transaction that finishes the operation. Returns
     * the rows copied.
     */
    public long copyTable(Destination destination, String ledgerKey) throws Exception {
        FullLoadLedger tableLedger = new FullLoadLedger(ledgerKey);
        TableSchema table = destination.source();
        try (source; FullLoadProgress progress = new FullLoadProgress(task)) {
            FullLoadLedger.Plan plan;
            long expected = source.estimatedRows(table);
            try (Connection c = target.open()) {
                plan = tableLedger.load(c, name -> name.equals(table.id().toString()) ? table.id() : null).orElse(null);
                if (plan == null) {
                    plan = new FullLoadLedger.Plan("{}", source.plan(table, expected, source.chunkRows()));
                    tableLedger.save(c, plan);
                    c.commit();
                }
            }
            long copiedBefore = plan.chunks().stream().filter(Chunk::done).mapToLong(Chunk::rows).sum();
            progress.expect(table.id(), expected, copiedBefore);
            registered.loadPlanned(table.id(), plan.chunks().size(), (int) plan.chunks().stream().filter(Chunk::done).count(), copiedBefore);
            copyAll(plan.chunks().stream().filter(ch -> !ch.done()).toList(), Map.of(table.id(), destination), progress, tableLedger);
            progress.report();
            return progress.total();
        }
    }

    private void copyAll(List<Chunk> pending, Map<TableId, Destination> byTable, FullLoadProgress progress, FullLoadLedger ledger)
            throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(source.parallelism(), r -> {
            Thread thread = new Thread(r, "full-load-" + task);
            thread.setDaemon(true);
            return thread;
        });
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "full-load-progress-" + task);
            thread.setDaemon(true);
            return thread;
        });
        reporter.scheduleAtFixedRate(progress::report, 5, 5, TimeUnit.SECONDS);
        ChunkQueue queue = new ChunkQueue(pending);
        running = queue;
        try {
            List<Future<?>> copies = new ArrayList<>();
            for (int i = 0; i < Math.min(source.parallelism(), Math.max(1, pending.size())); i++) {
                copies.add(workers.submit(() -> {
                    try (Worker worker = new Worker(ledger)) {
                        for (Chunk chunk = queue.next(); chunk != null; chunk = queue.next()) {
                            progress.copied(chunk.table(), worker.copyWithRetry(chunk, byTable.get(chunk.table())));
                            queue.copied(chunk);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> copy : copies) {
                try {
                    copy.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            running = null;
            workers.shutdownNow();
            reporter.shutdownNow();
        }
    }

    /** Copies chunks one after the other, on a source reader, a target connection and a chunk writer of its own. */
    private final class Worker implements AutoCloseable {

        private final ChunkWriter writer = writers.get();
        private final FullLoadLedger ledger;
        private ChunkSource.Reader reader;
        private Connection connection;

        Worker(FullLoadLedger ledger) {
            this.ledger = ledger;
        }

        /** A chunk whose copy failed on a lost connection is copied again whole, on new connections. */
        long copyWithRetry(Chunk chunk, Destination destination) throws Exception {
            long delayMs = 500;
            for (int attempt = 1; ; attempt++) {
                try {
                    return copy(chunk, destination);
                } catch (SQLException e) {
                    close();
                    boolean lostConnection = e.getSQLState() != null && e.getSQLState().startsWith("08");
                    if (!lostConnection || attempt == ATTEMPTS) {
                        throw new SQLException("Full load of " + destination.source().id() + " (chunk " + chunk.number() + ") failed: "
                                + e.getMessage(), e.getSQLState(), e);
                    }
                    LOG.warn("Task '{}': chunk {} of {} failed ({}); copying it again in {} ms", task, chunk.number(),
                            chunk.table(), e.getMessage(), delayMs);
                    Thread.sleep(delayMs);
                    delayMs = Math.min(delayMs * 2, 10_000);
                }
            }
        }

        /** The chunk's rows into the target table, and the chunk marked done, in one target transaction. */
        private long copy(Chunk chunk, Destination destination) throws Exception {
            if (connection == null) {
                connection = target.open();
                writer.prepare(connection);
                reader = source.reader();
            }
            // Split along a column outside the key, a row whose split value changed between two chunk reads is read
            // by both: the writer keeps one copy (the stream brings the newest).
            boolean overlapping = !destination.source().primaryKey().contains(source.splitKey(destination.source()));
            List<ChunkWriter.Refused> refused = new ArrayList<>();
            long rows = writer.write(connection, reader, chunk, destination, overlapping, refused);
            for (ChunkWriter.Refused row : refused) {
                // Sequences below those of captured changes, which count from 0 up.
                refusedRows.store(connection, destination, row.values(), row.reason(), refusedSequence.decrementAndGet());
            }
            ledger.done(connection, chunk, rows);
            connection.commit();
            registered.chunkCommitted(chunk.table(), rows + refused.size(), rows);
            return rows;
        }

        @Override
        public void close() {
            try {
                if (reader != null) {
                    reader.close();
                }
                if (connection != null) {
                    connection.close();
                }
            } catch (SQLException e) {
                LOG.debug("Task '{}': closing full-load connections: {}", task, e.getMessage());
            } finally {
                reader = null;
                connection = null;
            }
        }
    }

    private static java.util.function.Function<String, TableId> byName(List<TableSchema> tables) {
        Map<String, TableId> names = tables.stream().collect(Collectors.toMap(t -> t.id().toString(), TableSchema::id, (a, b) -> a));
        return names::get;
    }
}
