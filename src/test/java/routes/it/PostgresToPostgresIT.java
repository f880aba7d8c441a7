package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example task between two real PostgreSQL servers: full load, then inserts, updates, deletes, primary-key
 * changes, NULLs, unchanged TOAST values and awkward names, compared row by row (full row text) on both sides.
 */
class PostgresToPostgresIT {

    private static PostgresPair pair;

    /** Table -> ORDER BY of its key, for the digest. */
    private static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("public.orders", "id");
        TABLES.put("public.\"Order Items\"", "\"order\", \"select\"");
        TABLES.put("public.docs", "id");
    }

    @BeforeAll
    static void servers() throws Exception {
        pair = new PostgresPair("p2p");
    }

    @AfterAll
    static void stopServers() throws Exception {
        pair.close();
    }

    @Test
    void fullLoadThenEveryKindOfChange() throws Exception {
        pair.source(
                """
                CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int, status varchar(16), amount numeric(12,2),
                                     qty int, created_at timestamp, updated_at timestamp, note text, flag boolean, payload jsonb)""",
                """
                INSERT INTO orders SELECT i, i % 1000, (ARRAY['new','paid','shipped'])[1 + i % 3],
                       CASE WHEN i % 6 = 0 THEN -i * 1.01 ELSE i * 0.37 END, i % 7,
                       timestamp '2020-02-28 23:59:59.123456' + i * interval '1 hour 1.000001 seconds',
                       timestamp '2023-12-31 12:00:00' - i * interval '1 minute',
                       CASE WHEN i % 100 = 0 THEN NULL ELSE md5(i::text) END, i % 2 = 0,
                       jsonb_build_object('a', i, 'b', md5(i::text), 'c', i % 3 = 0)
                  FROM generate_series(1, 20000) i""",
                // Names any PostgreSQL user may choose: spaces, capitals, reserved words, unicode.
                "CREATE TABLE \"Order Items\" (\"order\" bigint, \"select\" int, \"Größe\" text, \"from\" numeric, PRIMARY KEY (\"order\", \"select\"))",
                "INSERT INTO \"Order Items\" SELECT i / 3, i % 3, 'größe ' || i, i * 1.5 FROM generate_series(1, 3000) i",
                // Large values stored out of line (TOAST): an update of another column does not resend them.
                "CREATE TABLE docs (id int PRIMARY KEY, title text, body text)",
                "INSERT INTO docs SELECT i, 'doc ' || i, (SELECT string_agg(md5(random()::text || j), '') FROM generate_series(1, 800) j) FROM generate_series(1, 20) i",
                "CREATE TABLE page_views (url text, viewed_at timestamptz)",
                "INSERT INTO page_views VALUES ('/', now())");

        try (SyncProcess sync = pair.startSync("p2p")) {
            assertEquals(List.of(), pair.awaitSameContents(sync, TABLES, Duration.ofMinutes(3)), "after the full load");

            pair.source(
                    "INSERT INTO orders (id, status, amount) VALUES (900001, 'new', 1.00), (900002, NULL, NULL)",
                    "UPDATE orders SET status = 'paid', qty = qty + 1, amount = amount + 0.01 WHERE id % 10 = 1",
                    "UPDATE orders SET note = NULL, payload = NULL WHERE id BETWEEN 100 AND 120",
                    "DELETE FROM orders WHERE id % 17 = 0",
                    "UPDATE orders SET id = id + 1000000 WHERE id BETWEEN 500 AND 510", // primary key changes
                    "UPDATE \"Order Items\" SET \"Größe\" = 'geändert', \"from\" = NULL WHERE \"select\" = 2",
                    "DELETE FROM \"Order Items\" WHERE \"order\" < 10",
                    "UPDATE docs SET title = 'retitled ' || id", // body unchanged: Debezium sends a placeholder
                    "UPDATE docs SET body = 'short now' WHERE id = 3",
                    "BEGIN; INSERT INTO orders (id, status) VALUES (900003, 'tx'); UPDATE orders SET status = 'tx' WHERE id = 2; "
                            + "DELETE FROM docs WHERE id = 4; COMMIT");
            assertEquals(List.of(), pair.awaitSameContents(sync, TABLES, Duration.ofMinutes(2)), "after streaming changes");
            assertTrue(sync.isAlive(), "the task keeps running");

            assertEquals(-1, pair.count(false, "public.page_views"), "a table without primary key is not created");
            String output = sync.output();
            assertTrue(output.contains("table public.page_views has no primary key"), output);
            assertFalse(output.contains(PostgresPair.PASSWORD), "a password was printed");
            int status = sync.stop();
            assertTrue(status == 0 || status == 143, "SIGTERM ends the task cleanly, status " + status);
            // The task's line once its capture has stopped and committed (camel-main's own last line may be cut off
            // by the JVM's exit: its shutdown hook returns as soon as the context is stopped).
            assertTrue(sync.output().contains("Task 'postgres-to-postgres' stopped:"), "graceful shutdown");
        }
    }
}
