package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL into MariaDB with the example task: the chunked full load (the capture's values, written by multi-row
 * upserts) survives kill -9 under a live workload, and a table with a column of a type the chunked load does not read
 * is loaded by Debezium's snapshot instead. Rows are compared as MariaDB holds them (numeric and timestamp as
 * PostgreSQL's text, the mapping's choice); every type's values are compared by TypeFidelityIT.
 */
class PostgresToMariaDbIT {

    private static final int ORDERS = 300_000;
    private static final String[] CHUNKED = {"fullLoadChunkRows: 20000", "fullLoadParallelism: 2"};

    private static EmbeddedMariaDb mariaDb;
    private PostgresPair pair;

    @BeforeAll
    static void target() throws Exception {
        mariaDb = new EmbeddedMariaDb("--skip-log-bin");
    }

    @AfterAll
    static void stopTarget() throws Exception {
        mariaDb.close();
    }

    @BeforeEach
    void source() throws Exception {
        pair = new PostgresPair("pg-mariadb");
    }

    @AfterEach
    void stopSource() throws Exception {
        pair.close();
    }

    @Test
    void killNineDuringChunkedLoadAndStreaming() throws Exception {
        pair.source(Workload.schema(ORDERS, 100));
        Map<String, String> environment = environment("crash");
        List<SyncProcess> started = new ArrayList<>();
        try {
            started.add(pair.startSync("run-1", environment, CHUNKED));
            awaitOrders(started.get(0), "crash", 1, ORDERS - 1);
            started.get(0).kill9(); // in the middle of the full load
            long partial = orders("crash");
            assertTrue(partial > 0 && partial < ORDERS, "killed mid-load, target had " + partial);
            SyncProcess sync;
            try (Workload workload = new Workload(pair.source)) {
                for (int run = 2; run <= 3; run++) {
                    sync = pair.startSync("run-" + run, environment, CHUNKED);
                    started.add(sync);
                    if (run == 2) {
                        awaitOutput(sync, "the full load goes on where it stopped");
                        assertTrue(orders("crash") >= partial, "the chunks copied before the kill were kept");
                    }
                    Thread.sleep(ThreadLocalRandom.current().nextLong(4_000, 10_000));
                    assertTrue(sync.isAlive(), sync.output());
                    sync.kill9(); // during the load's last chunks or streaming
                }
                sync = pair.startSync("run-final", environment);
                started.add(sync);
                Thread.sleep(3_000);
                assertTrue(workload.transactions() > 100, "the workload ran: " + workload.transactions());
            }
            Map<String, String[]> tables = new LinkedHashMap<>();
            tables.put("orders", new String[] {"(SELECT id, status, amount::text AS amount, qty, updated_at::text AS updated_at, note "
                    + "FROM public.orders) o", "crash.orders", "id"});
            tables.put("accounts", new String[] {"public.accounts", "crash.accounts", "id"});
            assertEquals(Map.of(), CanonicalRows.awaitSame(sync, () -> pair.source.connect("shop"), () -> mariaDb.connect("crash"), tables,
                    Set.of(), Duration.ofMinutes(4)));
            assertEquals(1L, value("crash", "SELECT count(*) FROM realtime_sync.source_offsets"), "one position, handed over by the full load");
            assertEquals(0L, value("crash", "SELECT count(*) FROM realtime_sync.full_load_chunks"));
            assertEquals(100_000L, value("crash", "SELECT sum(balance) FROM crash.accounts"), "transfers keep the total");
        } finally {
            for (SyncProcess process : started) {
                process.close(); // a failed check must not leave a sync running
            }
        }
    }

    /**
     * A column added (with a default, which PostgreSQL writes into no row) while a chunked load was stopped: the chunks
     * copied before lack it, so the load starts over rather than go on, and the target ends equal to the source.
     */
    @Test
    void tableChangedWhileTheLoadWasStoppedIsLoadedAgain() throws Exception {
        pair.source(Workload.schema(ORDERS, 100));
        Map<String, String> environment = environment("changed");
        try (SyncProcess first = pair.startSync("changed-1", environment, CHUNKED)) {
            awaitOrders(first, "changed", 1, ORDERS - 1);
            first.kill9(); // in the middle of the full load
        }
        pair.source("DELETE FROM orders WHERE id % 7 = 0", "ALTER TABLE orders ADD COLUMN region text NOT NULL DEFAULT 'eu'");
        try (SyncProcess sync = pair.startSync("changed-2", environment, CHUNKED)) {
            assertOrdersWithRegionArrive(sync, "changed");
            assertTrue(sync.output().contains("table public.orders is new or changed its structure since the stopped full load began")
                    && sync.output().contains("full load starts from empty target tables"), sync.output());
        }
    }

    /** The same change while the load runs: the task stops saying so, and the next start loads again. */
    @Test
    void tableChangedDuringTheLoadStopsItAndTheNextStartLoadsAgain() throws Exception {
        pair.source(Workload.schema(ORDERS, 100));
        Map<String, String> environment = environment("during");
        try (SyncProcess first = pair.startSync("during-1", environment, CHUNKED)) {
            awaitOrders(first, "during", 1, ORDERS - 1);
            pair.source("ALTER TABLE orders ADD COLUMN region text NOT NULL DEFAULT 'eu'");
            awaitOutput(first, "Table public.orders changed its structure on PostgreSQL");
        }
        try (SyncProcess sync = pair.startSync("during-2", environment, CHUNKED)) {
            assertOrdersWithRegionArrive(sync, "during");
            assertTrue(sync.output().contains("full load starts from empty target tables"), sync.output());
        }
    }

    /**
     * typeMapping chooses MariaDB's native types for numeric, timestamp and date: the chunked load still runs, since
     * its values are the capture's, which those columns take as they take streamed changes.
     */
    @Test
    void typeMappingKeepsTheChunkedLoad() throws Exception {
        pair.source("CREATE TABLE readings (id int PRIMARY KEY, amount numeric(12,2), taken timestamp(3), at timestamp, day date)",
                "INSERT INTO readings SELECT i, (i - 500) * 1.25, timestamp '2024-02-28 23:59:59.123' + i * interval '1 hour 0.001 s', "
                        + "CASE WHEN i % 10 <> 0 THEN timestamp '2020-01-01 00:00:00.000001' + i * interval '1 day 1 us' END, "
                        + "date '2024-02-28' + i FROM generate_series(1, 2000) i");
        String example = java.nio.file.Files.readString(java.nio.file.Path.of("examples/postgres-to-postgres.yaml"));
        String password = "              password: \"RAW({{TARGET_PASSWORD}})\"\n";
        assertTrue(example.contains(password), "the example's sink password line");
        java.nio.file.Path task = pair.work.resolve("typemapping.yaml");
        java.nio.file.Files.writeString(task, example.replace(password, password + "              typeMapping: \"numeric(12,2)=DECIMAL(12,2);"
                + "timestamp without time zone=DATETIME(6);date=DATE\"\n"));
        try (SyncProcess sync = SyncProcess.start(pair.work.resolve("typemapping.log"), environment("typed"), "run", task.toString())) {
            Map<String, String[]> tables = Map.of("readings", new String[] {"public.readings", "typed.readings", "id"});
            assertEquals(Map.of(), CanonicalRows.awaitSame(sync, () -> pair.source.connect("shop"), () -> mariaDb.connect("typed"), tables,
                    Set.of(), Duration.ofMinutes(2)));
            sync.awaitOutput("full load done", Duration.ofSeconds(30)); // the chunked load ran
            pair.source("UPDATE readings SET amount = -amount, taken = taken + interval '0.5 s', day = day - 1 WHERE id <= 100",
                    "INSERT INTO readings VALUES (5000, 0.01, '1999-12-31 23:59:59.999', NULL, '1999-12-31')");
            assertEquals(Map.of(), CanonicalRows.awaitSame(sync, () -> pair.source.connect("shop"), () -> mariaDb.connect("typed"), tables,
                    Set.of(), Duration.ofMinutes(2)));
        }
        try (var c = mariaDb.connect("typed"); var s = c.createStatement(); var rs = s.executeQuery("SELECT GROUP_CONCAT(COLUMN_TYPE "
                + "ORDER BY ORDINAL_POSITION) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'typed' AND TABLE_NAME = 'readings'")) {
            rs.next();
            assertEquals("int(11),decimal(12,2),datetime(6),datetime(6),date", rs.getString(1));
        }
    }

    /** Waits until the target's orders, with the column region added while the load was stopped or ran, equal the source's. */
    private void assertOrdersWithRegionArrive(SyncProcess sync, String database) throws Exception {
        Map<String, String[]> tables = Map.of("orders", new String[] {"(SELECT id, status, amount::text AS amount, qty, "
                + "updated_at::text AS updated_at, note, region FROM public.orders) o", database + ".orders", "id"});
        assertEquals(Map.of(), CanonicalRows.awaitSame(sync, () -> pair.source.connect("shop"), () -> mariaDb.connect(database), tables,
                Set.of(), Duration.ofMinutes(2)));
    }

    /** A domain is not among the types the chunked load reads into the capture's values: the snapshot loads the task. */
    @Test
    void domainColumnLoadsThroughTheSnapshot() throws Exception {
        pair.source("CREATE DOMAIN price AS numeric(12,2) CHECK (VALUE > 0)",
                "CREATE TABLE items (id int PRIMARY KEY, name text, cost price)",
                "INSERT INTO items SELECT i, 'item ' || i, i * 0.25 FROM generate_series(1, 1000) i");
        try (SyncProcess sync = pair.startSync("domain", environment("domains"), CHUNKED)) {
            Map<String, String[]> tables = Map.of("items",
                    new String[] {"(SELECT id, name, cost::text AS cost FROM public.items) i", "domains.items", "id"});
            assertEquals(Map.of(), CanonicalRows.awaitSame(sync, () -> pair.source.connect("shop"), () -> mariaDb.connect("domains"), tables,
                    Set.of(), Duration.ofMinutes(2)));
            pair.source("UPDATE items SET cost = cost + 1 WHERE id <= 10", "INSERT INTO items VALUES (1001, 'new', 9.99)");
            assertEquals(Map.of(), CanonicalRows.awaitSame(sync, () -> pair.source.connect("shop"), () -> mariaDb.connect("domains"), tables,
                    Set.of(), Duration.ofMinutes(2)));
            assertTrue(sync.output().contains("Column cost of public.items has type price, which the chunked full load does not read"),
                    sync.output());
            assertFalse(sync.output().contains("full load done"), "the chunked load did not run");
        }
    }

    /**
     * The example task's environment with the MariaDB database {@code database} as its target; the task's state (a
     * server-wide database, where each test's task has the same name) starts empty.
     */
    private Map<String, String> environment(String database) throws Exception {
        mariaDb.execute("", "DROP DATABASE IF EXISTS realtime_sync", "CREATE DATABASE " + database);
        Map<String, String> environment = new LinkedHashMap<>(pair.environment());
        environment.put("TARGET_JDBC_URL", mariaDb.url(database));
        environment.put("TARGET_USER", EmbeddedMariaDb.ADMIN);
        return environment;
    }

    private static void awaitOutput(SyncProcess sync, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!sync.output().contains(text)) {
            assertTrue(sync.isAlive() && System.nanoTime() < deadline, "waiting for '" + text + "':\n" + sync.output());
            Thread.sleep(200);
        }
    }

    private static void awaitOrders(SyncProcess sync, String database, long atLeast, long atMost) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(sync.isAlive(), sync.output());
            long rows = orders(database);
            if (rows >= atLeast && rows <= atMost) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("target never had between " + atLeast + " and " + atMost + " orders");
    }

    /** Orders on the target, or -1 while the table does not exist (asked first: a failed query logs a warning). */
    private static long orders(String database) throws Exception {
        return value(database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + database
                + "' AND table_name = 'orders'") == 0 ? -1 : value(database, "SELECT count(*) FROM " + database + ".orders");
    }

    private static long value(String database, String query) throws Exception {
        try (var c = mariaDb.connect(database); var s = c.createStatement(); var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
