package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.demo.EmbeddedPostgresServer;

/**
 * Per-table row rules end to end, from a real PostgreSQL and a real MariaDB into PostgreSQL: a DML filter that keeps
 * deleted rows, a table taking inserts only, assigned columns (constant, ${operation}, ${event_time},
 * ${source_database_name}, a Simple expression), a full load filtered by a WHERE condition while every later change
 * streams, and a table whose full load is skipped.
 */
class RowRulesIT {

    /** What each source needs besides its SQL: how a task reaches it, and how it names tables and types. */
    private interface Source {
        void execute(String... statements) throws SQLException;

        /** The source kamelet's connection parameters, as YAML lines under {@code parameters:}. */
        String connection(String task);

        /** The schema (database) the test tables live in. */
        String schema();

        /** A timestamp type in the source's own type names (assignment types are mapped like source types). */
        String timestampType();
    }

    private static Path work;
    private static EmbeddedPostgresServer postgres;
    private static EmbeddedMariaDb mariadb;
    private static EmbeddedPostgresServer target;

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("rs-it-rules");
        postgres = EmbeddedPostgresServer.start(work.resolve("source"));
        postgres.createDatabase("shop");
        mariadb = new EmbeddedMariaDb();
        mariadb.execute("", "CREATE DATABASE shop");
        target = EmbeddedPostgresServer.start(work.resolve("target"));
    }

    @AfterAll
    static void stopServers() throws Exception {
        postgres.close();
        mariadb.close();
        target.close();
    }

    @Test
    void postgresToPostgres() throws Exception {
        scenario("pg-rules", new Source() {
            @Override
            public void execute(String... statements) throws SQLException {
                try (Connection c = postgres.connect("shop"); Statement s = c.createStatement()) {
                    for (String sql : statements) {
                        s.execute(sql);
                    }
                }
            }

            @Override
            public String connection(String task) {
                return """
                        task: %s
                        databaseHostname: localhost
                        databasePort: %d
                        databaseDbname: shop
                        databaseUser: postgres
                        databasePassword: "RAW(%s)"
                        """.formatted(task, postgres.port(), PostgresPair.PASSWORD);
            }

            @Override
            public String schema() {
                return "public";
            }

            @Override
            public String timestampType() {
                return "timestamptz";
            }
        });
    }

    @Test
    void mariaDbToPostgres() throws Exception {
        scenario("maria-rules", new Source() {
            @Override
            public void execute(String... statements) throws SQLException {
                mariadb.execute("shop", statements);
            }

            @Override
            public String connection(String task) {
                return mariadb.sourceParameters(task, "") + "databaseIncludeList: shop\n";
            }

            @Override
            public String schema() {
                return "shop";
            }

            @Override
            public String timestampType() {
                return "timestamp(3)";
            }
        });
    }

    private static void scenario(String task, Source source) throws Exception {
        String s = source.schema();
        source.execute("CREATE TABLE orders (id INT PRIMARY KEY, status VARCHAR(16))",
                "INSERT INTO orders VALUES (1, 'new'), (2, 'new'), (3, 'new')",
                "CREATE TABLE events (id INT PRIMARY KEY, v VARCHAR(16))",
                "INSERT INTO events VALUES (1, 'a'), (2, 'b')",
                "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(16))",
                "INSERT INTO items VALUES (1, 'lamp')",
                "CREATE TABLE big (id INT PRIMARY KEY, v INT)",
                "INSERT INTO big VALUES (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7), (8, 8), (9, 9), (10, 10)",
                "CREATE TABLE skipped (id INT PRIMARY KEY, v VARCHAR(16))",
                "INSERT INTO skipped VALUES (1, 'x'), (2, 'y'), (3, 'z')");
        target.createDatabase(task.replace('-', '_'));
        Map<String, String> sourceRules = Map.of(
                "fullLoadFilters", s + ".big=id <= 5 AND CAST(v AS CHAR(8)) <> 'none'",
                "skipFullLoad", s + "\\.skip+ed");
        Map<String, String> sinkRules = Map.of(
                "dmlFilter", s + "\\.orders=insert,update;" + s + "\\.events=insert;.*=insert,update,delete",
                "assignments", "origin varchar(16)='it''s';op varchar(16)=${operation};at " + source.timestampType()
                        + "=${event_time};db varchar(16)=${source_database_name};tag varchar(32)=simple:${body.table.table}-${body.key[id]}");
        Path file = taskFile(task, source.connection(task), sourceRules, sinkRules);

        try (SyncProcess sync = SyncProcess.start(work.resolve(task + ".log"), Map.of(), "run", file.toString());
                Connection t = target.connect(task.replace('-', '_'))) {
            // The full load: filtered and skipped tables hold only what their rules let through.
            awaitRows(sync, t, "SELECT count(*) FROM public.orders UNION ALL SELECT count(*) FROM public.big "
                    + "UNION ALL SELECT count(*) FROM public.items UNION ALL SELECT count(*) FROM public.skipped", List.of("3", "5", "1", "0"));
            Instant changesStart = Instant.now().minusSeconds(2); // MariaDB's binlog times are whole seconds
            source.execute("INSERT INTO orders VALUES (4, 'new')", "UPDATE orders SET status = 'paid' WHERE id = 1",
                    "DELETE FROM orders WHERE id = 2",
                    "INSERT INTO events VALUES (3, 'c')", "UPDATE events SET v = 'changed' WHERE id = 1", "DELETE FROM events WHERE id = 2",
                    "INSERT INTO items VALUES (2, 'desk')", "UPDATE items SET name = 'lamp2' WHERE id = 1",
                    "UPDATE big SET v = 80 WHERE id = 8", "INSERT INTO big VALUES (11, 11)", "UPDATE big SET v = 30 WHERE id = 3",
                    "UPDATE skipped SET v = 'y2' WHERE id = 2", "INSERT INTO skipped VALUES (4, 'w')",
                    "DELETE FROM items WHERE id = 2", "INSERT INTO items VALUES (2, 'desk2')");
            // Commit order holds on the target: once this row is there, every change before it is too.
            source.execute("INSERT INTO items VALUES (99, 'fence')");
            awaitRows(sync, t, "SELECT count(*) FROM public.items WHERE id = 99", List.of("1"));

            assertEquals(List.of("1|paid", "2|new", "3|new", "4|new"), rows(t, "SELECT id, status FROM public.orders ORDER BY id"),
                    "orders: deletes filtered out, inserts and updates written");
            assertEquals(List.of("1|a", "2|b", "3|c"), rows(t, "SELECT id, v FROM public.events ORDER BY id"), "events: inserts only");
            assertEquals(List.of("1|1", "2|2", "3|30", "4|4", "5|5", "8|80", "11|11"), rows(t, "SELECT id, v FROM public.big ORDER BY id"),
                    "big: full load of id <= 5, then every change");
            assertEquals(List.of("2|y2", "4|w"), rows(t, "SELECT id, v FROM public.skipped ORDER BY id"), "skipped: only rows changed after start");

            assertEquals(List.of("1|lamp2|it's|update|shop|items-1", "2|desk2|it's|insert|shop|items-2", "99|fence|it's|insert|shop|items-99"),
                    rows(t, "SELECT id, name, origin, op, db, tag FROM public.items ORDER BY id"), "assigned values of changed rows");
            assertEquals(List.of("3|new|it's|full_load|shop|orders-3"), rows(t, "SELECT id, status, origin, op, db, tag FROM public.orders WHERE id = 3"),
                    "assigned values of a full-load row");
            assertEquals(List.of("timestamp with time zone"),
                    rows(t, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attname = 'at'")
                            .stream().map(type -> type.replaceAll("\\(3\\)", "")).toList());
            try (Statement st = t.createStatement(); ResultSet rs = st.executeQuery("SELECT at FROM public.items WHERE id = 2")) {
                rs.next();
                Instant at = rs.getTimestamp(1).toInstant();
                assertTrue(!at.isBefore(changesStart) && !at.isAfter(Instant.now()), "event time " + at + " after " + changesStart);
            }
            assertTrue(sync.isAlive(), sync.output());
        }
    }

    /** A task file: the source kamelet with its connection and rules, into the jdbc-merge-sink with its rules. */
    private static Path taskFile(String task, String connection, Map<String, String> sourceRules, Map<String, String> sinkRules)
            throws Exception {
        StringBuilder yaml = new StringBuilder("""
                - route:
                    from:
                      uri: "kamelet:%s"
                      parameters:
                """.formatted(connection.contains("flavour") ? "mysql-cdc-source" : "postgres-cdc-source"));
        connection.lines().forEach(line -> yaml.append("        ").append(line).append('\n'));
        sourceRules.forEach((k, v) -> yaml.append("        ").append(k).append(": ").append(raw(v)).append('\n'));
        yaml.append("""
                      steps:
                        - to:
                            uri: "kamelet:jdbc-merge-sink"
                            parameters:
                              task: %s
                              jdbcUrl: "%s"
                              username: postgres
                              password: "RAW(%s)"
                              targetSchema: public
                """.formatted(task, target.jdbcUrl(task.replace('-', '_')), PostgresPair.PASSWORD));
        sinkRules.forEach((k, v) -> yaml.append("              ").append(k).append(": ").append(raw(v)).append('\n'));
        Path file = work.resolve(task + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** A value as a task author writes it: in RAW(...) (Camel builds URIs without encoding), YAML single-quoted. */
    private static String raw(String value) {
        return "'RAW(" + value.replace("'", "''") + ")'";
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static void awaitRows(SyncProcess sync, Connection c, String sql, List<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<String> actual = List.of();
        while (System.nanoTime() < deadline) {
            assertTrue(sync.isAlive(), sync.output());
            try {
                actual = rows(c, sql);
            } catch (SQLException e) {
                actual = List.of(e.getMessage()); // tables not created yet
            }
            if (actual.equals(expected)) {
                return;
            }
            Thread.sleep(300);
        }
        assertEquals(expected, actual, sql + "\n" + sync.output());
    }
}
