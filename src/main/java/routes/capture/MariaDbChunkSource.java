package routes.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.debezium.document.DocumentWriter;
import io.debezium.relational.history.HistoryRecord;

import routes.change.SourcePosition;
import routes.change.TableId;
import routes.fullload.Chunk;
import routes.fullload.Watermark;
import routes.schema.Column;
import routes.schema.TableSchema;
import routes.sink.dialect.PostgresCopyText;

/**
 * A MariaDB source read in chunks for a PostgreSQL target, each column as the text PostgreSQL's input function of its
 * mapped type ({@link routes.schema.PostgresTypes#write}) reads back to the same value. The watermark is the
 * binlog position of a consistent snapshot, taken without locks (MariaDB's {@code binlog_snapshot_file/position}), with
 * the tables' structure at that position as Debezium's schema history; the change stream starts there once every chunk
 * is copied.
 */
final class MariaDbChunkSource extends ConfiguredChunkSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TYPE = Pattern.compile("(?i)^\\s*([a-z]+)\\s*(?:\\(([^)]*)\\))?\\s*(unsigned)?.*$");
    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");
    private static final Set<String> BYTE_TYPES = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob",
            "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection");
    private static final int FETCH_ROWS = 10_000;

    /** How a column's value is read and handed to COPY, or to a MySQL-family target. */
    private enum Reading {
        /** The server's text as it is (numbers, strings, json, enum, set, time as interval, year). */
        TEXT,
        /** The bytes, as bytea's hex form (binary strings and blobs; geometry in MySQL's SRID + WKB form). */
        BYTES,
        /** A date or datetime: zero dates (month or day 0) are NULL, as Debezium reads them; year 0 is 1 BC. */
        DATE,
        /** A TIMESTAMP, read in UTC and written with its offset; the zero timestamp is NULL. */
        TIMESTAMP,
        /**
         * A date, datetime or TIMESTAMP (in UTC) for a MySQL-family target: its own text, zero dates (0000-00-00, a zero
         * month or day) included, which the target's session takes as they are.
         */
        DATE_AS_IS
    }

    private record ColumnRead(String name, String expression, Reading reading) {
    }

    private final MySqlSource source;

    MariaDbChunkSource(Map<String, String> config, MySqlSource source) {
        super(config, source);
        this.source = source;
    }

    /**
     * The binlog position of a consistent snapshot, and the tables' structure at exactly that position. A DDL statement
     * on a captured table cannot fall between the two: a session holds the tables' metadata locks (which DDL waits
     * for) from before the position is taken until their structure is read. The structure covers every table of the
     * databases the connector captures, as Debezium's own schema snapshot records them, not only the {@code loaded}
     * ones: the first binlog change to a table missing from its schema history (one the task leaves out, e.g. for lack
     * of a key, or one added to its selection later) would stop the whole capture.
     */
    @Override
    public Watermark watermark(List<TableSchema> loaded) throws SQLException {
        List<TableSchema> tables = source.tablesOfCapturedDatabases();
        try (Connection structure = connect(); Statement locks = structure.createStatement()) {
            structure.setAutoCommit(false);
            locks.execute("SET SESSION lock_wait_timeout = 60");
            for (TableSchema table : tables) {
                locks.executeQuery("SELECT 1 FROM " + qualified(table.id()) + " LIMIT 0").close();
            }
            Map<String, Object> position = snapshotPosition();
            Map<String, String> partition = Map.of("server", config.get("topic.prefix"));
            List<String> history = schemaHistory(structure, tables, partition, position);
            structure.commit();
            try {
                return new Watermark(Map.of(JSON.writeValueAsString(List.of(config.get("name"), partition)), JSON.writeValueAsString(position)),
                        history);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Every transaction before this position is visible to the snapshot, and so to every later chunk read. */
    private Map<String, Object> snapshotPosition() throws SQLException {
        String file;
        long position;
        String gtids;
        try (Connection c = connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
            Map<String, String> status = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery("SHOW STATUS WHERE Variable_name IN ('binlog_snapshot_file', 'binlog_snapshot_position')")) {
                while (rs.next()) {
                    status.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
                }
            }
            c.commit();
            file = status.get("binlog_snapshot_file");
            if (file == null || file.isBlank()) {
                throw new SQLException(source.describe() + " reports no binlog snapshot position (binlog_snapshot_file): is log_bin on?");
            }
            position = Long.parseLong(status.get("binlog_snapshot_position"));
            try (PreparedStatement gtid = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
                gtid.setString(1, file);
                gtid.setLong(2, position);
                try (ResultSet rs = gtid.executeQuery()) {
                    rs.next();
                    gtids = rs.getString(1);
                }
            }
        }
        return new SourcePosition.Binlog(file, position, gtids, 0).offset();
    }

    /**
     * The statements Debezium's own schema snapshot records (server character set, each database, each table's SHOW
     * CREATE TABLE), as its schema history records at the watermark: the connector then reads the log from there
     * with the structure the log had, and applies later DDL from the log itself.
     */
    static List<String> schemaHistory(Connection c, List<TableSchema> tables, Map<String, ?> partition, Map<String, ?> position)
            throws SQLException {
        DocumentWriter writer = DocumentWriter.defaultWriter();
        List<String> records = new ArrayList<>();
        java.util.function.BiConsumer<String, String> add = (database, ddl) -> {
            try {
                records.add(writer.write(new HistoryRecord(partition, position, database, null, ddl, null, java.time.Instant.now()).document()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT @@character_set_server, @@collation_server")) {
                rs.next();
                add.accept("", "SET character_set_server=" + rs.getString(1) + ", collation_server=" + rs.getString(2));
            }
            for (String database : tables.stream().map(t -> t.id().schema()).distinct().toList()) {
                try (PreparedStatement charset = c.prepareStatement(
                        "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
                    charset.setString(1, database);
                    try (ResultSet rs = charset.executeQuery()) {
                        rs.next();
                        add.accept(database, "CREATE DATABASE " + quote(database) + " CHARSET " + rs.getString(1) + " COLLATE " + rs.getString(2));
                    }
                }
                add.accept(database, "USE " + quote(database));
                for (TableSchema table : tables.stream().filter(t -> t.id().schema().equals(database)).toList()) {
                    try (ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + qualified(table.id()))) {
                        rs.next();
                        add.accept(database, rs.getString(2));
                    }
                }
            }
        }
        return records;
    }

    @Override
    protected boolean isInteger(Column column) {
        return INTEGER_TYPES.contains(baseType(column.sourceType()));
    }

    @Override
    protected char identifierQuote() {
        return '`';
    }

    @Override
    protected String keyRangeQuery(TableSchema table, String key) {
        return "SELECT CAST(MIN(" + quote(key) + ") AS CHAR), CAST(MAX(" + quote(key) + ") AS CHAR) FROM " + qualified(table.id());
    }

    @Override
    public long estimatedRows(TableSchema table) throws SQLException {
        Connection c = planningConnection();
        try (PreparedStatement s = c.prepareStatement("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            s.setString(1, table.id().schema());
            s.setString(2, table.id().table());
            try (ResultSet rs = s.executeQuery()) {
                long estimate = rs.next() ? rs.getLong(1) : 0;
                if (estimate > 0) {
                    return estimate;
                }
            }
            try (Statement count = c.createStatement(); ResultSet rs = count.executeQuery("SELECT COUNT(*) FROM " + qualified(table.id()))) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    protected void prepareReader(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION time_zone = '+00:00'"); // TIMESTAMP values are read in UTC
        }
    }

    @Override
    public boolean readsRowsOf(List<TableSchema> tables) {
        return true; // every column has a same-engine reading
    }

    @Override
    protected long readRows(Connection c, TableSchema table, Chunk chunk, RowConsumer rows) throws SQLException {
        List<ColumnRead> columns = table.columns().stream().map(MariaDbChunkSource::readingForSameEngine).toList();
        long read = 0;
        try (Statement s = c.createStatement()) {
            s.setFetchSize(FETCH_ROWS);
            try (ResultSet rs = s.executeQuery(select(table, chunk, columns))) {
                while (rs.next()) {
                    Object[] values = new Object[columns.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = value(rs, i + 1, columns.get(i).reading());
                    }
                    rows.accept(values);
                    read++;
                }
            }
        }
        return read;
    }

    private String select(TableSchema table, Chunk chunk, List<ColumnRead> columns) {
        return "SELECT " + columns.stream().map(ColumnRead::expression).collect(Collectors.joining(", "))
                + " FROM " + qualified(table.id()) + chunkCondition(table, chunk);
    }

    @Override
    protected long copyOut(Connection c, TableSchema table, Chunk chunk, OutputStream out, RefusedRows refused) throws SQLException {
        List<ColumnRead> columns = table.columns().stream().map(MariaDbChunkSource::reading).toList();
        String select = select(table, chunk, columns);
        long written = 0;
        StringBuilder line = new StringBuilder(512);
        Object[] values = new Object[columns.size()];
        try (Statement s = c.createStatement()) {
            s.setFetchSize(FETCH_ROWS);
            try (ResultSet rs = s.executeQuery(select)) {
                while (rs.next()) {
                    String nul = null;
                    for (int i = 0; i < values.length; i++) {
                        values[i] = value(rs, i + 1, columns.get(i).reading());
                        if (nul == null && values[i] instanceof String text && text.indexOf('\0') >= 0) {
                            nul = columns.get(i).name();
                        }
                    }
                    if (nul != null) {
                        refused.refuse(row(columns, values), "column " + nul + " holds a NUL character (0x00), which PostgreSQL "
                                + "text cannot store; map the column to bytea (typeMapping) to keep it");
                        continue;
                    }
                    line.setLength(0);
                    for (int i = 0; i < values.length; i++) {
                        if (i > 0) {
                            line.append('\t');
                        }
                        PostgresCopyText.appendField(line, values[i]);
                    }
                    line.append('\n');
                    out.write(line.toString().getBytes(StandardCharsets.UTF_8));
                    written++;
                }
            }
        } catch (IOException e) {
            throw new SQLException("Writing chunk " + chunk.number() + " of " + table.id() + " failed: " + e.getMessage(), "08006", e);
        }
        return written;
    }

    /** The SELECT expression of a column and how to read it, from its COLUMN_TYPE. */
    static ColumnRead reading(Column column) {
        String c = quote(column.name());
        Matcher m = TYPE.matcher(column.sourceType());
        String base = m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : "";
        String args = m.matches() ? m.group(2) : null;
        if (BYTE_TYPES.contains(base)) {
            return new ColumnRead(column.name(), c, Reading.BYTES);
        }
        return switch (base) {
            // BIT(1) becomes boolean, which reads 0 and 1; BIT(n) becomes bit(n), which reads n binary digits.
            case "bit" -> args == null || args.trim().equals("1") ? new ColumnRead(column.name(), "CAST(" + c + " + 0 AS CHAR)", Reading.TEXT)
                    : new ColumnRead(column.name(), "LPAD(BIN(" + c + "), " + args.trim() + ", '0')", Reading.TEXT);
            // Through DOUBLE every bit of a FLOAT is written out (the server's FLOAT text keeps six digits).
            case "float", "double", "real" -> new ColumnRead(column.name(), "CAST(" + c + " AS DOUBLE)", Reading.TEXT);
            case "date", "datetime" -> new ColumnRead(column.name(), "CAST(" + c + " AS CHAR)", Reading.DATE);
            case "timestamp" -> new ColumnRead(column.name(), "CAST(" + c + " AS CHAR)", Reading.TIMESTAMP);
            case "time", "year" -> new ColumnRead(column.name(), "CAST(" + c + " AS CHAR)", Reading.TEXT);
            default -> new ColumnRead(column.name(), c, Reading.TEXT);
        };
    }

    /**
     * The SELECT expression and reading of a column for a MySQL-family target whose column has the same type: the
     * server's own text, which it reads back into the same value, or the bytes of binary strings, bit strings and
     * geometry (MySQL's SRID + WKB form, which a geometry column takes back).
     */
    static ColumnRead readingForSameEngine(Column column) {
        String c = quote(column.name());
        String base = baseType(column.sourceType());
        if (BYTE_TYPES.contains(base) || "bit".equals(base)) {
            return new ColumnRead(column.name(), c, Reading.BYTES);
        }
        return switch (base) {
            // As for COPY: through DOUBLE every bit of a FLOAT is written out.
            case "float", "double", "real" -> new ColumnRead(column.name(), "CAST(" + c + " AS DOUBLE)", Reading.TEXT);
            case "date", "datetime", "timestamp" -> new ColumnRead(column.name(), "CAST(" + c + " AS CHAR)", Reading.DATE_AS_IS);
            case "time", "year" -> new ColumnRead(column.name(), "CAST(" + c + " AS CHAR)", Reading.TEXT);
            default -> new ColumnRead(column.name(), c, Reading.TEXT);
        };
    }

    private static Object value(ResultSet rs, int index, Reading reading) throws SQLException {
        if (reading == Reading.BYTES) {
            return rs.getBytes(index);
        }
        String text = rs.getString(index);
        if (text == null || reading == Reading.TEXT || reading == Reading.DATE_AS_IS) {
            return text;
        }
        if (isZeroDate(text)) {
            return null;
        }
        if (reading == Reading.TIMESTAMP) {
            return text + "+00";
        }
        // ISO year 0 is 1 BC in PostgreSQL's notation.
        return text.startsWith("0000-") ? "0001" + text.substring(4) + " BC" : text;
    }

    /** 0000-00-00 and dates with a zero month or day, which MariaDB stores and no calendar has. */
    private static boolean isZeroDate(String text) {
        return text.length() >= 10 && (text.startsWith("00", 5) || text.startsWith("00", 8));
    }

    private static Map<String, Object> row(List<ColumnRead> columns, Object[] values) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            row.put(columns.get(i).name(), values[i]);
        }
        return row;
    }

    @Override
    protected Connection connect() throws SQLException {
        // The driver's defaults would read TINYINT(1) as a boolean and YEAR as a date.
        return source.connect("tinyInt1isBit=false&yearIsDateType=false");
    }

    private static String baseType(String columnType) {
        Matcher m = TYPE.matcher(columnType);
        return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : "";
    }


    private static String qualified(TableId table) {
        return quote(table.schema()) + "." + quote(table.table());
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
