package routes.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.change.TableId;
import routes.fullload.Chunk;
import routes.fullload.Watermark;

/**
 * A chunked full load's progress, kept in the target's state tables (created by the dialect): the position the
 * change stream starts from once the load is done, and every chunk with the rows it copied once it is done. A chunk is
 * marked done in the transaction that wrote its rows, so a restarted load goes on with the chunks not done yet.
 */
public final class FullLoadLedger {

    /** The position the change stream starts from (the capture engine's offsets as JSON) and the chunks. */
    public record Plan(String watermark, List<Chunk> chunks) {
        public boolean finished() {
            return chunks.stream().allMatch(Chunk::done);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String task;

    public FullLoadLedger(String task) {
        this.task = task;
    }

    /** The saved plan; {@code tables} turns a saved table name back into its id. */
    public Optional<Plan> load(Connection c, Function<String, TableId> tables) throws SQLException {
        String watermark;
        try (PreparedStatement s = c.prepareStatement("SELECT watermark FROM realtime_sync.full_load WHERE task = ?")) {
            s.setString(1, task);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                watermark = rs.getString(1);
            }
        }
        List<Chunk> chunks = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT source_table, chunk, lower_bound, upper_bound, rows_copied "
                + "FROM realtime_sync.full_load_chunks WHERE task = ? ORDER BY source_table, chunk")) {
            s.setString(1, task);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    TableId table = tables.apply(rs.getString(1));
                    if (table != null) {
                        chunks.add(new Chunk(table, rs.getInt(2), (Long) rs.getObject(3, Long.class),
                                (Long) rs.getObject(4, Long.class), (Long) rs.getObject(5, Long.class)));
                    }
                }
            }
        }
        return Optional.of(new Plan(watermark, chunks));
    }

    public void save(Connection c, Plan plan) throws SQLException {
        clear(c);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO realtime_sync.full_load (task, watermark) VALUES (?, ?)")) {
            s.setString(1, task);
            s.setString(2, plan.watermark());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO realtime_sync.full_load_chunks "
                + "(task, source_table, chunk, lower_bound, upper_bound) VALUES (?, ?, ?, ?, ?)")) {
            for (Chunk chunk : plan.chunks()) {
                s.setString(1, task);
                s.setString(2, chunk.table().toString());
                s.setInt(3, chunk.number());
                setLong(s, 4, chunk.lower());
                setLong(s, 5, chunk.upper());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    public void done(Connection c, Chunk chunk, long rows) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE realtime_sync.full_load_chunks SET rows_copied = ? "
                + "WHERE task = ? AND source_table = ? AND chunk = ?")) {
            s.setLong(1, rows);
            s.setString(2, task);
            s.setString(3, chunk.table().toString());
            s.setInt(4, chunk.number());
            if (s.executeUpdate() != 1) {
                throw new SQLException("Chunk " + chunk.number() + " of " + chunk.table() + " is not in the full-load plan of task " + task);
            }
        }
    }

    public void clear(Connection c) throws SQLException {
        for (String table : List.of("full_load", "full_load_chunks")) {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM realtime_sync." + table + " WHERE task = ?")) {
                s.setString(1, task);
                s.executeUpdate();
            }
        }
    }

    private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }

    /** The watermark as saved: one JSON object with the capture engine's offsets and its schema history records. */
    public static String watermark(Watermark watermark) {
        Map<String, Object> saved = new LinkedHashMap<>();
        saved.put("offsets", watermark.offsets());
        saved.put("schemaHistory", watermark.schemaHistory());
        try {
            return JSON.writeValueAsString(saved);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Watermark watermark(Plan plan) {
        try {
            JsonNode saved = JSON.readTree(plan.watermark());
            if (!saved.has("offsets")) { // saved by a version that kept the offsets alone
                return new Watermark(JSON.convertValue(saved, new TypeReference<LinkedHashMap<String, String>>() { }), List.of());
            }
            Map<String, String> offsets = JSON.convertValue(saved.get("offsets"), new TypeReference<LinkedHashMap<String, String>>() { });
            List<String> history = JSON.convertValue(saved.get("schemaHistory"), new TypeReference<List<String>>() { });
            return new Watermark(offsets, history == null ? List.of() : history);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("The saved full-load watermark is not readable: " + e.getMessage(), e);
        }
    }
}
