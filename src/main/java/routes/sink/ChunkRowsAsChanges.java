package routes.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.RowImage;
import routes.change.SourceOperation;
import routes.fullload.Chunk;
import routes.fullload.ChunkSource;
import routes.fullload.ChunkWriter;
import routes.fullload.ChunkedFullLoad;
import routes.schema.TableSchema;
import routes.sink.dialect.SqlDialect;

/**
 * A reload's chunks (docs/table-operations.md) written the way the change stream writes rows, for a task whose target
 * rows are not the source's as they are (typeMapping, assigned columns, identity columns): each row the reader hands
 * over ({@link ChunkSource.Reader#readRows}) becomes an upsert of a full-load row, and the writer maps and writes a
 * batch of them with the code that maps streamed changes, into the staging table. Rows the target refuses go to the
 * task's dirty rows there, as streamed ones do.
 */
final class ChunkRowsAsChanges implements ChunkWriter {

    /** Maps and writes a batch of full-load rows, in the chunk's transaction, with this worker's dialect. */
    interface RowsWrite {
        void write(Connection target, SqlDialect dialect, ChunkedFullLoad.Destination destination, List<ChangeEvent> rows)
                throws Exception;
    }

    private static final int BATCH_ROWS = 5_000;

    private final SqlDialect dialect;
    private final RowsWrite rowsWrite;

    /** {@code dialect}: an instance for this worker alone, since a dialect keeps per-connection state. */
    ChunkRowsAsChanges(SqlDialect dialect, RowsWrite rowsWrite) {
        this.dialect = dialect;
        this.rowsWrite = rowsWrite;
    }

    /** A row the full load read, as the upsert the capture's snapshot would have delivered for it. */
    static ChangeEvent fullLoadRow(TableSchema table, Map<String, Object> row, long sequence) {
        Map<String, Object> key = new LinkedHashMap<>();
        table.primaryKey().forEach(column -> key.put(column, row.get(column)));
        return new ChangeEvent(table.id(), Operation.UPSERT, table.primaryKey(), key, row, java.util.Set.of(), sequence,
                SourceOperation.FULL_LOAD, java.time.Instant.now(), RowImage.NONE, ChangeEvent.fullLoadPosition(table.id(), key));
    }

    @Override
    public void prepare(Connection target) {
        // The dialect sets the session up on its first statement.
    }

    @Override
    public long write(Connection target, ChunkSource.Reader reader, Chunk chunk, ChunkedFullLoad.Destination destination,
            boolean overlapping, List<Refused> refused) throws Exception {
        TableSchema table = destination.source();
        List<String> columns = table.columnNames();
        List<ChangeEvent> batch = new ArrayList<>(BATCH_ROWS);
        long[] read = {0};
        reader.readRows(table, chunk, values -> {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < values.length; i++) {
                row.put(columns.get(i), values[i]);
            }
            // In read order: of two overlapping chunks' copies of a row, the batch keeps the later.
            batch.add(fullLoadRow(table, row, read[0]++));
            if (batch.size() == BATCH_ROWS) {
                flush(target, destination, batch);
            }
        });
        flush(target, destination, batch);
        return read[0];
    }

    private void flush(Connection target, ChunkedFullLoad.Destination destination, List<ChangeEvent> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        try {
            rowsWrite.write(target, dialect, destination, List.copyOf(batch));
        } catch (SQLException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("Writing the rows of " + destination.source().id() + " failed: " + e.getMessage(), e);
        }
        batch.clear();
    }
}
