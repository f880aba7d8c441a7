package routes.schema;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import routes.change.TableId;

/**
 * Which source tables a task syncs, with Debezium's semantics: comma-separated regular expressions that must match
 * the whole {@code schema} (schema list) or the whole {@code schema.table} (table list); an empty list admits all.
 */
public final class TableFilter {

    private final List<Pattern> schemas;
    private final List<Pattern> tables;

    public TableFilter(String schemaIncludeList, String tableIncludeList) {
        this.schemas = patterns(schemaIncludeList);
        this.tables = patterns(tableIncludeList);
    }

    public boolean includes(TableId id) {
        return matchesAny(schemas, id.schema()) && matchesAny(tables, id.schema() + "." + id.table());
    }

    private static boolean matchesAny(List<Pattern> patterns, String text) {
        return patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matcher(text).matches());
    }

    private static List<Pattern> patterns(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Pattern::compile).toList();
    }
}
