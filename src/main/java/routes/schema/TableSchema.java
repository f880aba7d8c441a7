package routes.schema;

import java.util.List;
import java.util.Optional;

import routes.change.TableId;

/** A source table's columns (in ordinal order) and primary key (in key order; empty when it has none). */
public record TableSchema(TableId id, List<Column> columns, List<String> primaryKey) {

    public boolean hasPrimaryKey() {
        return !primaryKey.isEmpty();
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }
}
