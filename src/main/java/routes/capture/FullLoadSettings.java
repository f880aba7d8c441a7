package routes.capture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import routes.schema.SettingList;

/**
 * Turns the source kamelets' per-table full-load settings into Debezium's snapshot properties, whose names depend on
 * the table and so cannot be written in a kamelet:
 * <ul>
 * <li>{@value #FILTERS}: {@code schema.table=condition} entries separated by semicolons (MySQL family: database.table;
 * the condition without WHERE) become {@code snapshot.select.statement.overrides} with one
 * {@code SELECT * ... WHERE condition} per table;</li>
 * <li>{@value #SKIPPED}: comma-separated regular expressions over {@code schema.table} become a
 * {@code snapshot.include.collection.list} that leaves those tables out of the full load (their changes still
 * stream).</li>
 * </ul>
 * An empty setting (an unset kamelet parameter) changes nothing.
 */
public final class FullLoadSettings {

    static final String FILTERS = "realtimesync.full.load.filters";
    static final String SKIPPED = "realtimesync.skip.full.load";
    static final String SPLIT_KEYS = "realtimesync.full.load.split.keys";
    static final String CHUNK_ROWS = "realtimesync.full.load.chunk.rows";
    static final String PARALLELISM = "realtimesync.full.load.parallelism";

    private static final String OVERRIDES = "snapshot.select.statement.overrides";
    private static final String SNAPSHOT_TABLES = "snapshot.include.collection.list";

    private FullLoadSettings() {
    }

    /** The properties with ours replaced by Debezium's; {@code quote} is the source's identifier quote. */
    static Map<String, String> adapt(Map<String, String> props, char quote) {
        Map<String, String> adapted = new HashMap<>(props);
        String filters = adapted.remove(FILTERS);
        String skipped = adapted.remove(SKIPPED);
        adapted.remove(SPLIT_KEYS);
        adapted.remove(CHUNK_ROWS);
        adapted.remove(PARALLELISM);
        List<String> overridden = new ArrayList<>(splitList(adapted.get(OVERRIDES)));
        for (String entry : SettingList.entries(filters)) {
            int eq = entry.indexOf('=');
            int dot = entry.indexOf('.');
            if (eq < 0 || dot < 0 || dot > eq || entry.substring(eq + 1).isBlank()) {
                throw new IllegalArgumentException("The full-load filter '" + entry + "' is not schema.table=condition");
            }
            String schema = entry.substring(0, dot).trim();
            String table = entry.substring(dot + 1, eq).trim();
            String name = schema + "." + table;
            overridden.add(name);
            adapted.put(OVERRIDES + "." + name, "SELECT * FROM " + quoted(schema, quote) + "." + quoted(table, quote)
                    + " WHERE " + entry.substring(eq + 1).trim());
        }
        if (!overridden.isEmpty()) {
            adapted.put(OVERRIDES, String.join(",", overridden));
        }
        List<String> skippedTables = splitList(skipped);
        if (!skippedTables.isEmpty()) {
            adapted.put(SNAPSHOT_TABLES, snapshotTables(skippedTables, adapted.get(SNAPSHOT_TABLES)));
        }
        return adapted;
    }

    /**
     * Debezium admits a table to the snapshot when a pattern matches its name or its double-quoted name: the pattern
     * refuses the quoted form outright and the skipped names in the plain one.
     */
    private static String snapshotTables(List<String> skipped, String included) {
        String admitted = included == null || included.isBlank() ? ".*"
                : splitList(included).stream().collect(Collectors.joining("|", "(?:", ")"));
        return "(?!\")(?!(?:" + String.join("|", skipped) + ")$)" + admitted;
    }

    static String quoted(String name, char quote) {
        String q = String.valueOf(quote);
        return q + name.replace(q, q + q) + q;
    }

    /** The full-load filter of a table (a WHERE condition in the source's SQL), if the task sets one. */
    public static Optional<String> filter(Map<String, String> config, routes.change.TableId table) {
        return entry(config.get(FILTERS), table.schema() + "." + table.table());
    }

    /** The column a table's full load is split along: the task's choice, else the first primary-key column. */
    public static String splitKey(Map<String, String> config, routes.schema.TableSchema table) {
        return entry(config.get(SPLIT_KEYS), table.id().schema() + "." + table.id().table())
                .orElse(table.primaryKey().isEmpty() ? null : table.primaryKey().get(0));
    }

    /**
     * The WHERE clause (or nothing) that reads one chunk of a table: its split-key range, the task's filter for the
     * table and an operator's {@code restriction} (a backfill's filter); {@code quote} is the source's identifier quote.
     */
    static String chunkCondition(Map<String, String> config, routes.schema.TableSchema table, routes.fullload.Chunk chunk, char quote,
            Optional<String> restriction) {
        String key = quoted(splitKey(config, table), quote);
        List<String> conditions = new ArrayList<>();
        if (chunk.lower() != null) {
            conditions.add(key + " >= " + chunk.lower());
        }
        if (chunk.upper() != null) {
            // the first chunk also holds the rows whose split key is NULL (a split key outside the primary key)
            conditions.add(chunk.lower() == null ? "(" + key + " < " + chunk.upper() + " OR " + key + " IS NULL)" : key + " < " + chunk.upper());
        }
        filter(config, table.id()).ifPresent(f -> conditions.add("(" + f + ")"));
        restriction.ifPresent(r -> conditions.add("(" + r + ")"));
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    public static long chunkRows(Map<String, String> config) {
        return positive(config, CHUNK_ROWS, "fullLoadChunkRows", 100_000);
    }

    public static int parallelism(Map<String, String> config) {
        return (int) Math.min(positive(config, PARALLELISM, "fullLoadParallelism", 4), 64);
    }

    private static long positive(Map<String, String> config, String name, String parameter, long otherwise) {
        String value = config.get(name);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("The source's " + parameter + " must be a positive whole number, not '" + value + "'");
    }

    /** The value of a {@code schema.table=value} entry for this table's name, from a semicolon-separated list. */
    private static Optional<String> entry(String list, String name) {
        for (String entry : SettingList.entries(list)) {
            int eq = entry.indexOf('=');
            if (eq > 0 && entry.substring(0, eq).trim().equals(name)) {
                return Optional.of(entry.substring(eq + 1).trim());
            }
        }
        return Optional.empty();
    }

    /** Whether the task's settings leave this table out of the full load (its target rows are then kept as they are). */
    public static boolean skips(Map<String, String> config, routes.change.TableId table) {
        String name = table.schema() + "." + table.table();
        return splitList(config.get(SKIPPED)).stream().anyMatch(name::matches);
    }

    private static List<String> splitList(String list) {
        return list == null || list.isBlank() ? List.of()
                : Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
