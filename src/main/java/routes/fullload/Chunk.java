package routes.fullload;

import java.util.ArrayList;
import java.util.List;

import routes.change.TableId;

/**
 * One part of a table's full load: the rows whose split key lies in {@code [lower, upper)}; a null bound is open, so
 * the first and last chunks also hold keys written below or above the range seen when the load was planned.
 *
 * @param rows rows copied, once the chunk is done (null before)
 */
public record Chunk(TableId table, int number, Long lower, Long upper, Long rows) {

    public boolean done() {
        return rows != null;
    }

    public Chunk withRows(long copied) {
        return new Chunk(table, number, lower, upper, copied);
    }

    /** Even key ranges between the smallest and largest key, as many as the rows need; open at both ends. */
    public static List<Chunk> split(TableId table, long min, long max, long rows, long chunkRows) {
        long count = Math.max(1, (rows + chunkRows - 1) / chunkRows);
        if (count == 1 || max - min < 0 || max - min > Long.MAX_VALUE / 2) {
            return List.of(new Chunk(table, 0, null, null, null)); // one chunk, or a key range too wide to step through
        }
        long width = Math.max(1, (max - min) / count + 1);
        List<Chunk> chunks = new ArrayList<>();
        Long lower = null;
        for (int i = 0; i < count; i++) {
            Long upper = i == count - 1 ? null : min + width * (i + 1);
            if (upper != null && upper > max) {
                upper = null;
            }
            chunks.add(new Chunk(table, i, lower, upper, null));
            if (upper == null) {
                break;
            }
            lower = upper;
        }
        return chunks;
    }
}
