package routes.capture;

import java.io.OutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;

import com.fasterxml.jackson.databind.ObjectMapper;

import routes.change.TableId;
import routes.fullload.Chunk;
import routes.fullload.ChunkSource;
import routes.fullload.PostgresCopySession;
import routes.fullload.Watermark;
import routes.schema.Column;
import routes.schema.TableSchema;

/**
 * A PostgreSQL source read in chunks with {@code COPY (SELECT ...) TO STDOUT}, described by the settings the Debezium
 * connector receives. Its watermark is the replication slot, created after the publication holds every captured
 * table ({@link routes.capture.SourceDatabase#prepareCapture}); the change stream later starts where the slot begins.
 */
public final class PostgresChunkSource extends ConfiguredChunkSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "bigint");

    private final String url;

    public PostgresChunkSource(Map<String, String> config) {
        super(config);
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
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("lsn", lsnAsLong(lsn));
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
                + " FROM " + qualified(table.id()) + FullLoadSettings.chunkCondition(config, table, chunk, '"');
        try {
            return c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + select + ") TO STDOUT", out);
        } catch (java.io.IOException e) {
            throw new SQLException("Writing chunk " + chunk.number() + " of " + table.id() + " failed: " + e.getMessage(), "08006", e);
        }
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

    static long lsnAsLong(String lsn) {
        int slash = lsn.indexOf('/');
        return (Long.parseLong(lsn.substring(0, slash), 16) << 32) | Long.parseLong(lsn.substring(slash + 1), 16);
    }

    private static String qualified(TableId table) {
        return quote(table.schema()) + "." + quote(table.table());
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
