package routes.fullload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import routes.change.TableId;

class ChunkSplitTest {

    private static final TableId ORDERS = new TableId("public", "orders");

    @Test
    void rangesFollowEachOtherWithOpenEnds() {
        List<Chunk> chunks = Chunk.split(ORDERS, 1, 300_000, 300_000, 20_000);
        assertEquals(15, chunks.size());
        assertNull(chunks.get(0).lower(), "keys below the smallest seen belong to the first chunk");
        assertNull(chunks.get(14).upper(), "keys above the largest seen belong to the last chunk");
        for (int i = 1; i < chunks.size(); i++) {
            assertEquals(chunks.get(i - 1).upper(), chunks.get(i).lower(), "no gap and no overlap at chunk " + i);
            assertEquals(i, chunks.get(i).number());
        }
        assertEquals(20_001L, chunks.get(0).upper());
    }

    @Test
    void everyKeyFallsInExactlyOneChunk() {
        List<Chunk> chunks = Chunk.split(ORDERS, -50, 1_000, 7, 2);
        for (long key = -100; key <= 1_100; key++) {
            long k = key;
            long holding = chunks.stream().filter(c -> (c.lower() == null || k >= c.lower()) && (c.upper() == null || k < c.upper())).count();
            assertEquals(1, holding, "key " + key);
        }
    }

    @Test
    void smallTablesAndExtremeKeysAreOneChunk() {
        assertEquals(1, Chunk.split(ORDERS, 1, 10, 10, 100_000).size());
        List<Chunk> wide = Chunk.split(ORDERS, Long.MIN_VALUE, Long.MAX_VALUE, 1_000_000, 10);
        assertEquals(1, wide.size());
        assertTrue(wide.get(0).lower() == null && wide.get(0).upper() == null);
    }
}
