package routes.capture;

import java.util.List;
import java.util.Map;

import routes.schema.TableSchema;

/** The source side of a task as the start-up checks and schema creation see it. */
public interface SourceDatabase {

    /**
     * Checks what capture needs (reachable, logical log enabled, privileges, replication slot) and throws a
     * {@link routes.ops.TaskProblem} that says what is wrong and how to fix it.
     *
     * @param resuming the target already holds a position for this task
     */
    void check(boolean resuming);

    /**
     * Everything {@link #check} refuses, every problem rather than the first, each saying how to fix it; empty when the
     * source is ready. Reads only. {@link #check} throws the first of these.
     */
    default List<routes.ops.TaskProblem> problems(boolean resuming) {
        try {
            check(resuming);
            return List.of();
        } catch (routes.ops.TaskProblem problem) {
            return List.of(problem);
        }
    }

    /**
     * What would keep some of these tables from syncing although the task runs (no primary key, a replica identity
     * that makes the source refuse their updates), each with the statement that fixes it: the {@code check} command's
     * findings beyond {@link #problems}.
     */
    default List<routes.ops.TaskProblem> tableProblems(List<TableSchema> tables) {
        return tables.stream().filter(table -> !table.hasPrimaryKey())
                .map(table -> new routes.ops.TaskProblem("Table " + table.id() + " on " + describe() + " has no primary key, so "
                        + "the task leaves it out: give it one, or take it out of the task's table selection."))
                .toList();
    }

    /** The tables the task captures, with exact column types; tables without a primary key included. */
    List<TableSchema> tables();

    /** Whether a table created while the task runs reaches the change stream with all its rows. */
    boolean capturesNewTables();

    /**
     * Schema history records (Debezium's, as JSON) that make the capture know {@code added}, tables new to the task
     * since its last run, at the resume position {@code offsets} where the task's {@code history} lacks them; appended
     * before the capture recovers its history. None for a source whose capture keeps no schema history (PostgreSQL
     * decodes any table its publication holds).
     */
    default List<String> historyOfAddedTables(java.util.Collection<routes.change.TableId> added, Map<String, String> offsets,
            List<String> history) {
        return List.of();
    }

    /** The database a table lives in (PostgreSQL: the task's database; MySQL family: the table's own). */
    String databaseOf(routes.change.TableId table);

    /**
     * A number per column that a rename keeps and a drop and add do not (PostgreSQL's attnum), so renames are told
     * apart exactly; empty where the source has none (MySQL family: its binlog names renames in the statement).
     */
    default Map<routes.change.TableId, Map<String, Integer>> columnIds() {
        return Map.of();
    }

    /**
     * What the rows a table held when {@code column} was added hold in it (its constant default, NULL, or values only
     * the rows show), read from the source's catalog.
     */
    default routes.schema.ColumnFill fillOfAddedColumn(routes.change.TableId table, String column) {
        return routes.schema.ColumnFill.NULL;
    }

    /** Whether the task leaves this table out of the full load, so its target rows must be kept, not emptied. */
    default boolean skipsFullLoad(routes.change.TableId table) {
        return false;
    }

    /**
     * Makes the source ready to capture these tables (PostgreSQL: the publication holds exactly them), before any
     * position is taken: pgoutput filters a change by the publication as it was when the change was made.
     */
    default void prepareCapture(List<TableSchema> tables) {
    }

    /** How the full load reads this source in parallel chunks; empty where the capture engine's snapshot does it. */
    default java.util.Optional<routes.fullload.ChunkSource> chunkSource() {
        return java.util.Optional.empty();
    }

    /** Where the source is, without secrets, for messages. */
    String describe();
}
