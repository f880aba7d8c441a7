package routes.sink.dialect;

import routes.schema.DataType;

/**
 * DuckDB's column types: native where DuckDB holds every value of the source type, otherwise VARCHAR holding the
 * source's text: decimals without precision or beyond DECIMAL's 38 digits, network addresses, and types no kind
 * describes (xml, ranges, enums, domains ...). Arrays become lists of the element's type. docs/targets.md has the table.
 */
final class DuckDbTypes {

    private DuckDbTypes() {
    }

    static String write(DataType type) {
        Integer length = type.length();
        return switch (type.kind()) {
            // SMALLINT for a one-byte integer too, as DuckDB targets have always had it.
            case TINYINT, SMALLINT -> "SMALLINT";
            case INT -> "INTEGER";
            case BIGINT -> "BIGINT";
            case BIGINT_UNSIGNED -> "DECIMAL(20,0)";
            case DECIMAL -> length != null && length <= 38 ? "DECIMAL(" + length + "," + (type.scale() == null ? 0 : type.scale()) + ")" : "VARCHAR";
            case MONEY -> "DECIMAL(19,2)";
            case FLOAT -> "REAL";
            case DOUBLE -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case BIT, VARBIT -> "BIT";
            case BYTES -> "BLOB";
            case DATE -> "DATE";
            // DuckDB keeps microseconds, as PostgreSQL and MySQL do.
            case TIMESTAMP -> "TIMESTAMP";
            case TIMESTAMP_LTZ -> "TIMESTAMPTZ";
            case TIME -> "TIME";
            case TIME_TZ -> "TIMETZ";
            case INTERVAL, INTERVAL_DAY_TIME -> "INTERVAL";
            case UUID -> "UUID";
            // DuckDB's JSON keeps the text as written, like PostgreSQL's json.
            case JSON -> "JSON";
            // One list level: a list of lists holds the inner arrays' text.
            case ARRAY -> type.element().kind() == DataType.Kind.ARRAY ? "VARCHAR[]" : write(type.element()) + "[]";
            case CHAR, VARCHAR, STRING, NETWORK_ADDRESS -> "VARCHAR";
        };
    }
}
