package routes.sink;

import java.util.List;
import java.util.Map;

import routes.change.SourcePosition;
import routes.change.TableId;

/**
 * The structure a table's row arrives with, when it differs from the table's previous row or is the table's first in
 * this run (see {@link routes.capture.SchemaWatch}): the row's column names in order, the source's type of each where
 * the source sends them (MySQL family; {@code types} is null where it sends none), and the row's source position.
 */
public record RowStructure(TableId table, boolean first, List<String> columns, Map<String, String> types, SourcePosition position) {

    /** The source's types the row tells (none from PostgreSQL). */
    public Map<String, String> typesTold() {
        return types == null ? Map.of() : types;
    }
}
