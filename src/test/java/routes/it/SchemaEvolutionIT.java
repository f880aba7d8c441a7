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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import routes.demo.EmbeddedPostgresServer;

/**
 * Source schema changes while a task streams, end to end through the built jar: PostgreSQL (no DDL events; changes
 * seen in the rows) and MariaDB (DDL events for table-level statements) into PostgreSQL, with default and chosen
 * policies. After each change the target's rows equal the source's over the source's columns, and the target's
 * column types are the widened ones; an incompatible change stops only its table.
 */
class SchemaEvolutionIT {

    @Test
    void postgresColumnChangesWithDefaultPolicies() throws Exception {
        try (PostgresPair pair = new PostgresPair("evolution")) {
            pair.source(
                    "CREATE TABLE evolving (id int PRIMARY KEY, name varchar(10), qty int, price numeric(10,2), legacy text NOT NULL, old_name text)",
                    "INSERT INTO evolving SELECT i, 'n' || i, i, i * 1.5, 'l' || i, 'o' || i FROM generate_series(1, 500) i",
                    "CREATE TABLE narrowing (id int PRIMARY KEY, v bigint)",
                    "INSERT INTO narrowing SELECT i, i FROM generate_series(1, 10) i",
                    "CREATE TABLE logs (id int PRIMARY KEY, line text)",
                    "INSERT INTO logs SELECT i, 'line ' || i FROM generate_series(1, 20) i",
                    "CREATE TABLE rekeyed (id int PRIMARY KEY, k int NOT NULL)",
                    "INSERT INTO rekeyed SELECT i, i FROM generate_series(1, 10) i");
            Path task = task(pair.work, "examples/postgres-to-postgres.yaml", "");
            try (SyncProcess sync = SyncProcess.start(pair.work.resolve("evolution.log"), pair.environment(), "run", task.toString())) {
                Callable<Connection> source = () -> pair.source.connect("shop");
                Callable<Connection> target = () -> pair.target.connect("warehouse");
                String columns = "id, name, qty, price, old_name";
                awaitSame(sync, source, target, "public.evolving", columns);
                awaitFullLoadDone(sync);

                pair.source("UPDATE evolving SET qty = qty + 1 WHERE id <= 10", // rows in flight before the change
                        "ALTER TABLE evolving ADD COLUMN note text",
                        "INSERT INTO evolving (id, name, qty, price, legacy, old_name, note) VALUES (1001, 'new', 1, 1, 'l', 'o', 'a note')",
                        "ALTER TABLE evolving ALTER COLUMN qty TYPE bigint, ALTER COLUMN name TYPE varchar(20), "
                                + "ALTER COLUMN price TYPE numeric(14,2)",
                        "UPDATE evolving SET qty = 5000000000, name = 'fifteen chars..', price = 123456789012.34 WHERE id = 2",
                        "ALTER TABLE evolving RENAME COLUMN old_name TO new_name",
                        "UPDATE evolving SET new_name = 'renamed' WHERE id = 3",
                        "ALTER TABLE evolving DROP COLUMN legacy",
                        "INSERT INTO evolving (id, name, qty, price, new_name) VALUES (1002, 'after drop', 2, 2, 'x')");
                awaitSame(sync, source, target, "public.evolving", "id, name, qty, price, new_name, note");
                assertEquals(List.of("id|integer|NO", "name|character varying(20)|YES", "qty|bigint|YES", "price|numeric(14,2)|YES",
                        "legacy|text|YES", "new_name|text|YES", "note|text|YES"), pgColumns(target, "evolving"),
                        "widened in place, renamed, added; the dropped column is kept (default dropColumn=ignore) and takes NULL");
                assertEquals(List.of("l1", "NULL"), strings(target,
                        "SELECT coalesce(legacy, 'NULL') FROM evolving WHERE id IN (1, 1002) ORDER BY id"));

                // Narrowing a column and changing a primary key stop only those tables; the others go on.
                pair.source("ALTER TABLE narrowing ALTER COLUMN v TYPE int", "UPDATE narrowing SET v = 99 WHERE id = 1",
                        "ALTER TABLE rekeyed DROP CONSTRAINT rekeyed_pkey, ADD PRIMARY KEY (id, k)", "UPDATE rekeyed SET k = 99 WHERE id = 1",
                        "UPDATE evolving SET note = 'still syncing' WHERE id = 4");
                awaitSame(sync, source, target, "public.evolving", "id, name, qty, price, new_name, note");
                List<String> status = awaitRows(target, "SELECT source_table || '|' || status || '|' || reason "
                        + "FROM realtime_sync.table_status WHERE status = 'STOPPED' ORDER BY source_table", 2);
                assertTrue(status.get(0).startsWith("public.narrowing|STOPPED|") && status.get(0).contains("cannot be widened"), status.toString());
                assertTrue(status.get(1).startsWith("public.rekeyed|STOPPED|") && status.get(1).contains("primary key"), status.toString());
                assertEquals(List.of("1"), strings(target, "SELECT v::text FROM narrowing WHERE id = 1"), "nothing written after the stop");
                assertTrue(sync.isAlive(), "the task goes on");
                sync.awaitOutput("ALERT TABLE_STOPPED task=postgres-to-postgres table=public.narrowing", Duration.ofSeconds(30));

                // TRUNCATE is captured; its default policy (alert) keeps the target's rows and says so.
                pair.source("TRUNCATE logs", "INSERT INTO logs VALUES (100, 'after truncate')");
                awaitRows(target, "SELECT id FROM logs WHERE id = 100", 1);
                assertEquals(List.of("21"), strings(target, "SELECT count(*)::text FROM logs"));
                sync.awaitOutput("ALERT SCHEMA_CHANGE task=postgres-to-postgres table=public.logs: table public.logs "
                        + "was truncated on the source", Duration.ofSeconds(30));
                sync.stop();
            }

            // Changes made while the task is stopped: the target reflects the definition it saved, and the rows
            // after the restart show what changed since (a rename stays a rename, by PostgreSQL's column numbers).
            pair.source("ALTER TABLE evolving RENAME COLUMN note TO remark", "UPDATE evolving SET remark = 'while away' WHERE id = 5",
                    "ALTER TABLE evolving ADD COLUMN extra int", "UPDATE evolving SET extra = 7 WHERE id = 6");
            try (SyncProcess sync = SyncProcess.start(pair.work.resolve("evolution-2.log"), pair.environment(), "run", task.toString())) {
                Callable<Connection> source = () -> pair.source.connect("shop");
                Callable<Connection> target = () -> pair.target.connect("warehouse");
                awaitSame(sync, source, target, "public.evolving", "id, name, qty, price, new_name, remark, extra");
                assertEquals(List.of("id|integer|NO", "name|character varying(20)|YES", "qty|bigint|YES", "price|numeric(14,2)|YES",
                        "legacy|text|YES", "new_name|text|YES", "remark|text|YES", "extra|integer|YES"), pgColumns(target, "evolving"));
                assertEquals(List.of("a note"), strings(target, "SELECT remark FROM evolving WHERE id = 1001"), "renamed, values kept");
            }
        }
    }

    @Test
    void mariaDbTableStatementsWithChosenPolicies() throws Exception {
        Path work = Files.createTempDirectory("rs-it-evolution-mariadb");
        try (EmbeddedMariaDb source = new EmbeddedMariaDb();
                EmbeddedPostgresServer target = EmbeddedPostgresServer.start(work.resolve("target"))) {
            target.createDatabase("warehouse");
            source.execute("", "CREATE DATABASE shop");
            source.execute("shop",
                    "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(10), qty INT, gone TEXT)",
                    "INSERT INTO items SELECT seq, CONCAT('n', seq), seq, 'g' FROM seq_1_to_300",
                    "CREATE TABLE logs (id INT PRIMARY KEY, line TEXT)",
                    "INSERT INTO logs SELECT seq, CONCAT('line ', seq) FROM seq_1_to_50",
                    "CREATE TABLE scratch (id INT PRIMARY KEY)", "INSERT INTO scratch VALUES (1), (2)",
                    "CREATE TABLE old_name (id INT PRIMARY KEY, v INT)", "INSERT INTO old_name VALUES (1, 1), (2, 2)");
            Map<String, String> environment = new java.util.LinkedHashMap<>(source.sourceEnvironment("shop"));
            environment.put("TARGET_JDBC_URL", target.jdbcUrl("warehouse"));
            environment.put("TARGET_USER", "postgres");
            environment.put("TARGET_PASSWORD", PostgresPair.PASSWORD);
            Path task = task(work, "examples/mysql-to-postgres.yaml", "dropColumn=apply,truncate=apply,renameTable=apply");
            try (SyncProcess sync = SyncProcess.start(work.resolve("sync.log"), environment, "run", task.toString())) {
                Callable<Connection> src = () -> source.connect("shop");
                Callable<Connection> tgt = () -> target.connect("warehouse");
                awaitSame(sync, src, tgt, "items", "id, name, qty, gone");
                // The chunked full load checks every table's structure once all its chunks are copied: items' rows can
                // be there while the other tables still load, and an ALTER then would stop the load.
                awaitFullLoadDone(sync);

                source.execute("shop",
                        "ALTER TABLE items ADD COLUMN note VARCHAR(40)",
                        "ALTER TABLE items MODIFY COLUMN qty BIGINT, MODIFY COLUMN name VARCHAR(30)",
                        "UPDATE items SET qty = 5000000000, name = 'a name longer than ten', note = 'noted' WHERE id = 1",
                        // In quick succession: the catalog is ahead of the rows when they arrive.
                        "ALTER TABLE items RENAME COLUMN note TO remark", "UPDATE items SET remark = 'renamed' WHERE id = 2",
                        "ALTER TABLE items DROP COLUMN gone",
                        "INSERT INTO items (id, name, qty, remark) VALUES (1001, 'new', 1, 'r')",
                        "TRUNCATE TABLE logs", "INSERT INTO logs VALUES (7, 'after truncate')",
                        "RENAME TABLE old_name TO new_name", "INSERT INTO new_name VALUES (3, 3)",
                        "DROP TABLE scratch");
                awaitSame(sync, src, tgt, "items", "id, name, qty, remark");
                awaitSame(sync, src, tgt, "logs", "id, line");
                awaitSame(sync, src, tgt, "new_name", "id, v");
                assertEquals(List.of("id|integer|NO", "name|character varying(30)|YES", "qty|bigint|YES", "remark|character varying(40)|YES"),
                        pgColumns(tgt, "items"), "widened, added, renamed, dropped (dropColumn=apply)");
                assertEquals(List.of("2"), strings(tgt, "SELECT count(*)::text FROM scratch"), "dropTable's default policy keeps the target table");
                assertEquals(List.of("0"), strings(tgt, "SELECT count(*)::text FROM pg_tables WHERE tablename = 'old_name'"),
                        "renamed on the target, rows kept");
                // The example's alerting route delivers the alert, on the events' own thread: it may come a moment later.
                sync.awaitOutput("ALERT SCHEMA_CHANGE task=mysql-to-postgres table=shop.scratch: table shop.scratch was dropped",
                        Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void mariaDbIntoMariaDbAltersTheTargetInItsOwnDialect() throws Exception {
        Path work = Files.createTempDirectory("rs-it-evolution-mariadb-mariadb");
        try (EmbeddedMariaDb server = new EmbeddedMariaDb(); EmbeddedMariaDb target = new EmbeddedMariaDb("--skip-log-bin")) {
            server.execute("", "CREATE DATABASE shop");
            target.execute("", "CREATE DATABASE warehouse");
            server.execute("shop",
                    "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(10), qty INT, price DECIMAL(10,2), gone TEXT NOT NULL)",
                    "INSERT INTO items SELECT seq, CONCAT('n', seq), seq, seq * 1.5, 'g' FROM seq_1_to_300",
                    "CREATE TABLE shrinking (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO shrinking VALUES (1, 'a'), (2, 'b')");
            Map<String, String> environment = server.sourceEnvironment("shop");
            environment.put("TARGET_JDBC_URL", target.url("warehouse"));
            environment.put("TARGET_USER", EmbeddedMariaDb.ADMIN);
            environment.put("TARGET_PASSWORD", EmbeddedMariaDb.ADMIN_PASSWORD);
            Path task = task(work, "examples/mysql-to-mysql.yaml", "dropColumn=apply");
            try (SyncProcess sync = SyncProcess.start(work.resolve("sync.log"), environment, "run", task.toString())) {
                Callable<Connection> src = () -> server.connect("shop");
                Callable<Connection> tgt = () -> target.connect("warehouse");
                awaitSame(sync, src, tgt, "items", "id, name, qty, price, gone");

                server.execute("shop",
                        "ALTER TABLE items ADD COLUMN note VARCHAR(40)",
                        "ALTER TABLE items MODIFY COLUMN qty BIGINT, MODIFY COLUMN name VARCHAR(30), MODIFY COLUMN price DECIMAL(14,2)",
                        "UPDATE items SET qty = 5000000000, name = 'a name longer than ten', price = 123456789012.34, note = 'n' WHERE id = 1",
                        "ALTER TABLE items CHANGE COLUMN note remark VARCHAR(40)",
                        "ALTER TABLE items DROP COLUMN gone",
                        "INSERT INTO items (id, name, qty, price, remark) VALUES (1001, 'new', 1, 1, 'r')",
                        "ALTER TABLE shrinking MODIFY COLUMN v VARCHAR(5)", "UPDATE shrinking SET v = 'c' WHERE id = 1");
                awaitSame(sync, src, tgt, "items", "id, name, qty, price, remark");
                assertEquals(List.of("id|int(11)|NO", "name|varchar(30)|YES", "qty|bigint(20)|YES", "price|decimal(14,2)|YES",
                        "remark|varchar(40)|YES"), rows(tgt, "SELECT CONCAT_WS('|', COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE) FROM "
                                + "information_schema.COLUMNS WHERE TABLE_SCHEMA = 'warehouse' AND TABLE_NAME = 'items' ORDER BY ORDINAL_POSITION"),
                        "widened, added, renamed (CHANGE), dropped (dropColumn=apply) by MariaDB's own ALTER TABLE");
                List<String> status = awaitRows(tgt, "SELECT CONCAT_WS('|', source_table, status, reason) FROM realtime_sync.table_status "
                        + "WHERE status = 'STOPPED'", 1);
                assertTrue(status.get(0).startsWith("shop.shrinking|STOPPED|") && status.get(0).contains("cannot be widened"), status.toString());
                assertEquals(List.of("a"), rows(tgt, "SELECT v FROM shrinking WHERE id = 1"), "nothing written after the stop");
            }
        }
    }

    /**
     * A column added with a default: the rows that existed then hold it on the source, and so on the target (a row
     * inserted later with an explicit NULL keeps NULL). A volatile default gave each row its own value, which the
     * target cannot compute: that table stops with the reason, the others go on.
     */
    @Test
    void postgresAddedColumnWithDefault() throws Exception {
        try (PostgresPair pair = new PostgresPair("evolution-default")) {
            pair.source("CREATE TABLE members (id int PRIMARY KEY, name text)",
                    "INSERT INTO members SELECT i, 'm' || i FROM generate_series(1, 300) i",
                    "CREATE TABLE events (id int PRIMARY KEY, v int)", "INSERT INTO events SELECT i, i FROM generate_series(1, 20) i",
                    "CREATE TABLE others (id int PRIMARY KEY, v int)", "INSERT INTO others SELECT i, i FROM generate_series(1, 20) i");
            Path task = task(pair.work, "examples/postgres-to-postgres.yaml", "");
            try (SyncProcess sync = SyncProcess.start(pair.work.resolve("sync.log"), pair.environment(), "run", task.toString())) {
                Callable<Connection> source = () -> pair.source.connect("shop");
                Callable<Connection> target = () -> pair.target.connect("warehouse");
                // every table's full load done first: a structure change during a table's load stops that load instead
                awaitSame(sync, source, target, "public.members", "id, name");
                awaitSame(sync, source, target, "public.events", "id, v");
                awaitSame(sync, source, target, "public.others", "id, v");

                pair.source("ALTER TABLE members ADD COLUMN tier smallint DEFAULT 2, ADD COLUMN label text DEFAULT 'it''s \\ {x}', "
                                + "ADD COLUMN joined timestamptz DEFAULT now()",
                        "INSERT INTO members (id, name, tier, label) VALUES (1001, 'explicit null', NULL, NULL)",
                        "UPDATE members SET name = 'changed' WHERE id = 1",
                        "ALTER TABLE events ADD COLUMN token double precision DEFAULT random()", "UPDATE events SET v = 0 WHERE id = 1",
                        "UPDATE others SET v = 0 WHERE id = 1");
                awaitSame(sync, source, target, "public.members", "id, name, tier, label, joined");
                awaitSame(sync, source, target, "public.others", "id, v");
                assertEquals(List.of("300"), strings(target, "SELECT count(*)::text FROM members WHERE tier = 2 AND label = 'it''s \\ {x}'"));
                assertEquals(List.of("id|integer|NO", "name|text|YES", "tier|smallint|YES", "label|text|YES",
                        "joined|timestamp with time zone|YES"), pgColumns(target, "members"));
                assertEquals(List.of("0"), strings(target, "SELECT count(*)::text FROM pg_attrdef WHERE adrelid = 'members'::regclass"),
                        "the target columns keep no default");
                List<String> status = awaitRows(target, "SELECT source_table || '|' || reason FROM realtime_sync.table_status "
                        + "WHERE status = 'STOPPED'", 1);
                assertEquals(1, status.size(), status.toString());
                assertTrue(status.get(0).startsWith("public.events|column token was added to public.events, and its default random() "
                        + "is volatile") && status.get(0).contains("Reload the task"), status.toString());
                assertEquals(List.of("1"), strings(target, "SELECT v::text FROM events WHERE id = 1"), "nothing written after the stop");
                assertTrue(sync.isAlive(), "the task goes on");
            }
        }
    }

    @Test
    void mariaDbAddedColumnWithDefault() throws Exception {
        Path work = Files.createTempDirectory("rs-it-evolution-mariadb-default");
        try (EmbeddedMariaDb source = new EmbeddedMariaDb();
                EmbeddedPostgresServer target = EmbeddedPostgresServer.start(work.resolve("target"))) {
            target.createDatabase("warehouse");
            source.execute("", "CREATE DATABASE shop");
            source.execute("shop",
                    "CREATE TABLE members (id INT PRIMARY KEY, name VARCHAR(20))",
                    "INSERT INTO members SELECT seq, CONCAT('m', seq) FROM seq_1_to_300",
                    "CREATE TABLE events (id INT PRIMARY KEY, v INT)", "INSERT INTO events SELECT seq, seq FROM seq_1_to_20",
                    "CREATE TABLE others (id INT PRIMARY KEY, v INT)", "INSERT INTO others SELECT seq, seq FROM seq_1_to_20");
            Map<String, String> environment = new java.util.LinkedHashMap<>(source.sourceEnvironment("shop"));
            environment.put("TARGET_JDBC_URL", target.jdbcUrl("warehouse"));
            environment.put("TARGET_USER", "postgres");
            environment.put("TARGET_PASSWORD", PostgresPair.PASSWORD);
            Path task = task(work, "examples/mysql-to-postgres.yaml", "");
            try (SyncProcess sync = SyncProcess.start(work.resolve("sync.log"), environment, "run", task.toString())) {
                Callable<Connection> src = () -> source.connect("shop");
                Callable<Connection> tgt = () -> target.connect("warehouse");
                awaitSame(sync, src, tgt, "members", "id, name");
                awaitSame(sync, src, tgt, "events", "id, v");
                awaitSame(sync, src, tgt, "others", "id, v");

                source.execute("shop",
                        "ALTER TABLE members ADD COLUMN tier SMALLINT DEFAULT 2, ADD COLUMN label VARCHAR(20) DEFAULT 'it''s \\\\ x', "
                                + "ADD COLUMN price DECIMAL(8,2) NOT NULL DEFAULT 9.50",
                        "INSERT INTO members (id, name, tier, label) VALUES (1001, 'explicit null', NULL, NULL)",
                        "UPDATE members SET name = 'changed' WHERE id = 1",
                        "ALTER TABLE events ADD COLUMN token DOUBLE DEFAULT (RAND())", "UPDATE events SET v = 0 WHERE id = 1",
                        "UPDATE others SET v = 0 WHERE id = 1");
                awaitSame(sync, src, tgt, "members", "id, name, tier, label, price");
                awaitSame(sync, src, tgt, "others", "id, v");
                assertEquals(List.of("300"), strings(tgt, "SELECT count(*)::text FROM members WHERE tier = 2 AND label = 'it''s \\ x'"));
                List<String> status = awaitRows(tgt, "SELECT source_table || '|' || reason FROM realtime_sync.table_status "
                        + "WHERE status = 'STOPPED'", 1);
                assertEquals(1, status.size(), status.toString());
                assertTrue(status.get(0).startsWith("shop.events|column token was added to shop.events, and its default rand() "
                        + "is an expression") && status.get(0).contains("Reload the task"), status.toString());
                assertEquals(List.of("1"), strings(tgt, "SELECT v::text FROM events WHERE id = 1"), "nothing written after the stop");
                assertTrue(sync.isAlive(), "the task goes on");
            }
        }
    }

    /** The example task with the sink's schemaChanges setting added, written next to the test's logs. */
    private static Path task(Path work, String example, String schemaChanges) throws Exception {
        String yaml = Files.readString(Path.of(example)).replace("password: \"RAW({{TARGET_PASSWORD}})\"",
                "password: \"RAW({{TARGET_PASSWORD}})\"\n              schemaChanges: \"" + schemaChanges + "\"");
        Path task = work.resolve("task.yaml");
        Files.writeString(task, yaml);
        return task;
    }

    /** Waits until the task's chunked full load says it is done (its structure check passed). */
    private static void awaitFullLoadDone(SyncProcess sync) throws Exception {
        sync.awaitOutput("full load done", Duration.ofMinutes(2));
    }

    /** Waits until the table's rows, over the given columns in id order, are the same on both sides. */
    private static void awaitSame(SyncProcess sync, Callable<Connection> source, Callable<Connection> target, String table, String columns)
            throws Exception {
        String sql = "SELECT " + columns + " FROM " + table + " ORDER BY id";
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        List<String> onSource = List.of();
        List<String> onTarget = List.of();
        while (System.nanoTime() < deadline) {
            if (!sync.isAlive()) {
                throw new AssertionError("The sync process ended:\n" + sync.output());
            }
            onSource = rows(source, sql);
            try {
                onTarget = rows(target, sql);
            } catch (SQLException e) {
                onTarget = List.of(e.getMessage());
            }
            if (onSource.equals(onTarget)) {
                return;
            }
            Thread.sleep(500);
        }
        List<String> missing = new ArrayList<>(onSource);
        missing.removeAll(onTarget);
        List<String> extra = new ArrayList<>(onTarget);
        extra.removeAll(onSource);
        throw new AssertionError(table + " differs: source-only rows " + missing.subList(0, Math.min(5, missing.size()))
                + ", target-only rows " + extra.subList(0, Math.min(5, extra.size())) + "\n" + sync.output());
    }

    private static List<String> rows(Callable<Connection> server, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = server.call(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static List<String> strings(Callable<Connection> server, String sql) throws Exception {
        return rows(server, sql);
    }

    private static List<String> pgColumns(Callable<Connection> target, String table) throws Exception {
        return rows(target, "SELECT a.attname || '|' || format_type(a.atttypid, a.atttypmod) || '|' || CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END "
                + "FROM pg_attribute a WHERE a.attrelid = ('public.' || quote_ident('" + table + "'))::regclass AND a.attnum > 0 "
                + "AND NOT a.attisdropped ORDER BY a.attnum");
    }

    /** Waits until the query lists at least {@code count} rows; returns what it lists then (or at the deadline). */
    private static List<String> awaitRows(Callable<Connection> target, String query, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        List<String> found;
        do {
            found = rows(target, query);
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        return found;
    }
}
