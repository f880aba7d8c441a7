package routes.schema;

import java.util.List;
import java.util.Optional;

import routes.change.TableId;

/**
 * A source table's columns (in ordinal order) and primary key (in key order; empty when it has none).
 *
 * @param typeSystem whose type names the columns carry: {@code postgresql} or {@code mysql}
 */
public record TableSchema(TableId id, List<Column> columns, List<String> primaryKey, String typeSystem) {

    public static final String POSTGRESQL = "postgresql";
    public static final String MYSQL = "mysql";

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
