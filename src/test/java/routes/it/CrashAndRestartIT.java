package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the syncing JVM during the full load and during streaming, a source restart, and a target that is away
 * for a minute: afterwards the target holds exactly the source's rows (count and full-row digest). The full load is
 * chunked (20,000 rows a chunk, two at a time): a restart goes on with the chunks not done, while a workload writes.
 */
class CrashAndRestartIT {

    private static final int ORDERS = 300_000;
    private static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("public.orders", "id");
        TABLES.put("public.accounts", "id");
    }

    private static final String[] CHUNKED = {"fullLoadChunkRows: 20000", "fullLoadParallelism: 2"};

    private PostgresPair pair;

    @BeforeEach
    void servers() throws Exception {
        pair = new PostgresPair("crash");
        pair.source(Workload.schema(ORDERS, 100));
    }

    @AfterEach
    void stopServers() throws Exception {
        pair.close();
    }

    @Test
    void killNineDuringFullLoadAndStreaming() throws Exception {
        SyncProcess sync = pair.startSync("run-1", CHUNKED);
        awaitTargetRows(sync, 1, ORDERS - 1);
        sync.kill9(); // in the middle of the full load
        long partial = pair.count(false, "public.orders");
        assertTrue(partial > 0 && partial < ORDERS, "killed mid-load, target had " + partial);

        try (Workload workload = new Workload(pair.source)) {
            for (int run = 2; run <= 5; run++) {
                sync = pair.startSync("run-" + run, CHUNKED);
                Thread.sleep(ThreadLocalRandom.current().nextLong(4_000, 12_000));
                assertTrue(sync.isAlive(), sync.output());
                if (run == 2) {
                    awaitOutput(sync, "the full load goes on where it stopped");
                    assertTrue(pair.count(false, "public.orders") >= partial, "the chunks copied before the kill were kept");
                }
                sync.kill9(); // during streaming (and, in run 2, possibly still the full load)
            }
            sync = pair.startSync("run-final");
            Thread.sleep(3_000);
            assertTrue(workload.transactions() > 100, "the workload ran: " + workload.transactions());
        }
        try (SyncProcess last = sync) {
            assertEquals(List.of(), pair.awaitSameContents(last, TABLES, Duration.ofMinutes(4)));
            assertEquals(100_000L, balanceSum(), "transfers keep the total");
            // the position the full load handed over is the one the capture engine went on with (one offset, no snapshot)
            assertEquals(1L, pair.count(false, "realtime_sync.source_offsets"));
            assertEquals(0L, pair.count(false, "realtime_sync.full_load_chunks"));
        }
    }

    @Test
    void sourceRestartAndTargetAwayForAMinute() throws Exception {
        try (SyncProcess sync = pair.startSync("outages"); Workload workload = new Workload(pair.source)) {
            awaitTargetRows(sync, ORDERS, Long.MAX_VALUE);
            awaitOutput(sync, "row changes committed"); // streaming: the workload's changes reach the target

            pair.source.restart(); // source goes down and comes back; capture resumes by itself
            Thread.sleep(5_000);

            pair.target.stop(); // target away for a minute while the source keeps changing
            Thread.sleep(Long.getLong("target.outage.ms", 60_000));
            assertTrue(sync.isAlive(), "the task waits for the target instead of stopping:\n" + sync.output());
            pair.target.restart();
            Thread.sleep(3_000);
            workload.close();
            assertEquals(List.of(), pair.awaitSameContents(sync, TABLES, Duration.ofMinutes(4)), sync.output());
            assertTrue(sync.output().contains("Target not reachable"), "the outage was retried");
        }
    }

    private static void awaitOutput(SyncProcess sync, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!sync.output().contains(text)) {
            assertTrue(sync.isAlive() && System.nanoTime() < deadline, "waiting for '" + text + "':\n" + sync.output());
            Thread.sleep(200);
        }
    }

    private long balanceSum() throws Exception {
        try (var c = pair.target.connect("warehouse"); var s = c.createStatement();
                var rs = s.executeQuery("SELECT sum(balance) FROM public.accounts")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void awaitTargetRows(SyncProcess sync, long atLeast, long atMost) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(sync.isAlive(), sync.output());
            long rows = pair.count(false, "public.orders");
            if (rows >= atLeast && rows <= atMost) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("target never had between " + atLeast + " and " + atMost + " orders");
    }
}
