package routes.fullload;

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
}
