package routes.schema;

/**
 * A column as the source declares it.
 *
 * @param name       the column name as the server spells it
 * @param sourceType the source's own full type text (PostgreSQL: {@code format_type()}, e.g. {@code numeric(12,2)})
 * @param nullable   whether NULL is allowed
 */
public record Column(String name, String sourceType, boolean nullable) {
}
