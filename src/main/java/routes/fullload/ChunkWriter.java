package routes.fullload;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

/** Writes the rows of one chunk into a target table, in the open transaction of a full-load worker's connection. */
public interface ChunkWriter {

    /** A row the chunk read that the target cannot hold, and why. */
    record Refused(Map<String, Object> values, String reason) {
    }

    /** Session settings a worker's new target connection needs before its first chunk. */
    void prepare(Connection target) throws Exception;

    /**
     * Copies the chunk's rows into the destination and returns how many were written; rows the target refuses are
     * added to {@code refused} instead. A chunk split along a column outside the key ({@code overlapping}) may hold rows
     * another chunk holds too; the writer keeps one copy (the change stream brings the newest).
     */
    long write(Connection target, ChunkSource.Reader reader, Chunk chunk, ChunkedFullLoad.Destination destination,
            boolean overlapping, List<Refused> refused) throws Exception;
}
