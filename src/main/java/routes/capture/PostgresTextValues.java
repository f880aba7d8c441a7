package routes.capture;

import java.util.Properties;
import java.util.Set;

import org.apache.kafka.connect.data.SchemaBuilder;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;

/**
 * A Debezium converter for the PostgreSQL connector: columns of the types below reach the route as the text
 * PostgreSQL writes for them ({@link PostgresText}), because Debezium's own representation would change them: timetz
 * in UTC (its offset lost), numeric's NaN as "NAN", bit strings as bytes (their length lost), infinite and BC dates, money as a double,
 * arrays with NULLs or more than one dimension, points as WKB, and types it does not know (name) as nothing at all. The PostgreSQL target reads the text back into the
 * same type; a MySQL-family target keeps it in a text column.
 */
public final class PostgresTextValues implements CustomConverter<SchemaBuilder, RelationalColumn> {

    /** Type names as Debezium reports them (pg_type.typname); arrays are all those starting with an underscore. */
    private static final Set<String> AS_TEXT = Set.of("bit", "varbit", "date", "time", "timetz", "timestamp", "timestamptz",
            "interval", "inet", "cidr", "macaddr", "macaddr8", "xml", "point", "line", "lseg", "box", "path", "polygon", "circle",
            "money", "numeric", "name", "tsvector", "tsquery", "pg_lsn");

    @Override
    public void configure(Properties properties) {
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        String type = column.typeName();
        if (AS_TEXT.contains(type) || type.startsWith("_")) {
            registration.register(SchemaBuilder.string().optional(), value -> PostgresText.of(type, value));
        }
    }
}
