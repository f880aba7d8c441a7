package routes.sink.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import routes.capture.DebeziumValues.BitString;
import routes.capture.DebeziumValues.JsonText;
import routes.change.TableId;
import routes.schema.Column;
import routes.schema.TableSchema;
import routes.state.TableState;

/**
 * The DuckDB dialect against a real (in-memory) DuckDB: every mapped type round-trips the values capture produces,
 * both write statements give the same table, and rows DuckDB cannot hold are refused before anything is written.
 */
class DuckDbDialectTest {

    private static final TableId TABLE = new TableId("main", "Order Items");
    private static final TableSchema SOURCE = new TableSchema(new TableId("public", "Order Items"), List.of(
            new Column("select", "bigint", false),
            new Column("Größe", "numeric(12,2)", true),
            new Column("big", "numeric", true),
            new Column("ts", "timestamp(6) without time zone", true),
            new Column("tz", "timestamp(3) with time zone", true),
            new Column("t", "time(6) without time zone", true),
            new Column("ttz", "time with time zone", true),
            new Column("iv", "interval", true),
            new Column("d", "date", true),
            new Column("b", "bytea", true),
            new Column("j", "jsonb", true),
            new Column("u", "uuid", true),
            new Column("bits", "bit(4)", true),
            new Column("tags", "text[]", true),
            new Column("nums", "integer[]", true),
            new Column("f", "real", true),
            new Column("flag", "boolean", true),
            new Column("note", "character varying(20)", false)), List.of("select"), TableSchema.POSTGRESQL);

    private Connection connection;

    @BeforeEach
    void open() throws SQLException {
        connection = DriverManager.getConnection("jdbc:duckdb:");
        connection.setAutoCommit(false);
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private static Map<String, Object> row(long id, String note) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("select", id);
        row.put("Größe", "1234567890.12");
        row.put("big", "123456789012345678901234567890123456789012.000000001");
        row.put("ts", LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000));
        row.put("tz", OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000, ZoneOffset.ofHours(2)));
        row.put("t", LocalTime.of(23, 59, 59, 999_999_000));
        row.put("ttz", OffsetTime.of(10, 0, 0, 250_000_000, ZoneOffset.ofHoursMinutes(5, 30)));
        row.put("iv", "P1Y2M3DT4H5M6.78S");
        row.put("d", LocalDate.of(1999, 12, 31));
        row.put("b", new byte[] {0, (byte) 0xFF, 'A', '\\'});
        row.put("j", new JsonText("{\"a\": [1, 2], \"s\": \"x'y\"}"));
        row.put("u", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        row.put("bits", new BitString("0101"));
        row.put("tags", Arrays.asList("it's", "a,b", "[x]", "\"q\"", null, ""));
        row.put("nums", Arrays.asList(1, null, -3));
        row.put("f", 1.17549435E-38f);
        row.put("flag", true);
        row.put("note", note);
        return row;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyTypeRoundTripsWithEitherWriteStatement(boolean merge) throws SQLException {
        DuckDbDialect dialect = new DuckDbDialect(merge);
        dialect.createTableIfMissing(connection, TABLE, SOURCE);
        List<String> columns = SOURCE.columnNames();
        dialect.upsert(connection, TABLE, List.of("select"), columns, List.of(row(1, "first"), row(2, "second")));
        dialect.upsert(connection, TABLE, List.of("select"), columns, List.of(row(2, "updated"), row(3, "third")));
        dialect.delete(connection, TABLE, List.of("select"), List.of(Map.of("select", 3L)));
        connection.commit();

        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT \"select\", note, \"Größe\"::VARCHAR, "
                + "big, ts::VARCHAR, tz, t::VARCHAR, ttz::VARCHAR, iv::VARCHAR, d::VARCHAR, hex(b), j::VARCHAR, u::VARCHAR, "
                + "bits::VARCHAR, tags, nums::VARCHAR, f, flag FROM main.\"Order Items\" ORDER BY 1")) {
            List<String> notes = new ArrayList<>();
            while (rs.next()) {
                notes.add(rs.getLong(1) + ":" + rs.getString(2));
                assertEquals("1234567890.12", rs.getString(3));
                assertEquals("123456789012345678901234567890123456789012.000000001", rs.getString(4), "numeric beyond 38 digits kept as text");
                assertEquals("2024-02-29 23:59:59.123456", rs.getString(5));
                assertEquals(OffsetDateTime.parse("2024-01-02T01:04:05.5Z").toInstant(), rs.getObject(6, OffsetDateTime.class).toInstant());
                assertEquals("23:59:59.999999", rs.getString(7));
                assertEquals("10:00:00.25+05:30", rs.getString(8));
                assertEquals("1 year 2 months 3 days 04:05:06.78", rs.getString(9));
                assertEquals("1999-12-31", rs.getString(10));
                assertEquals("00FF415C", rs.getString(11));
                assertEquals("{\"a\": [1, 2], \"s\": \"x'y\"}", rs.getString(12), "JSON text as written");
                assertEquals("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", rs.getString(13));
                assertEquals("0101", rs.getString(14));
                assertEquals(Arrays.asList("it's", "a,b", "[x]", "\"q\"", null, ""), Arrays.asList((Object[]) rs.getArray(15).getArray()));
                assertEquals("[1, NULL, -3]", rs.getString(16));
                assertEquals(1.17549435E-38f, rs.getFloat(17));
                assertTrue(rs.getBoolean(18));
            }
            assertEquals(List.of("1:first", "2:updated"), notes);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aRowTheTargetCannotHoldIsRefusedBeforeAnythingIsWritten(boolean merge) throws SQLException {
        DuckDbDialect dialect = new DuckDbDialect(merge);
        dialect.createTableIfMissing(connection, TABLE, SOURCE);
        List<String> columns = SOURCE.columnNames();
        Map<String, Object> tooLarge = row(2, "x");
        tooLarge.put("Größe", "12345678901234.5");
        SQLException refused = assertThrows(SQLException.class,
                () -> dialect.upsert(connection, TABLE, List.of("select"), columns, List.of(row(1, "ok"), tooLarge)));
        assertTrue(refused instanceof SQLDataException && dialect.isDataError(refused), refused.toString());
        assertTrue(refused.getMessage().contains("Größe") && refused.getMessage().contains("12345678901234.5"), refused.getMessage());

        SQLException nullNote = assertThrows(SQLException.class,
                () -> dialect.upsert(connection, TABLE, List.of("select"), columns, List.of(row(3, null))));
        assertTrue(nullNote.getMessage().contains("NULL in NOT NULL column note"), nullNote.getMessage());

        // The transaction is still usable, and nothing of the refused batches was written.
        dialect.upsert(connection, TABLE, List.of("select"), columns, List.of(row(1, "ok")));
        connection.commit();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM main.\"Order Items\"")) {
            rs.next();
            assertEquals(1, rs.getLong(1));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void stateTablesKeepOffsetsHistoryAndDirtyRows(boolean merge) throws SQLException {
        DuckDbDialect dialect = new DuckDbDialect(merge);
        dialect.createStateTables(connection);
        dialect.createStateTables(connection);
        dialect.saveOffsets(connection, "t", Map.of("k", "v1"));
        dialect.saveOffsets(connection, "t", Map.of("k", "v2"));
        dialect.appendSchemaHistory(connection, "t", "first");
        dialect.appendSchemaHistory(connection, "t", "second");
        dialect.saveDirtyRow(connection, "t", TABLE, TABLE, "upsert", "{}", "{}", "too long");
        dialect.saveTableStatus(connection, "t", TABLE, TableState.STOPPED, "why");
        dialect.forgetTableStatus(connection, "t", List.of());
        connection.commit();
        assertEquals(Map.of("k", "v2"), dialect.loadOffsets(connection, "t"));
        assertEquals(List.of("first", "second"), dialect.loadSchemaHistory(connection, "t"));
        assertEquals(1, dialect.countDirtyRows(connection, "t"));
        assertEquals(Map.of(), dialect.loadTableStatus(connection, "t"));
    }

    @Test
    void aStoppedTaskTurnsOnlyItsSyncingStatusesIntoTaskStopped() throws SQLException {
        DuckDbDialect dialect = new DuckDbDialect(false);
        dialect.changeTableStatus(connection, "t", TableState.SYNCING, TableState.TASK_STOPPED, "before any state table: nothing");
        dialect.createStateTables(connection);
        TableId other = new TableId("main", "other");
        dialect.saveTableStatus(connection, "t", TABLE, TableState.SYNCING, null);
        dialect.saveTableStatus(connection, "t", other, TableState.STOPPED, "its own reason");
        dialect.saveTableStatus(connection, "u", TABLE, TableState.SYNCING, null);
        dialect.changeTableStatus(connection, "t", TableState.SYNCING, TableState.TASK_STOPPED, "the target went away");
        connection.commit();
        assertEquals(Map.of(TABLE.toString(), "TASK_STOPPED", other.toString(), "STOPPED"), dialect.loadTableStatus(connection, "t"));
        assertEquals(Map.of(TABLE.toString(), "SYNCING"), dialect.loadTableStatus(connection, "u"), "another task's statuses stay");
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT reason FROM realtime_sync.table_status WHERE task = 't' ORDER BY source_table")) {
            assertTrue(rs.next());
            assertEquals("the target went away", rs.getString(1));
            assertTrue(rs.next());
            assertEquals("its own reason", rs.getString(1));
        }
    }

    @org.junit.jupiter.api.Test
    void postgresTextOfArraysAndDatesBeforeChristIsReadExactly() throws SQLException {
        DuckDbDialect dialect = new DuckDbDialect(false);
        TableSchema source = new TableSchema(new TableId("public", "t"), List.of(new Column("id", "integer", false),
                new Column("tags", "text[]", true), new Column("grid", "integer[]", true), new Column("d", "date", true),
                new Column("ts", "timestamp without time zone", true), new Column("tz", "timestamp with time zone", true)),
                List.of("id"), TableSchema.POSTGRESQL);
        TableId table = new TableId("main", "t");
        dialect.createTableIfMissing(connection, table, source);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 1);
        row.put("tags", "{plain,\"with space\",\"q\\\"uote\",\"back\\\\slash\",NULL,\"NULL\",\"{}\"}");
        row.put("grid", "{1,NULL,-3}");
        row.put("d", "0044-03-15 BC");
        row.put("ts", "0044-03-15 10:00:00.5 BC");
        row.put("tz", "0001-01-01 00:00:00+00 BC");
        dialect.upsert(connection, table, List.of("id"), source.columnNames(), List.of(row));
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT tags, grid::VARCHAR, d::VARCHAR, "
                + "ts::VARCHAR, year(tz AT TIME ZONE 'UTC') FROM main.t")) {
            rs.next();
            assertEquals(Arrays.asList("plain", "with space", "q\"uote", "back\\slash", null, "NULL", "{}"),
                    Arrays.asList((Object[]) rs.getArray(1).getArray()));
            assertEquals("[1, NULL, -3]", rs.getString(2));
            assertEquals("0044-03-15 (BC)", rs.getString(3));
            assertEquals("0044-03-15 (BC) 10:00:00.5", rs.getString(4));
            assertEquals(0, rs.getInt(5), "1 BC is astronomical year 0");
        }
        row.put("grid", "{{1,2},{3,4}}");
        assertThrows(SQLDataException.class, () -> dialect.upsert(connection, table, List.of("id"), source.columnNames(), List.of(row)),
                "a list holds one dimension: a two-dimensional array is refused, not flattened");
    }

    @org.junit.jupiter.api.Test
    void isoIntervalsBecomeDuckDbText() {
        assertEquals("-1 years 2 months 3 days -4 hours 5 minutes -6.5 seconds", DuckDbText.interval("P-1Y2M3DT-4H5M-6.5S"));
        assertEquals("0 seconds", DuckDbText.interval("P"));
        assertEquals("12:00:00", DuckDbText.interval("12:00:00"));
    }

    /** An added column's existing rows take the source's constant (PostgreSQL's text for its type); no default stays. */
    @org.junit.jupiter.api.Test
    void addedColumnFillsTheExistingRows() throws SQLException {
        DuckDbDialect dialect = new DuckDbDialect(false);
        TableSchema table = new TableSchema(new TableId("public", "t"), List.of(new Column("id", "integer", false)), List.of("id"),
                TableSchema.POSTGRESQL);
        dialect.createTableIfMissing(connection, TABLE, table);
        dialect.upsert(connection, TABLE, List.of("id"), List.of("id"), List.of(Map.of("id", 1), Map.of("id", 2)));
        dialect.addColumn(connection, TABLE, "tier", dialect.targetType(new Column("tier", "smallint", true), TableSchema.POSTGRESQL), "2");
        dialect.addColumn(connection, TABLE, "label", "VARCHAR", "it's \\ x");
        dialect.addColumn(connection, TABLE, "flag", "BOOLEAN", "t");
        dialect.addColumn(connection, TABLE, "raw", "BLOB", "\\x01ff");
        dialect.addColumn(connection, TABLE, "none", "INTEGER", null);
        dialect.upsert(connection, TABLE, List.of("id"), List.of("id"), List.of(Map.of("id", 3)));
        List<String> rows = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT id, tier, label, flag, hex(raw), none FROM "
                + dialect.qualified(TABLE) + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|" + rs.getString(5)
                        + "|" + rs.getString(6));
            }
        }
        assertEquals(List.of("1|2|it's \\ x|true|01FF|null", "2|2|it's \\ x|true|01FF|null", "3|null|null|null|null|null"), rows,
                "rows written later carry their own values");
    }

    @Test
    void appendLogLookupsAreTheDialects() throws SQLException {
        DuckDbDialect dialect = new DuckDbDialect(false);
        TableId log = new TableId("main", "log");
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE main.log (\"sequence_id\" DECIMAL(38,0))");
        }
        assertEquals(null, dialect.maxOf(connection, log, "sequence_id", null, null));
        try (Statement s = connection.createStatement()) {
            s.execute("INSERT INTO main.log VALUES (4), (9), (12)");
        }
        assertEquals(0, new BigDecimal(12).compareTo(dialect.maxOf(connection, log, "sequence_id", null, null)));
        assertEquals(0, new BigDecimal(9).compareTo(dialect.maxOf(connection, log, "sequence_id", new BigDecimal(5), new BigDecimal(12))));
        assertEquals(null, dialect.maxOf(connection, log, "sequence_id", new BigDecimal(13), null));
        assertTrue(dialect.holdsAny(connection, log, "sequence_id", List.of(new BigDecimal(1), new BigDecimal(9))));
        assertEquals(false, dialect.holdsAny(connection, log, "sequence_id", List.of(new BigDecimal(1), new BigDecimal(2))));
    }
}
