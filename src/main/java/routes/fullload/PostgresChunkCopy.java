package routes.fullload;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Chunks into PostgreSQL: the source writes the rows as COPY text straight into {@code COPY ... FROM STDIN}; an
 * overlapping chunk goes through a staging table and keeps the copy already there.
 */
public final class PostgresChunkCopy implements ChunkWriter {

    @Override
    public void prepare(Connection target) throws Exception {
        PostgresCopySession.prepare(target);
    }

    @Override
    public long write(Connection target, ChunkSource.Reader reader, Chunk chunk, ChunkedFullLoad.Destination destination,
            boolean overlapping, List<Refused> refused) throws Exception {
        String columns = destination.source().columnNames().stream().map(PostgresChunkCopy::quote).collect(Collectors.joining(", "));
        String table = quote(destination.target().schema()) + "." + quote(destination.target().table());
        if (overlapping) {
            try (Statement s = target.createStatement()) {
                s.execute("CREATE TEMPORARY TABLE realtime_sync_chunk (LIKE " + table + ") ON COMMIT DROP");
            }
        }
        String copyIn = "COPY " + (overlapping ? "realtime_sync_chunk" : table) + " (" + columns + ") FROM STDIN";
        long rows;
        try (PGCopyOutputStream out = new PGCopyOutputStream(target.unwrap(PGConnection.class), copyIn, 1 << 16)) {
            reader.copyOut(destination.source(), chunk, out, (row, reason) -> refused.add(new Refused(row, reason)));
            rows = out.endCopy();
        }
        if (overlapping) {
            try (Statement s = target.createStatement()) {
                s.execute("INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM realtime_sync_chunk ON CONFLICT DO NOTHING");
            }
        }
        return rows;
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
