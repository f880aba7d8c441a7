package routes.capture;

import java.util.List;

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

    /** The tables the task captures, with exact column types; tables without a primary key included. */
    List<TableSchema> tables();

    /** Whether a table created while the task runs reaches the change stream with all its rows. */
    boolean capturesNewTables();

    /** The database a table lives in (PostgreSQL: the task's database; MySQL family: the table's own). */
    String databaseOf(routes.change.TableId table);

    /** Where the source is, without secrets, for messages. */
    String describe();
}
