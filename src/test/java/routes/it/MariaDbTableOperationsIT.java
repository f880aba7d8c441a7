package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.change.TableId;
import routes.state.SyncTask;
import routes.state.TableState;
import routes.state.TaskPhase;
import routes.state.TaskRegistry;
import routes.state.TaskSink;

/**
 * The table operations on a MariaDB source and target (the chunks read the binlog source's own values into the
 * target's own types): a paused table stays as it was and catches up on resume, a backfill repairs only the rows its
 * filter selects, a resync repairs the whole table, and at the end the table equals the source.
 */
class MariaDbTableOperationsIT {

    private static final TableId ITEMS = new TableId("shop", "items");
    private static EmbeddedMariaDb source;
    private static EmbeddedMariaDb target;

    @BeforeAll
    static void servers() throws Exception {
        source = new EmbeddedMariaDb();
        target = new EmbeddedMariaDb("--skip-log-bin");
        source.execute("", "CREATE DATABASE shop");
        target.execute("", "CREATE DATABASE warehouse");
        source.execute("shop", "CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(40), price DECIMAL(10,2))",
                "INSERT INTO items SELECT seq, CONCAT('item ', seq), seq / 100 FROM seq_1_to_20000");
    }

    @AfterAll
    static void stopServers() throws Exception {
        source.close();
        target.close();
    }

    @Test
    void pauseResumeBackfillAndResync() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:mysql-cdc-source?task=ops&flavour=mariadb&databaseHostname=127.0.0.1&databasePort=" + source.port()
                        + "&databaseUser=" + EmbeddedMariaDb.ADMIN + "&databasePassword=RAW(" + EmbeddedMariaDb.ADMIN_PASSWORD + ")"
                        + "&databaseIncludeList=shop&fullLoadChunkRows=2000&fullLoadParallelism=2")
                        .routeId("ops")
                        .to("kamelet:jdbc-merge-sink?task=ops&jdbcUrl=RAW(" + target.url("warehouse") + ")&username="
                                + EmbeddedMariaDb.ADMIN + "&password=RAW(" + EmbeddedMariaDb.ADMIN_PASSWORD + ")");
            }
        });
        context.start();
        try {
            SyncTask task = TaskRegistry.of(context).task("ops");
            await("the full load", () -> task.phase() == TaskPhase.STREAMING && same());
            TaskSink writer = task.awaitWriter(10);

            writer.pause(ITEMS);
            await("the pause", () -> task.tables().get(ITEMS).state() == TableState.PAUSED);
            String paused = digest(target, "warehouse", "true");
            source.execute("shop", "UPDATE items SET v = 'while paused' WHERE id <= 500", "DELETE FROM items WHERE id > 19900");
            Thread.sleep(2_000);
            assertEquals(paused, digest(target, "warehouse", "true"), "a paused table does not change");
            writer.resume(ITEMS);
            await("the resume to catch up", MariaDbTableOperationsIT::same);

            target.execute("warehouse", "UPDATE items SET v = 'drifted' WHERE id BETWEEN 1000 AND 3000 OR id BETWEEN 9000 AND 11000");
            writer.backfill(ITEMS, "id BETWEEN 1000 AND 3000");
            source.execute("shop", "UPDATE items SET price = price + 1 WHERE id BETWEEN 2900 AND 3100");
            await("the backfill", () -> task.tables().get(ITEMS).state() == TableState.SYNCING
                    && digest(source, "shop", "id BETWEEN 1000 AND 3100").equals(digest(target, "warehouse", "id BETWEEN 1000 AND 3100")));
            assertEquals(2001L, count("id BETWEEN 9000 AND 11000 AND v = 'drifted'"), "rows outside the filter stay");

            target.execute("warehouse", "DELETE FROM items WHERE id % 7 = 0");
            writer.resync(ITEMS);
            source.execute("shop", "INSERT INTO items VALUES (50000, 'during the resync', 1)");
            await("the resync", () -> task.tables().get(ITEMS).state() == TableState.SYNCING && same());
        } finally {
            context.stop();
        }
    }

    private static boolean same() throws Exception {
        return digest(source, "shop", "true").equals(digest(target, "warehouse", "true"));
    }

    private static String digest(EmbeddedMariaDb server, String database, String where) throws Exception {
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            s.execute("SET SESSION group_concat_max_len = 100000000");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(MD5(GROUP_CONCAT(id, ':', v, ':', price ORDER BY id "
                    + "SEPARATOR '|')), '-') FROM items WHERE " + where)) {
                rs.next();
                return rs.getString(1) + ":" + rs.getString(2);
            } catch (java.sql.SQLException missing) {
                return "missing";
            }
        }
    }

    private static long count(String where) throws Exception {
        try (Connection c = target.connect("warehouse"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM items WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.call()) {
            assertTrue(System.nanoTime() < deadline, "Gave up waiting for " + what);
            Thread.sleep(300);
        }
    }
}
