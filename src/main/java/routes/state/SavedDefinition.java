package routes.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import routes.change.TableId;
import routes.schema.Column;
import routes.schema.TableSchema;
import routes.schema.TypeSystem;

/**
 * The source table definition a target table reflects, saved in the target (realtime_sync.table_definitions) in the
 * same transaction as the change that made it so. After a restart, schema changes are diffed against it, not
 * against the source's current catalog, which may already be past the position the target holds.
 *
 * @param columnIds PostgreSQL's column numbers (empty for other sources), which tell renames apart
 * @param mapping a fingerprint of how the task maps the table (target name, type overrides, assignments) when its
 *                rows were written; null when saved before fingerprints were kept
 */
public record SavedDefinition(TableSchema table, Map<String, Integer> columnIds, String mapping) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("typeSystem", table.typeSystem().id());
        var columns = root.putArray("columns");
        for (Column column : table.columns()) {
            ObjectNode c = columns.addObject();
            c.put("name", column.name());
            c.put("type", column.sourceType());
            c.put("nullable", column.nullable());
            if (columnIds.containsKey(column.name())) {
                c.put("id", columnIds.get(column.name()));
            }
        }
        var key = root.putArray("primaryKey");
        table.primaryKey().forEach(key::add);
        if (mapping != null) {
            root.put("mapping", mapping);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SavedDefinition parse(TableId id, String json) {
        try {
            JsonNode root = JSON.readTree(json);
            List<Column> columns = new ArrayList<>();
            Map<String, Integer> ids = new LinkedHashMap<>();
            for (JsonNode c : root.get("columns")) {
                columns.add(new Column(c.get("name").asText(), c.get("type").asText(), c.get("nullable").asBoolean()));
                if (c.has("id")) {
                    ids.put(c.get("name").asText(), c.get("id").asInt());
                }
            }
            List<String> key = new ArrayList<>();
            root.get("primaryKey").forEach(k -> key.add(k.asText()));
            return new SavedDefinition(new TableSchema(id, List.copyOf(columns), List.copyOf(key), TypeSystem.of(root.get("typeSystem").asText())), ids,
                    root.path("mapping").asText(null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Saved definition of " + id + " is not readable: " + e.getMessage(), e);
        }
    }
}
