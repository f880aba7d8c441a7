package routes.schema;

import java.util.List;
import java.util.Optional;

import routes.change.TableId;

/**
 * A source table's columns (in ordinal order) and primary key (in key order; empty when it has none).
 *
 * @param typeSystem whose type names the columns carry, and how they read into the neutral {@link DataType}
 */
public record TableSchema(TableId id, List<Column> columns, List<String> primaryKey, TypeSystem typeSystem) {

    public static final TypeSystem POSTGRESQL = TypeSystem.POSTGRESQL;
    public static final TypeSystem MYSQL = TypeSystem.MYSQL;

    public boolean hasPrimaryKey() {
        return !primaryKey.isEmpty();
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** A column's type in the neutral model. */
    public DataType typeOf(Column column) {
        return typeSystem.read(column.sourceType());
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }
}
