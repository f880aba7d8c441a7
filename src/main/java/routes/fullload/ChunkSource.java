package routes.fullload;

import java.io.OutputStream;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import routes.schema.TableSchema;

/** A source the full load can read in chunks, in parallel, from a position the change stream later starts at. */
public interface ChunkSource extends AutoCloseable {

    /**
     * Fixes the position the change stream will start from, before any chunk is read. Every change after it is streamed
     * once the full load is done.
     */
    Watermark watermark(List<TableSchema> tables) throws SQLException;

    /** Splits a table of about {@code rows} rows into chunks of about {@code chunkRows} rows along its split key. */
    List<Chunk> plan(TableSchema table, long rows, long chunkRows) throws SQLException;

    /** The source's own estimate of a table's rows, for progress (0 when it has none). */
    long estimatedRows(TableSchema table) throws SQLException;

    /** Opens a reader for one worker of the load, which reads its chunks one after the other on one connection. */
    Reader reader() throws SQLException;

    /** Reads chunks on a connection of its own. */
    interface Reader extends AutoCloseable {

        /**
         * Writes one chunk's rows, in PostgreSQL's COPY text format, columns in the table's order, and returns the
         * count written. A row whose value the target type cannot hold is handed to {@code refused} instead.
         */
        long copyOut(TableSchema table, Chunk chunk, OutputStream out, RefusedRows refused) throws SQLException;

        /**
         * Hands one chunk's rows to {@code rows}, columns in the table's order, for a MySQL-family target whose tables
         * mirror the source's, and returns the count handed over. Each value is one the target's writer binds to what the
         * change stream would store: from a MySQL-family source the server's own text (or bytes), which a column of the
         * same type reads back exactly; from PostgreSQL the value in the form the capture hands it over. Only for
         * tables {@link ChunkSource#readsRowsOf} accepts.
         */
        long readRows(TableSchema table, Chunk chunk, RowConsumer rows) throws SQLException;

        @Override
        void close() throws SQLException;
    }

    /**
     * Called once every chunk is copied, with the tables as they were when this run of the load began: throws if one
     * changed its structure since, as chunks read before the change would not match it.
     */
    default void checkUnchanged(List<TableSchema> planned) throws SQLException {
    }

    /** Closes what planning kept open; readers close on their own. */
    @Override
    void close();

    /** Receives the rows of {@link Reader#readRows}. */
    interface RowConsumer {
        void accept(Object[] values) throws SQLException;
    }

    /**
     * Whether {@link Reader#readRows} hands values over in the form the capture does, so that any target column type
     * (a typeMapping's choice too) takes them as it takes the change stream's; otherwise they are the source's own
     * text, for columns of the source's own types.
     */
    default boolean readsCaptureValues() {
        return false;
    }

    /**
     * Whether readers can hand these tables' rows to a MySQL-family target ({@link Reader#readRows}); when not, such a
     * target's full load goes through the capture engine's snapshot.
     */
    default boolean readsRowsOf(List<TableSchema> tables) throws SQLException {
        return false;
    }

    /** Where rows go that the source reads but the target type cannot hold (a NUL character for PostgreSQL text). */
    interface RefusedRows {
        void refuse(Map<String, Object> row, String reason);
    }

    /** The column a table is split along (the task's choice, else the first primary-key column). */
    String splitKey(TableSchema table);

    /** Rows per chunk and chunks read at once, from the task's settings. */
    long chunkRows();

    int parallelism();

    /** Whether the task leaves this table out of the full load. */
    boolean skips(TableSchema table);

    /**
     * Checks an operator's filter (a backfill's WHERE condition) against the source before anything is copied: one
     * condition the source accepts on the table, nothing more. Throws with the source's own message otherwise.
     */
    void checkFilter(TableSchema table, String where) throws SQLException;

    /** From now on the chunks of {@code table} read only the rows {@code where} also selects (a backfill's filter). */
    void restrict(routes.change.TableId table, String where);
}
