package routes.schema;

import java.util.Arrays;

/**
 * Whose type names a source table's columns carry, and how they read into the neutral {@link DataType}. A new source
 * engine is one more constant here and one reader.
 */
public enum TypeSystem {

    /** {@code format_type()} text, e.g. {@code numeric(12,2)}, {@code timestamp(3) with time zone}. */
    POSTGRESQL("postgresql") {
        @Override
        public DataType read(String sourceType) {
            return PostgresTypes.read(sourceType);
        }
    },
    /** MySQL/MariaDB {@code COLUMN_TYPE} text, e.g. {@code int(10) unsigned}, {@code decimal(12,2)}. */
    MYSQL("mysql") {
        @Override
        public DataType read(String sourceType) {
            return MySqlTypes.read(sourceType);
        }
    };

    private final String id;

    TypeSystem(String id) {
        this.id = id;
    }

    /** A column's type text, as this source's catalog writes it, in the neutral model. */
    public abstract DataType read(String sourceType);

    /** The name saved with table definitions (and Kafka's source connector name): {@code postgresql} or {@code mysql}. */
    public String id() {
        return id;
    }

    public static TypeSystem of(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown type system '" + id + "' (known: postgresql, mysql)"));
    }
}
