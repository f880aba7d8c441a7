package routes.fullload;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import routes.schema.TableSchema;
import routes.sink.RejectedRowIsolation;
import routes.sink.dialect.SqlDialect;

/**
 * Chunks into a MySQL-family target whose tables mirror the source's (and a resync's staging table on DuckDB): the rows as the source's reader hands them over
 * ({@link ChunkSource.Reader#readRows}) go in with the dialect's multi-row upsert, a batch at a time, bound as the
 * change stream's values are; a row the target refuses
 * stands alone and goes to the task's dirty rows while its neighbours are written. A row that two overlapping chunks
 * both read is written twice, the later write winning; either copy is a state the row had after the watermark.
 */
public final class MySqlChunkInsert implements ChunkWriter {

    private static final int BATCH_ROWS = 5_000;

    private final SqlDialect dialect;
    private final RejectedRowIsolation<Map<String, Object>> isolation;

    /** {@code dialect}: an instance for this writer alone, since a dialect keeps per-connection state. */
    public MySqlChunkInsert(SqlDialect dialect) {
        this.dialect = dialect;
        this.isolation = new RejectedRowIsolation<>(dialect);
    }

    @Override
    public void prepare(Connection target) {
        // The dialect sets the session up (UTC, strict mode) on its first statement.
    }

    @Override
    public long write(Connection target, ChunkSource.Reader reader, Chunk chunk, ChunkedFullLoad.Destination destination,
            boolean overlapping, List<Refused> refused) throws Exception {
        TableSchema table = destination.source();
        List<String> columns = table.columnNames();
        List<Map<String, Object>> batch = new ArrayList<>(BATCH_ROWS);
        long[] written = {0};
        reader.readRows(table, chunk, values -> {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < values.length; i++) {
                row.put(columns.get(i), values[i]);
            }
            batch.add(row);
            if (batch.size() == BATCH_ROWS) {
                written[0] += flush(target, destination, batch, refused);
                batch.clear();
            }
        });
        return written[0] + flush(target, destination, batch, refused);
    }

    private long flush(Connection target, ChunkedFullLoad.Destination destination, List<Map<String, Object>> batch,
            List<Refused> refused) throws SQLException {
        int refusedBefore = refused.size();
        TableSchema table = destination.source();
        isolation.write(target, batch, (c, rows) -> dialect.upsert(c, destination.target(), table.primaryKey(), table.columnNames(), rows),
                (c, row, error) -> refused.add(new Refused(row, error.getMessage())));
        return batch.size() - (refused.size() - refusedBefore);
    }
}
