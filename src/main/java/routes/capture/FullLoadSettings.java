package routes.capture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
final class FullLoadSettings {

    static final String FILTERS = "realtimesync.full.load.filters";
    static final String SKIPPED = "realtimesync.skip.full.load";

    private static final String OVERRIDES = "snapshot.select.statement.overrides";
    private static final String SNAPSHOT_TABLES = "snapshot.include.collection.list";

    private FullLoadSettings() {
    }

    /** The properties with ours replaced by Debezium's; {@code quote} is the source's identifier quote. */
    static Map<String, String> adapt(Map<String, String> props, char quote) {
        Map<String, String> adapted = new HashMap<>(props);
        String filters = adapted.remove(FILTERS);
        String skipped = adapted.remove(SKIPPED);
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

    private static String quoted(String name, char quote) {
        String q = String.valueOf(quote);
        return q + name.replace(q, q + q) + q;
    }

    /** Whether the task's settings leave this table out of the full load (its target rows are then kept as they are). */
    static boolean skips(Map<String, String> config, routes.change.TableId table) {
        String name = table.schema() + "." + table.table();
        return splitList(config.get(SKIPPED)).stream().anyMatch(name::matches);
    }

    private static List<String> splitList(String list) {
        return list == null || list.isBlank() ? List.of()
                : Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
