package routes.state;

import java.util.Map;

import routes.capture.SourceDatabase;

/**
 * What the capture side needs from a task's writer: the target is where source positions live, in the same
 * transaction as the rows they cover.
 */
public interface TaskSink {

    /**
     * Checks the source, prepares the target (state tables, missing tables, a full load that must start over) and
     * returns the source positions committed with the target's data (Debezium offset key JSON -> value JSON).
     */
    Map<String, String> open(SourceDatabase source, boolean fullLoadWanted) throws Exception;

    /**
     * Every problem that would keep the task from starting, each saying how to fix it: the target (reachable, writable)
     * where this sink checks it, then the source as {@link #open} checks it. Reads only: the {@code check} command.
     */
    default java.util.List<routes.ops.TaskProblem> preflight(SourceDatabase source) {
        return source.problems(false);
    }

    /** Where this sink writes, without secrets, for messages. */
    default String describeTarget() {
        return "its target";
    }

    /**
     * How the task maps each column of a source table onto its target, in the source's column order, then the columns
     * only the target has; null when the task does not sync the table, or this target does not say. Reads what the
     * writer holds, without its lock and without asking the target.
     */
    default java.util.List<ColumnMapping> columnMapping(routes.change.TableId table) {
        return null;
    }

    /**
     * Applies everything captured so far and commits it together with these positions, in one target transaction.
     * Returns only when the target holds it durably; throws when it cannot, and the positions are then not saved.
     */
    void commit(Map<String, String> offsets) throws Exception;

    /** Schema history records of binlog sources, oldest first (see {@link TargetSchemaHistory}). */
    java.util.List<String> schemaHistory();

    /** Adds a schema history record inside the open target transaction, so it commits with the rows it precedes. */
    void appendSchemaHistory(String record) throws Exception;

    /** The capture engine stopped; unless the task is stopping, that is a failure to report. */
    void captureStopped();

    /** Where the task's capture stands in the source's transactions: the target commits only outside them. */
    TransactionBoundary transactionBoundary();

    /**
     * A poll batch ended inside a source transaction, so nothing commits now and the target's transaction stays open.
     * A writer that holds changes in memory until its commit hands them to that open transaction here once they are
     * many, so that a long source transaction does not fill the heap.
     */
    default void commitDeferred() throws Exception {
    }

    /**
     * Pauses one streaming table: what was captured before is applied, later changes are held in the target until
     * {@link #resume}. Throws {@link TableOperationRefused} when the table or its target cannot be paused.
     */
    default void pause(routes.change.TableId table) throws Exception {
        throw new TableOperationRefused("this task's target cannot pause a table");
    }

    /** Applies a paused table's held changes in source order; the table streams again. */
    default void resume(routes.change.TableId table) throws Exception {
        throw new TableOperationRefused("this task's target cannot pause a table");
    }

    /**
     * Reloads one table while the task streams (docs/table-operations.md): its rows are copied anew into a staging
     * table, which replaces them in one commit once up to date. Also the way back for a stopped table.
     */
    default void resync(routes.change.TableId table) throws Exception {
        throw new TableOperationRefused("this task's target cannot resync a table");
    }

    /**
     * Copies anew the source rows of one table that {@code where} (a condition on the source table) selects, merged
     * into the target's rows while the task streams; its other rows stay as they are.
     */
    default void backfill(routes.change.TableId table, String where) throws Exception {
        throw new TableOperationRefused("this task's target cannot backfill a table");
    }

    /** Moves a table waiting in the task's full load before the other waiting tables. */
    default void prioritize(routes.change.TableId table) throws Exception {
        throw new TableOperationRefused("this task's target cannot reorder its full load");
    }

    /** Takes a table out of the task's running full load: it stops, visibly, until a resync loads it. */
    default void cancel(routes.change.TableId table) throws Exception {
        throw new TableOperationRefused("this task's target cannot cancel a table's full load");
    }
}
