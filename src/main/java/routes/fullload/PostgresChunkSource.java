package routes.fullload;

import java.io.OutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;

import com.fasterxml.jackson.databind.ObjectMapper;

import routes.capture.FullLoadSettings;
import routes.change.TableId;
import routes.schema.TableSchema;

/**
 * A PostgreSQL source read in chunks with {@code COPY (SELECT ...) TO STDOUT}, described by the settings the Debezium
 * connector receives. Its watermark is the replication slot: the publication is made to hold every captured table
 * first (pgoutput filters a change by the publication as it was when the change was made), then the slot is created,
 * and the change stream later starts exactly where the slot begins.
 */
public final class PostgresChunkSource implements ChunkSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "bigint");

    private final Map<String, String> config;
    private final String url;

    public PostgresChunkSource(Map<String, String> config) {
        this.config = config;
        this.url = "jdbc:postgresql://" + config.get("database.hostname") + ":" + config.getOrDefault("database.port", "5432")
                + "/" + config.get("database.dbname");
    }

    @Override
    public Map<String, String> watermark(List<TableSchema> tables) throws SQLException {
        String slot = config.getOrDefault("slot.name", "debezium");
        String lsn;
        try (Connection c = connect()) {
            preparePublication(c, tables);
            lsn = single(c, "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?", slot)
                    .orElse(null);
            if (lsn == null) {
                lsn = single(c, "SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'pgoutput')", slot).orElseThrow();
            }
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("lsn", lsnAsLong(lsn));
        Map<String, String> partition = Map.of("server", config.get("topic.prefix"));
        try {
            return Map.of(JSON.writeValueAsString(List.of(config.get("name"), partition)), JSON.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As Debezium's publication.autocreate.mode would leave it, but before the slot exists. */
    private void preparePublication(Connection c, List<TableSchema> tables) throws SQLException {
        String publication = config.getOrDefault("publication.name", "dbz_publication");
        String mode = config.getOrDefault("publication.autocreate.mode", "all_tables");
        boolean exists = single(c, "SELECT pubname FROM pg_publication WHERE pubname = ?", publication).isPresent();
        String tableList = tables.stream().map(t -> quote(t.id().schema()) + "." + quote(t.id().table()))
                .collect(Collectors.joining(", "));
        try (Statement s = c.createStatement()) {
            if (mode.equals("filtered") && !tables.isEmpty()) {
                s.execute((exists ? "ALTER PUBLICATION " + quote(publication) + " SET TABLE "
                        : "CREATE PUBLICATION " + quote(publication) + " FOR TABLE ") + tableList);
            } else if (mode.equals("all_tables") && !exists) {
                s.execute("CREATE PUBLICATION " + quote(publication) + " FOR ALL TABLES");
            }
        }
    }

    @Override
    public List<Chunk> plan(TableSchema table, long chunkRows) throws SQLException {
        String key = FullLoadSettings.splitKey(config, table);
        boolean integer = table.column(key).map(c -> INTEGER_TYPES.contains(c.sourceType())).orElse(false);
        if (!integer) {
            return List.of(new Chunk(table.id(), 0, null, null, null));
        }
        long rows = estimatedRows(table);
        String bounds = "SELECT min(" + quote(key) + ")::text, max(" + quote(key) + ")::text FROM " + qualified(table.id());
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(bounds)) {
            rs.next();
            if (rs.getString(1) == null) {
                return List.of(new Chunk(table.id(), 0, null, null, null));
            }
            return split(table.id(), Long.parseLong(rs.getString(1)), Long.parseLong(rs.getString(2)), rows, chunkRows);
        }
    }

    /** Even key ranges between the smallest and largest key, as many as the rows need; open at both ends. */
    static List<Chunk> split(TableId table, long min, long max, long rows, long chunkRows) {
        long count = Math.max(1, (rows + chunkRows - 1) / chunkRows);
        long width = Math.max(1, (max - min) / count + 1);
        List<Chunk> chunks = new ArrayList<>();
        Long lower = null;
        for (int i = 0; i < count; i++) {
            Long upper = i == count - 1 ? null : min + width * (i + 1);
            if (upper != null && upper > max) {
                upper = null;
            }
            chunks.add(new Chunk(table, i, lower, upper, null));
            if (upper == null) {
                break;
            }
            lower = upper;
        }
        return chunks;
    }

    @Override
    public long estimatedRows(TableSchema table) throws SQLException {
        try (Connection c = connect()) {
            long estimate = single(c, "SELECT greatest(reltuples, 0)::bigint::text FROM pg_class WHERE oid = ?::regclass",
                    qualified(table.id())).map(Long::parseLong).orElse(0L);
            return estimate > 0 ? estimate
                    : single(c, "SELECT count(*)::text FROM " + qualified(table.id())).map(Long::parseLong).orElse(0L);
        }
    }

    @Override
    public long copyOut(TableSchema table, Chunk chunk, OutputStream out) throws SQLException {
        String key = quote(FullLoadSettings.splitKey(config, table));
        List<String> conditions = new ArrayList<>();
        if (chunk.lower() != null) {
            conditions.add(key + " >= " + chunk.lower());
        }
        if (chunk.upper() != null) {
            conditions.add(key + " < " + chunk.upper());
        }
        FullLoadSettings.filter(config, table.id()).ifPresent(f -> conditions.add("(" + f + ")"));
        String select = "SELECT " + table.columnNames().stream().map(PostgresChunkSource::quote).collect(Collectors.joining(", "))
                + " FROM " + qualified(table.id()) + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
        try (Connection c = connect()) {
            PostgresCopySession.prepare(c);
            return c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + select + ") TO STDOUT", out);
        } catch (java.io.IOException e) {
            throw new SQLException("Writing chunk " + chunk.number() + " of " + table.id() + " failed: " + e.getMessage(), "08006", e);
        }
    }

    @Override
    public long chunkRows() {
        return FullLoadSettings.chunkRows(config);
    }

    @Override
    public int parallelism() {
        return FullLoadSettings.parallelism(config);
    }

    @Override
    public boolean skips(TableSchema table) {
        return FullLoadSettings.skips(config, table.id());
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", config.getOrDefault("database.user", ""));
        properties.setProperty("password", config.getOrDefault("database.password", ""));
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("ApplicationName", "realtime-sync full load");
        return DriverManager.getConnection(url, properties);
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
