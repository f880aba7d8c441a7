package routes.sink;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import routes.capture.SourceDatabase;
import routes.change.TableId;
import routes.schema.Column;
import routes.schema.TableSchema;

/**
 * Which columns a source renamed, as the source says it exactly: a MySQL-family binlog announces renames in its
 * statements; PostgreSQL keeps a column's number through a rename (a column dropped and another added get a new
 * number). Without either, a column gone and another new are a drop and an add.
 */
public final class ColumnRenames {

    /** PostgreSQL's column numbers per table, as last known. */
    private final Map<TableId, Map<String, Integer>> columnIds = new ConcurrentHashMap<>();
    /** Renames a MySQL-family binlog announced (old name to new), until the rows show them. */
    private final Map<TableId, Map<String, String>> announced = new ConcurrentHashMap<>();

    /** The column numbers of the source's tables, as its catalog has them now. */
    public void knowIds(Map<TableId, Map<String, Integer>> ids) {
        columnIds.putAll(ids);
    }

    /** A table's column numbers as the target reflects them (saved with its definition). */
    public void knowIds(TableId table, Map<String, Integer> ids) {
        columnIds.put(table, ids);
    }

    public Map<String, Integer> ids(TableId table) {
        return columnIds.getOrDefault(table, Map.of());
    }

    /** Remembers renames (pairs: old name, new name...; a -> b, then b -> c is a -> c) until the rows show them. */
    public void announce(TableId table, List<String> pairs) {
        Map<String, String> renames = announced.computeIfAbsent(table, t -> new ConcurrentHashMap<>());
        for (int i = 0; i < pairs.size(); i += 2) {
            String from = pairs.get(i);
            String to = pairs.get(i + 1);
            Optional<String> earlier = renames.entrySet().stream().filter(e -> e.getValue().equals(from)).map(Map.Entry::getKey).findFirst();
            renames.put(earlier.orElse(from), to);
        }
    }

    /**
     * The columns the source renamed between two definitions of {@code id} (old name to new), and the column numbers
     * of {@code after} remembered for the next change.
     */
    public Map<String, String> between(TableId id, TableSchema before, TableSchema after, SourceDatabase source) {
        Map<String, String> told = announced.get(id);
        if (told != null) {
            return told;
        }
        Map<String, Integer> oldIds = columnIds.get(id);
        if (oldIds == null) {
            return Map.of();
        }
        Map<String, Integer> newIds = source.columnIds().getOrDefault(id, Map.of());
        // Remember the numbers of the columns the rows have now (the catalog may be ahead of them).
        Map<String, Integer> kept = new HashMap<>();
        for (Column column : after.columns()) {
            Integer number = newIds.containsKey(column.name()) ? newIds.get(column.name()) : oldIds.get(column.name());
            if (number != null) {
                kept.put(column.name(), number);
            }
        }
        columnIds.put(id, kept);
        Map<String, String> renames = new HashMap<>();
        for (Column gone : before.columns()) {
            Integer number = oldIds.get(gone.name());
            if (after.column(gone.name()).isEmpty() && number != null) {
                newIds.forEach((name, n) -> {
                    if (n.equals(number)) {
                        renames.put(gone.name(), name);
                    }
                });
            }
        }
        return renames;
    }

    /** The rows of {@code table} show its announced renames now. */
    public void followed(TableId table) {
        announced.remove(table);
    }
}
