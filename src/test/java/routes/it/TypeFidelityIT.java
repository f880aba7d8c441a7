package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every column of the type_zoo table (one column per common type; rows 1-9 hold edge values) arrives exact, in the
 * full load and in streaming, for all four pairs of source and target families. Values are compared column by column
 * and row by row: within one family as the server's own text, across families through a canonical form per type
 * that keeps every difference the target type could hold (offsets, precision, -0, bit length).
 */
class TypeFidelityIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(90);
    /** The one value the default mapping refuses: MariaDB row 8's c_longtext holds a NUL, which PostgreSQL text cannot. */
    private static final String NUL_ROW = "8";
    /**
     * MariaDB keeps enum labels in its table definition in utf8mb3: the label 'ünïcødé 😀' reads back as 'ünïcødé ?'
     * even in SHOW CREATE TABLE, so a MariaDB target's copy of the column lacks it and refuses row 7's value.
     */
    private static final String EMOJI_ENUM_ROW = "7";

    private static PostgresPair postgres;
    private static EmbeddedMariaDb mariadb;
    /** Targets get a server of their own: a full load holds the source's global read lock for a moment. */
    private static EmbeddedMariaDb mariadbTarget;

    @BeforeAll
    static void servers() throws Exception {
        postgres = new PostgresPair("types");
        mariadb = new EmbeddedMariaDb();
        mariadbTarget = new EmbeddedMariaDb("--skip-log-bin");
        postgres.target.createDatabase("from_mariadb");
        postgres.target.createDatabase("from_mariadb_bytes");
        mariadb.execute("", "CREATE DATABASE shop");
        mariadbTarget.execute("", "CREATE DATABASE warehouse", "CREATE DATABASE from_pg");
        try (Connection c = postgres.source.connect("shop"); Statement s = c.createStatement()) {
            s.execute(script("postgresql.sql"));
        }
        try (Connection c = mariaDb("shop"); Statement s = c.createStatement()) {
            s.execute(script("mariadb.sql"));
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (mariadb != null) {
            mariadb.close();
        }
        if (mariadbTarget != null) {
            mariadbTarget.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void postgresToPostgres() throws Exception {
        List<Probe> probes = new ArrayList<>();
        for (String[] column : postgresColumns()) {
            probes.add(new Probe(column[0], quoted(column[0]) + "::text", quoted(column[0]) + "::text", UnaryOperator.identity()));
        }
        Pair pair = new Pair(this::postgresSource, "public.type_zoo", () -> postgres.target.connect("warehouse"), "public.type_zoo", probes);
        try (SyncProcess sync = start("p2p", postgresTask("p2p", "p2p", postgres.target.jdbcUrl("warehouse"), "postgres", ""))) {
            assertArrives(sync, pair, Map.of(), postgresKnown(0), "full load");
            streamPostgresChanges(100_000);
            assertArrives(sync, pair, Map.of(), postgresKnown(100_000), "streaming");
        }
    }

    @Test
    void mariaDbToMariaDb() throws Exception {
        List<Probe> probes = new ArrayList<>();
        for (String[] column : mariaDbColumns()) {
            String expression = mariaDbText(column[0], column[1]);
            probes.add(new Probe(column[0], expression, expression, mariaDbCanon(column[1])));
        }
        Pair pair = new Pair(() -> mariaDb("shop"), "shop.type_zoo", () -> mariaDb(mariadbTarget, "warehouse"), "warehouse.type_zoo", probes);
        try (SyncProcess sync = start("m2m", mysqlTask("m2m", mariadbTarget.url("warehouse"), EmbeddedMariaDb.ADMIN, "", ""))) {
            assertArrives(sync, pair, Map.of(EMOJI_ENUM_ROW, "c_enum"), mariaDbKnown(0, true, true), "full load");
            // The chunked full load copied the rows (its line follows the commit that made them visible).
            sync.awaitOutput("full load done", Duration.ofSeconds(30));
            streamMariaDbChanges(200_000);
            assertArrives(sync, pair, Map.of(EMOJI_ENUM_ROW, "c_enum"), mariaDbKnown(200_000, true, true), "streaming");
        }
    }

    /**
     * MariaDB strings stay PostgreSQL text, which cannot hold a NUL: that one row is refused with the server's error
     * (never altered), and with the override longtext=bytea the same value arrives exact.
     */
    @Test
    void mariaDbToPostgres() throws Exception {
        List<Probe> probes = new ArrayList<>();
        for (String[] column : mariaDbColumns()) {
            probes.add(mariaDbToPostgres(column[0], column[1], column[2]));
        }
        Pair pair = new Pair(() -> mariaDb("shop"), "shop.type_zoo", () -> postgres.target.connect("from_mariadb"), "public.type_zoo", probes);
        List<Probe> bytesProbes = new ArrayList<>();
        for (String[] column : mariaDbColumns()) {
            // MariaDB's JSON is a longtext too: the override turns both into bytes
            bytesProbes.add(column[2].equals("longtext")
                    ? new Probe(column[0], "LOWER(HEX(`" + column[0] + "`))", "encode(" + quoted(column[0]) + ", 'hex')", UnaryOperator.identity())
                    : mariaDbToPostgres(column[0], column[1], column[2]));
        }
        Pair bytesPair = new Pair(() -> mariaDb("shop"), "shop.type_zoo", () -> postgres.target.connect("from_mariadb_bytes"), "public.type_zoo", bytesProbes);
        Path defaults = mysqlTask("m2p", postgres.target.jdbcUrl("from_mariadb"), "postgres", "public", "");
        Path bytes = mysqlTask("m2p-bytes", postgres.target.jdbcUrl("from_mariadb_bytes"), "postgres", "public", "longtext=bytea");
        try (SyncProcess sync = start("m2p", defaults, bytes)) {
            assertArrives(sync, pair, Map.of(NUL_ROW, "c_longtext"), mariaDbKnown(0, true, false), "full load");
            assertArrives(sync, bytesPair, Map.of(), mariaDbKnown(0, false, false), "full load, longtext=bytea");
            streamMariaDbChanges(300_000);
            Map<String, String> refused = Map.of(NUL_ROW, "c_longtext", String.valueOf(300_000 + 8), "c_longtext");
            assertArrives(sync, pair, refused, mariaDbKnown(300_000, true, false), "streaming");
            assertArrives(sync, bytesPair, Map.of(), mariaDbKnown(300_000, false, false), "streaming, longtext=bytea");
            String errors = dirtyRowErrors("from_mariadb");
            assertTrue(errors.contains("0x00"), "the refused rows carry the server's error: " + errors);
        }
    }

    @Test
    void postgresToMariaDb() throws Exception {
        List<Probe> probes = new ArrayList<>();
        for (String[] column : postgresColumns()) {
            probes.add(postgresToMariaDb(column[0], column[1], column[2]));
        }
        Pair pair = new Pair(this::postgresSource, "public.type_zoo", () -> mariaDb(mariadbTarget, "from_pg"), "from_pg.type_zoo", probes);
        try (SyncProcess sync = start("p2m", postgresTask("p2m", "p2m", mariadbTarget.url("from_pg"), EmbeddedMariaDb.ADMIN, ""))) {
            assertArrives(sync, pair, Map.of(), postgresKnown(0), "full load");
            // The chunked full load copied the rows (its line follows the commit that made them visible).
            sync.awaitOutput("full load done", Duration.ofSeconds(30));
            streamPostgresChanges(400_000);
            assertArrives(sync, pair, Map.of(), postgresKnown(400_000), "streaming");
        }
    }

    // ---- what each pair compares -------------------------------------------------------------------------------

    /** One column: the expression read on each side and the canonical form both texts are brought to. */
    private record Probe(String column, String sourceSql, String targetSql, UnaryOperator<String> canon) {
    }

    private record Pair(Side source, String sourceTable, Side target, String targetTable, List<Probe> probes) {
    }

    private interface Side {
        Connection open() throws SQLException;
    }

    /** A MariaDB column as exact text: binary values in hex, floating point through DOUBLE (every digit). */
    private static String mariaDbText(String column, String dataType) {
        String c = "`" + column + "`";
        return switch (dataType) {
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit", "geometry" -> "HEX(" + c + ")";
            case "float", "double" -> "CAST(" + c + " AS DOUBLE)";
            default -> "CAST(" + c + " AS CHAR)";
        };
    }

    private static UnaryOperator<String> mariaDbCanon(String dataType) {
        return switch (dataType) {
            case "float" -> TypeFidelityIT::float4;
            case "double" -> TypeFidelityIT::float8;
            default -> UnaryOperator.identity();
        };
    }

    /** MariaDB source column -> its PostgreSQL target column (types as docs/type-mapping.md's table says). */
    private static Probe mariaDbToPostgres(String column, String dataType, String columnType) {
        String m = "`" + column + "`";
        String p = quoted(column);
        return switch (dataType) {
            case "float" -> new Probe(column, "CAST(" + m + " AS DOUBLE)", p + "::float8::text", TypeFidelityIT::float4);
            case "double" -> new Probe(column, "CAST(" + m + " AS DOUBLE)", p + "::text", TypeFidelityIT::float8);
            case "bit" -> new Probe(column, "LPAD(BIN(" + m + "), " + width(columnType) + ", '0')", p + "::text", UnaryOperator.identity());
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry" ->
                    new Probe(column, "LOWER(HEX(" + m + "))", "encode(" + p + ", 'hex')", UnaryOperator.identity());
            case "time" -> new Probe(column, "CAST(" + m + " AS CHAR)", p + "::text", TypeFidelityIT::durationMicros);
            case "datetime" -> new Probe(column, "CAST(" + m + " AS CHAR)", p + "::text", TypeFidelityIT::trimFraction);
            case "timestamp" -> new Probe(column, "CONCAT(CAST(" + m + " AS CHAR), '+00')", p + "::text", TypeFidelityIT::trimFraction);
            case "year" -> new Probe(column, "CAST(" + m + " AS CHAR)", p + "::text", v -> v == null ? null : String.valueOf(Integer.parseInt(v)));
            default -> new Probe(column, "CAST(" + m + " AS CHAR)", p + "::text", UnaryOperator.identity());
        };
    }

    /** PostgreSQL source column -> its MariaDB target column. */
    private static Probe postgresToMariaDb(String column, String udtName, String formatType) {
        String p = quoted(column);
        String m = "`" + column + "`";
        return switch (udtName) {
            case "float4" -> new Probe(column, p + "::text", "CAST(" + m + " AS CHAR)", TypeFidelityIT::float4);
            case "float8" -> new Probe(column, p + "::text", "CAST(" + m + " AS CHAR)", TypeFidelityIT::float8);
            case "bool" -> new Probe(column, "CASE WHEN " + p + " THEN '1' WHEN NOT " + p + " THEN '0' END", "CAST(" + m + " AS CHAR)",
                    UnaryOperator.identity());
            case "bytea" -> new Probe(column, "encode(" + p + ", 'hex')", "LOWER(HEX(" + m + "))", UnaryOperator.identity());
            case "bit" -> new Probe(column, p + "::text", "LPAD(BIN(" + m + "), " + width(formatType) + ", '0')", UnaryOperator.identity());
            case "money" -> new Probe(column, p + "::numeric::text", "CAST(" + m + " AS CHAR)", UnaryOperator.identity());
            case "time" -> new Probe(column, p + "::text", "CAST(" + m + " AS CHAR)", TypeFidelityIT::trimFraction);
            // inet as PostgreSQL's output function writes it ('::' where the text cast writes '::/128')
            case "inet" -> new Probe(column, "CASE WHEN " + p + " IS NOT NULL THEN format('%s', " + p + ") END", "CAST(" + m + " AS CHAR)",
                    UnaryOperator.identity());
            default -> new Probe(column, p + "::text", "CAST(" + m + " AS CHAR)", UnaryOperator.identity());
        };
    }

    // ---- canonical forms ---------------------------------------------------------------------------------------

    /** A single-precision value by its bits: -0, NaN and every digit count. */
    private static String float4(String text) {
        if (text == null) {
            return null;
        }
        float value = (float) Double.parseDouble(text);
        return Integer.toHexString(Float.floatToIntBits(value)) + " (" + value + ")";
    }

    private static String float8(String text) {
        if (text == null) {
            return null;
        }
        double value = Double.parseDouble(text);
        return Long.toHexString(Double.doubleToLongBits(value)) + " (" + value + ")";
    }

    private static final Pattern FRACTION = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d)(?:\\.(\\d*?)0*)?(?=$|[+\\- ])");

    /** Time of day with its fraction's trailing zeros dropped (TIME(6) writes six digits, PostgreSQL only those needed). */
    private static String trimFraction(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = FRACTION.matcher(text);
        return m.find() ? text.substring(0, m.start()) + m.group(1) + (m.group(2) == null || m.group(2).isEmpty() ? "" : "." + m.group(2))
                + text.substring(m.end()) : text;
    }

    /** MariaDB TIME and PostgreSQL interval text ([-]H:MM:SS[.fraction]) as a signed count of microseconds. */
    private static String durationMicros(String text) {
        if (text == null) {
            return null;
        }
        boolean negative = text.startsWith("-");
        String[] hms = (negative ? text.substring(1) : text).split(":");
        if (hms.length != 3) {
            return "not a duration: " + text;
        }
        String[] seconds = hms[2].split("\\.");
        String fraction = seconds.length > 1 ? (seconds[1] + "000000").substring(0, 6) : "0";
        long micros = ((Long.parseLong(hms[0]) * 60 + Long.parseLong(hms[1])) * 60 + Long.parseLong(seconds[0])) * 1_000_000L
                + Long.parseLong(fraction);
        return (negative ? -micros : micros) + "us";
    }

    private static int width(String type) {
        Matcher m = Pattern.compile("\\((\\d+)\\)").matcher(type);
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    // ---- comparing -----------------------------------------------------------------------------------------------

    /**
     * Waits until the target holds every source row with every value equal, except {@code refused} (row id ->
     * the column whose value the target refuses: that row must be absent); then fails naming each differing row
     * and column.
     */
    private static void assertArrives(SyncProcess sync, Pair pair, Map<String, String> refused, Map<String, String> known, String phase)
            throws Exception {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        List<String> differences;
        while (true) {
            if (!sync.isAlive()) {
                throw new AssertionError(phase + ": the sync process ended:\n" + tail(sync.output()));
            }
            differences = differences(pair, refused, known);
            if (differences.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000);
        }
        assertEquals("", String.join("\n", differences), phase + " of " + pair.sourceTable() + ": rows or values differ");
    }

    private static List<String> differences(Pair pair, Map<String, String> refused, Map<String, String> known) throws SQLException {
        Map<String, List<String>> source = read(pair.source(), pair.sourceTable(), pair.probes(), true);
        Map<String, List<String>> target = read(pair.target(), pair.targetTable(), pair.probes(), false);
        if (source.size() < 59) {
            throw new AssertionError("the source's type_zoo has only " + source.size() + " rows");
        }
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, List<String>> row : source.entrySet()) {
            List<String> onTarget = target.get(row.getKey());
            if (refused.containsKey(row.getKey())) {
                if (onTarget != null) {
                    differences.add("row " + row.getKey() + ": expected to be refused for its " + refused.get(row.getKey()) + ", but arrived");
                }
                continue;
            }
            if (onTarget == null) {
                differences.add("row " + row.getKey() + ": missing on the target");
                continue;
            }
            for (int i = 0; i < pair.probes().size(); i++) {
                String key = row.getKey() + " " + pair.probes().get(i).column();
                String expected = known.containsKey(key) ? known.get(key) : row.getValue().get(i);
                if (!Objects.equals(expected, onTarget.get(i))) {
                    differences.add("row " + row.getKey() + " column " + pair.probes().get(i).column() + ": source "
                            + shorten(row.getValue().get(i)) + (known.containsKey(key) ? " (expected " + shorten(expected) + ")" : "")
                            + " / target " + shorten(onTarget.get(i)));
                }
            }
        }
        for (String id : target.keySet()) {
            if (!source.containsKey(id)) {
                differences.add("row " + id + ": on the target only");
            }
        }
        return differences;
    }

    /** Row id -> the canonical text of each probe's value, null for NULL. */
    private static Map<String, List<String>> read(Side side, String table, List<Probe> probes, boolean isSource) throws SQLException {
        String select = probes.stream().map(p -> isSource ? p.sourceSql() : p.targetSql()).collect(Collectors.joining(", "));
        Map<String, List<String>> rows = new LinkedHashMap<>();
        try (Connection c = side.open(); Statement s = c.createStatement()) {
            boolean postgresql = c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
            s.execute(postgresql ? "SET TIME ZONE 'UTC'" : "SET time_zone = '+00:00'");
            try (ResultSet rs = s.executeQuery("SELECT id, " + select + " FROM " + table + " ORDER BY id")) {
                while (rs.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 0; i < probes.size(); i++) {
                        values.add(probes.get(i).canon().apply(rs.getString(i + 2)));
                    }
                    rows.put(rs.getString(1), values);
                }
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || e.getErrorCode() == 1146) {
                return rows; // not created yet
            }
            throw e;
        }
        return rows;
    }

    private static String shorten(String value) {
        if (value == null) {
            return "NULL";
        }
        String shown = value.length() > 120 ? value.substring(0, 120) + "...(" + value.length() + " chars)" : value;
        return "'" + shown.replace("\0", "\\0") + "'";
    }

    private static String tail(String output) {
        return output.length() > 6000 ? output.substring(output.length() - 6000) : output;
    }

    /**
     * xml arrives as PostgreSQL's output function writes it, which leaves out a default declaration (<?xml
     * version="1.0"?>: row 6 and its copies), since the full load and log decoding both read that text; and
     * a timetz written by a change streamed in this phase (ids from {@code offset} on) as the same time of day in UTC,
     * because Debezium's log decoder hands timetz over in UTC.
     */
    private static Map<String, String> postgresKnown(int offset) throws SQLException {
        Map<String, String> known = new LinkedHashMap<>();
        try (Connection c = postgres.source.connect("shop"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, c_xml::text <> format('%s', c_xml), format('%s', c_xml), "
                        + "(c_timetz AT TIME ZONE 'UTC')::text FROM type_zoo")) {
            while (rs.next()) {
                long id = rs.getLong(1);
                if (rs.getBoolean(2)) {
                    known.put(id + " c_xml", rs.getString(3));
                }
                if (offset > 0 && id >= offset && id < offset + 100_000 && rs.getString(4) != null) {
                    known.put(id + " c_timetz", rs.getString(4));
                }
            }
        }
        return known;
    }

    /**
     * What a MariaDB source cannot hand over exactly, as Debezium's MariaDB connector reads it: zero dates
     * (0000-00-00) arrive as NULL, YEAR 0000 as 2000 in the full load (Debezium reads years below 100 as two-digit
     * years, whatever its time adjuster setting), and the full load reads FLOAT through the server's text, which has six significant
     * digits (the log carries the exact bits: rows written by changes streamed in this phase, ids from
     * {@code offset} on, arrive exact). The chunked full load into PostgreSQL ({@code chunkedFullLoad}) reads FLOAT
     * through DOUBLE and YEAR as its digits, so only zero dates differ there. A MySQL-family target
     * ({@code zeroDatesKept}) takes the zero dates the chunked full load reads; the ones streamed changes write
     * arrive as NULL there too, since Debezium's binlog reader hides them (a zero TIMESTAMP arrives as NULL as well).
     */
    private static Map<String, String> mariaDbKnown(int offset, boolean chunkedFullLoad, boolean zeroDatesKept) throws SQLException {
        Map<String, String> known = new LinkedHashMap<>();
        try (Connection c = mariaDb("shop"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, CAST(c_float AS CHAR), CAST(c_date AS CHAR) AS c_date, "
                        + "CAST(c_datetime AS CHAR) AS c_datetime, CAST(c_timestamp AS CHAR) AS c_timestamp, CAST(c_year AS UNSIGNED) FROM type_zoo")) {
            while (rs.next()) {
                long id = rs.getLong(1);
                boolean streamed = offset > 0 && id >= offset && id < offset + 100_000;
                boolean exact = streamed || chunkedFullLoad;
                if (!exact && rs.getString(2) != null) {
                    known.put(id + " c_float", float4(rs.getString(2)));
                }
                if (!exact && "0".equals(rs.getString(6))) {
                    known.put(id + " c_year", "2000");
                }
                for (int i = 3; i <= 5; i++) {
                    if (rs.getString(i) != null && rs.getString(i).startsWith("0000-00-00") && !(zeroDatesKept && chunkedFullLoad && !streamed)) {
                        known.put(id + " " + rs.getMetaData().getColumnLabel(i), null);
                    }
                }
            }
        }
        return known;
    }

    // ---- streaming changes -------------------------------------------------------------------------------------

    /** Copies of every original row under new ids, then UPDATEs writing other edge rows' values over copied edge rows. */
    private static void streamPostgresChanges(int offset) throws SQLException {
        List<String> columns = postgresColumns().stream().map(c -> quoted(c[0])).toList();
        String list = String.join(", ", columns);
        String assignments = columns.stream().map(c -> c + " = s." + c).collect(Collectors.joining(", "));
        // Rows 3 and 4 hold money's extremes, which Debezium reads through a double: the capture refuses such a value
        // (beyond 10^13) rather than round it. The chunked full loads copy them exactly; the copies streamed here carry
        // every other value of rows 3 and 4.
        String copied = list.replace("\"c_money\"", "CASE WHEN id IN (3, 4) THEN 0::money ELSE \"c_money\" END");
        postgres.source(
                "INSERT INTO type_zoo (id, " + list + ") SELECT id + " + offset + ", " + copied + " FROM type_zoo WHERE id < 100000",
                "UPDATE type_zoo t SET " + assignments + " FROM type_zoo s WHERE t.id = " + (offset + 1) + " AND s.id = 5",
                "UPDATE type_zoo t SET " + assignments + " FROM type_zoo s WHERE t.id = " + (offset + 9) + " AND s.id = 6",
                "UPDATE type_zoo t SET " + assignments + " FROM type_zoo s WHERE t.id = " + (offset + 7) + " AND s.id = " + (offset + 4));
    }

    private static void streamMariaDbChanges(int offset) throws SQLException {
        List<String> columns = mariaDbColumns().stream().map(c -> "`" + c[0] + "`").toList();
        String list = String.join(", ", columns);
        String assignments = columns.stream().map(c -> "t." + c + " = s." + c).collect(Collectors.joining(", "));
        try (Connection c = mariaDb("shop"); Statement s = c.createStatement()) {
            // row 5's zero dates need the source's own sql_mode, as when the table was filled
            s.execute("SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'");
            s.execute("INSERT INTO type_zoo (id, " + list + ") SELECT id + " + offset + ", " + list + " FROM type_zoo WHERE id < 100000");
            s.execute("UPDATE type_zoo t JOIN type_zoo s ON s.id = 5 SET " + assignments + " WHERE t.id = " + (offset + 1));
            s.execute("UPDATE type_zoo t JOIN type_zoo s ON s.id = 6 SET " + assignments + " WHERE t.id = " + (offset + 9));
            s.execute("UPDATE type_zoo t JOIN type_zoo s ON s.id = " + (offset + 4) + " SET " + assignments + " WHERE t.id = " + (offset + 7));
        }
    }

    // ---- servers and tasks -------------------------------------------------------------------------------------

    private Connection postgresSource() throws SQLException {
        return postgres.source.connect("shop");
    }

    private static Connection mariaDb(String database) throws SQLException {
        return mariaDb(mariadb, database);
    }

    private static Connection mariaDb(EmbeddedMariaDb server, String database) throws SQLException {
        return java.sql.DriverManager.getConnection(server.url(database) + "?allowMultiQueries=true", EmbeddedMariaDb.ADMIN,
                EmbeddedMariaDb.ADMIN_PASSWORD);
    }

    /** Non-key columns of the PostgreSQL type_zoo: name, udt_name, format_type. */
    private static List<String[]> postgresColumns() throws SQLException {
        return columns(postgres.source.connect("shop"), """
                SELECT a.attname, t.typname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                 WHERE a.attrelid = 'public.type_zoo'::regclass AND a.attnum > 1 AND NOT a.attisdropped ORDER BY a.attnum""");
    }

    /** Non-key columns of the MariaDB type_zoo: name, DATA_TYPE, COLUMN_TYPE. */
    private static List<String[]> mariaDbColumns() throws SQLException {
        return columns(mariaDb("shop"), "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'type_zoo' AND COLUMN_NAME <> 'id' ORDER BY ORDINAL_POSITION");
    }

    private static List<String[]> columns(Connection connection, String sql) throws SQLException {
        List<String[]> columns = new ArrayList<>();
        try (Connection c = connection; Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                columns.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        return columns;
    }

    private static String quoted(String column) {
        return '"' + column + '"';
    }

    private static String dirtyRowErrors(String database) throws SQLException {
        try (Connection c = postgres.target.connect(database); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT string_agg(row_key || ': ' || error, E'\\n') FROM realtime_sync.dirty_rows")) {
            rs.next();
            return String.valueOf(rs.getString(1));
        }
    }

    private static String script(String name) throws Exception {
        try (var in = TypeFidelityIT.class.getResourceAsStream("/type_zoo/" + name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static SyncProcess start(String name, Path... tasks) throws Exception {
        List<String> args = new ArrayList<>(List.of("run"));
        for (Path task : tasks) {
            args.add(task.toString());
        }
        return SyncProcess.start(postgres.work.resolve(name + ".log"), Map.of(), args.toArray(String[]::new));
    }

    /** A task file from the PostgreSQL source (its own slot and publication) into the given target. */
    private static Path postgresTask(String task, String slot, String jdbcUrl, String user, String targetSchema) throws Exception {
        String source = """
                      uri: "kamelet:postgres-cdc-source"
                      parameters:
                        task: %s
                        databaseHostname: localhost
                        databasePort: %d
                        databaseDbname: shop
                        databaseUser: postgres
                        databasePassword: "RAW(%s)"
                        slotName: %s
                        publicationName: %s
                """.formatted(task, postgres.source.port(), PostgresPair.PASSWORD, slot, slot);
        return taskFile(task, source, jdbcUrl, user, targetSchema, "");
    }

    private static Path mysqlTask(String task, String jdbcUrl, String user, String targetSchema, String typeMapping) throws Exception {
        String source = """
                      uri: "kamelet:mysql-cdc-source"
                      parameters:
                """ + mariadb.sourceParameters(task, "        ") + "        databaseIncludeList: shop\n";
        return taskFile(task, source, jdbcUrl, user, targetSchema, typeMapping);
    }

    private static Path taskFile(String task, String source, String jdbcUrl, String user, String targetSchema, String typeMapping)
            throws Exception {
        String yaml = "- route:\n    id: " + task + "\n    from:\n" + source + """
                      steps:
                        - to:
                            uri: "kamelet:jdbc-merge-sink"
                            parameters:
                              task: %s
                              jdbcUrl: "%s"
                              username: %s
                              password: "RAW(%s)"
                              targetSchema: "%s"
                              typeMapping: "%s"
                """.formatted(task, jdbcUrl, user, PostgresPair.PASSWORD, targetSchema, typeMapping);
        Path file = postgres.work.resolve(task + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
