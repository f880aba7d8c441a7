package routes.capture;

import java.io.OutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import routes.change.SourcePosition;
import routes.change.TableId;
import routes.fullload.Chunk;
import routes.fullload.ChunkSource;
import routes.fullload.PostgresCopySession;
import routes.fullload.Watermark;
import routes.schema.Column;
import routes.schema.TableSchema;

/**
 * A PostgreSQL source read in chunks, described by the settings the Debezium connector receives: for a PostgreSQL
 * target with {@code COPY (SELECT ...) TO STDOUT}, for a MySQL-family target as rows whose values take the form the
 * capture hands them over in ({@link PostgresTextValues}, {@link DebeziumValues}). Its watermark is the replication
 * slot, created after the publication holds every captured table ({@link routes.capture.SourceDatabase#prepareCapture});
 * the change stream later starts where the slot begins.
 */
public final class PostgresChunkSource extends ConfiguredChunkSource {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresChunkSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "bigint");
    /**
     * The built-in types (pg_type.typname) whose values {@link #readRows} hands over as the capture does; enums and
     * arrays of these are read too. A table with a column of another type (a domain, an extension's type) is loaded
     * by the capture engine's snapshot, which knows how Debezium represents it.
     */
    private static final Set<String> ROW_READ_TYPES = Set.of("int2", "int4", "int8", "float4", "float8", "numeric", "money", "bool",
            "text", "varchar", "bpchar", "bytea", "date", "time", "timetz", "timestamp", "timestamptz", "interval", "uuid", "json", "jsonb",
            "inet", "cidr", "macaddr", "macaddr8", "bit", "varbit", "xml", "point", "line", "lseg", "box", "path", "polygon", "circle",
            "name", "tsvector", "tsquery", "pg_lsn");
    private static final int FETCH_ROWS = 10_000;

    /** How {@link #readRows} reads a column: into the Java value the capture hands over for it. */
    private enum Reading {
        INTEGER, LONG, FLOAT, DOUBLE, BOOLEAN, BYTES, JSON,
        /** The server's text (DateStyle ISO, IntervalStyle postgres, UTC), which the capture hands over for the rest. */
        TEXT,
        /** money as a plain number (its text carries the locale's currency format). */
        MONEY
    }

    private final String url;

    public PostgresChunkSource(Map<String, String> config, PostgresSource source) {
        super(config, source);
        this.url = PostgresSource.url(config);
    }

    @Override
    public Watermark watermark(List<TableSchema> tables) throws SQLException {
        String slot = config.getOrDefault("slot.name", "debezium");
        String lsn;
        lsn = single(planningConnection(), "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?", slot)
                .orElse(null);
        if (lsn == null) {
            lsn = createSlot(slot);
        }
        Map<String, Object> value = SourcePosition.Lsn.parse(lsn).offset();
        Map<String, String> partition = Map.of("server", config.get("topic.prefix"));
        try {
            // PostgreSQL rows carry their structure: Debezium keeps no schema history for them.
            return new Watermark(Map.of(JSON.writeValueAsString(List.of(config.get("name"), partition)), JSON.writeValueAsString(value)),
                    List.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates the slot through the replication protocol, as Debezium would: a PostgreSQL 18.6 walsender was seen to
     * crash decoding from a slot made with pg_create_logical_replication_slot() after table rewrites.
     */
    private String createSlot(String slot) throws SQLException {
        Properties properties = credentials();
        org.postgresql.PGProperty.REPLICATION.set(properties, "database");
        org.postgresql.PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "9.4");
        org.postgresql.PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        try (Connection c = DriverManager.getConnection(url, properties)) {
            return c.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical().withSlotName(slot)
                    .withOutputPlugin("pgoutput").make().getConsistentPoint().asString();
        }
    }

    @Override
    protected boolean isInteger(Column column) {
        return INTEGER_TYPES.contains(column.sourceType());
    }

    @Override
    protected char identifierQuote() {
        return '"';
    }

    @Override
    protected String keyRangeQuery(TableSchema table, String key) {
        return "SELECT min(" + quote(key) + ")::text, max(" + quote(key) + ")::text FROM " + qualified(table.id());
    }

    @Override
    public long estimatedRows(TableSchema table) throws SQLException {
        Connection c = planningConnection();
        long estimate = single(c, "SELECT greatest(reltuples, 0)::bigint::text FROM pg_class WHERE oid = ?::regclass",
                qualified(table.id())).map(Long::parseLong).orElse(0L);
        return estimate > 0 ? estimate
                : single(c, "SELECT count(*)::text FROM " + qualified(table.id())).map(Long::parseLong).orElse(0L);
    }

    @Override
    protected void prepareReader(Connection c) throws SQLException {
        PostgresCopySession.prepare(c);
    }

    @Override
    protected long copyOut(Connection c, TableSchema table, Chunk chunk, OutputStream out, RefusedRows refused) throws SQLException {
        String select = "SELECT " + table.columnNames().stream().map(PostgresChunkSource::quote).collect(Collectors.joining(", "))
                + " FROM " + qualified(table.id()) + chunkCondition(table, chunk);
        try {
            return c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + select + ") TO STDOUT", out);
        } catch (java.io.IOException e) {
            throw new SQLException("Writing chunk " + chunk.number() + " of " + table.id() + " failed: " + e.getMessage(), "08006", e);
        }
    }

    @Override
    public boolean readsCaptureValues() {
        return true;
    }

    @Override
    public boolean readsRowsOf(List<TableSchema> tables) throws SQLException {
        for (TableSchema table : tables) {
            Map<String, Reading> readings = readings(planningConnection(), table);
            for (Column column : table.columns()) {
                if (readings.get(column.name()) == null) {
                    LOG.info("Column {} of {} has type {}, which the chunked full load does not read for a MySQL-family target: "
                            + "the capture engine's snapshot loads this task", column.name(), table.id(), column.sourceType());
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    protected long readRows(Connection c, TableSchema table, Chunk chunk, RowConsumer rows) throws SQLException {
        Map<String, Reading> byColumn = readings(c, table);
        List<Reading> readings = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        for (Column column : table.columns()) {
            Reading reading = byColumn.get(column.name());
            if (reading == null) {
                throw new SQLException("Column " + column.name() + " of " + table.id() + " has type " + column.sourceType()
                        + ", which the chunked full load does not read for a MySQL-family target", "0A000");
            }
            readings.add(reading);
            expressions.add(reading == Reading.MONEY ? quote(column.name()) + "::numeric::text" : quote(column.name()));
        }
        String select = "SELECT " + String.join(", ", expressions) + " FROM " + qualified(table.id())
                + chunkCondition(table, chunk);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // the driver fetches a few rows at a time only inside a transaction
        long read = 0;
        try (Statement s = c.createStatement()) {
            s.setFetchSize(FETCH_ROWS);
            try (ResultSet rs = s.executeQuery(select)) {
                while (rs.next()) {
                    Object[] values = new Object[readings.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = value(rs, i + 1, readings.get(i));
                    }
                    rows.accept(values);
                    read++;
                }
            }
        } finally {
            c.rollback(); // read only
            c.setAutoCommit(autoCommit);
        }
        return read;
    }

    /** Column name -> its reading; null for a type {@link #readRows} does not read. */
    private static Map<String, Reading> readings(Connection c, TableSchema table) throws SQLException {
        Map<String, Reading> readings = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT a.attname, coalesce(e.typname, t.typname), coalesce(e.typtype, t.typtype),
                       coalesce(e.typnamespace, t.typnamespace) = 'pg_catalog'::regnamespace, e.oid IS NOT NULL
                  FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                  LEFT JOIN pg_type e ON t.typcategory = 'A' AND e.oid = t.typelem
                 WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped""")) {
            s.setString(1, qualified(table.id()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    boolean known = "e".equals(rs.getString(3)) || (rs.getBoolean(4) && ROW_READ_TYPES.contains(type));
                    // arrays, like the types PostgresTextValues converts, arrive as the server's text
                    readings.put(rs.getString(1), !known ? null : rs.getBoolean(5) ? Reading.TEXT : reading(type));
                }
            }
        }
        return readings;
    }

    private static Reading reading(String type) {
        return switch (type) {
            case "int2", "int4" -> Reading.INTEGER;
            case "int8" -> Reading.LONG;
            case "float4" -> Reading.FLOAT;
            case "float8" -> Reading.DOUBLE;
            case "bool" -> Reading.BOOLEAN;
            case "bytea" -> Reading.BYTES;
            case "json", "jsonb" -> Reading.JSON;
            case "money" -> Reading.MONEY;
            default -> Reading.TEXT;
        };
    }

    private static Object value(ResultSet rs, int index, Reading reading) throws SQLException {
        Object value = switch (reading) {
            case INTEGER -> rs.getInt(index);
            case LONG -> rs.getLong(index);
            case FLOAT -> rs.getFloat(index);
            case DOUBLE -> rs.getDouble(index);
            case BOOLEAN -> rs.getBoolean(index);
            case BYTES -> rs.getBytes(index);
            case JSON -> {
                String json = rs.getString(index);
                yield json == null ? null : new DebeziumValues.JsonText(json);
            }
            case TEXT, MONEY -> rs.getString(index);
        };
        return rs.wasNull() ? null : value;
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(url, credentials());
    }

    private Properties credentials() {
        return PostgresSource.connectionProperties(config, "realtime-sync full load");
    }

    private static Optional<String> single(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setString(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }


    private static String qualified(TableId table) {
        return quote(table.schema()) + "." + quote(table.table());
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
