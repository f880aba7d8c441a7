package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.RowImage;
import routes.change.SourceOperation;
import routes.change.SourcePosition;
import routes.change.TableId;
import routes.demo.EmbeddedPostgresServer;
import routes.sink.dialect.SqlDialect;
import routes.sink.dialect.SqlDialects;

/**
 * Held changes in a real PostgreSQL and a DuckDB target: kept in source order across transactions and runs, gone with
 * a rolled-back transaction, per task and table (any name).
 */
class HeldChangesIT {

    private static final TableId TABLE = new TableId("Shop", "Order Items; DROP");

    @Test
    void postgres() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Files.createTempDirectory("rs-held").resolve("pg"))) {
            server.createDatabase("warehouse");
            String url = server.jdbcUrl("warehouse");
            check(SqlDialects.forName("postgresql", url), () -> server.connect("warehouse"));
        }
    }

    @Test
    void duckDb() throws Exception {
        String url = "jdbc:duckdb:" + Files.createTempDirectory("rs-held").resolve("warehouse.duckdb");
        check(SqlDialects.forName("duckdb", url), () -> DriverManager.getConnection(url));
    }

    interface Connections {
        Connection open() throws Exception;
    }

    private static void check(SqlDialect dialect, Connections target) throws Exception {
        try (Connection c = target.open()) {
            c.setAutoCommit(false);
            dialect.createStateTables(c);
            c.commit();

            HeldChanges held = new HeldChanges("task-a");
            held.hold(c, TABLE, List.of(change(1, "first"), change(2, "second")));
            held.hold(c, new TableId("Shop", "other"), List.of(change(3, "another table")));
            c.commit();
            held.hold(c, TABLE, List.of(change(4, "rolled back")));
            c.rollback();
            new HeldChanges("task-b").hold(c, TABLE, List.of(change(5, "another task")));
            c.commit();

            // A new run (a restart) goes on after what the table holds.
            HeldChanges restarted = new HeldChanges("task-a");
            restarted.hold(c, TABLE, List.of(change(6, "after restart")));
            c.commit();

            List<HeldChanges.Held> read = restarted.read(c, TABLE, 0, 100);
            assertEquals(List.of("first", "second", "after restart"), read.stream().map(h -> h.change().row().get("note")).toList());
            assertEquals(3, restarted.count(c, TABLE));
            assertEquals(List.of("after restart"), restarted.read(c, TABLE, read.get(1).seq(), 100).stream()
                    .map(h -> h.change().row().get("note")).toList(), "read on after a given place");
            assertEquals(1, restarted.read(c, TABLE, 0, 1).size(), "at most the limit");

            restarted.forget(c, TABLE);
            c.commit();
            assertEquals(0, restarted.count(c, TABLE));
            assertEquals(1, restarted.count(c, new TableId("Shop", "other")), "other tables keep theirs");
            assertEquals(1, new HeldChanges("task-b").count(c, TABLE), "other tasks keep theirs");
        }
    }

    private static ChangeEvent change(long id, String note) {
        return new ChangeEvent(TABLE, Operation.UPSERT, List.of("id"), Map.of("id", id), Map.of("id", id, "note", note), Set.of(),
                id, SourceOperation.INSERT, Instant.now(), RowImage.NONE, new SourcePosition.Lsn(id));
    }
}
