package routes.schema;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import routes.change.TableId;

/**
 * Which source tables a task syncs, with Debezium's semantics: comma-separated regular expressions that must match
 * the whole {@code schema} (schema or database list) or the whole {@code schema.table} (table lists); an empty
 * include list admits all, and the exclude list removes tables the include lists admitted.
 */
public final class TableFilter {

    private final List<Pattern> schemas;
    private final List<Pattern> tables;
    private final List<Pattern> excludedTables;

    public TableFilter(String schemaIncludeList, String tableIncludeList) {
        this(schemaIncludeList, tableIncludeList, null);
    }

    public TableFilter(String schemaIncludeList, String tableIncludeList, String tableExcludeList) {
        this.schemas = patterns(schemaIncludeList);
        this.tables = patterns(tableIncludeList);
        this.excludedTables = patterns(tableExcludeList);
    }

    public boolean includes(TableId id) {
        String name = id.schema() + "." + id.table();
        return matchesAny(schemas, id.schema()) && matchesAny(tables, name)
                && excludedTables.stream().noneMatch(p -> p.matcher(name).matches());
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
