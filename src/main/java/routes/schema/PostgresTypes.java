package routes.schema;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import routes.schema.DataType.Kind;

/**
 * PostgreSQL's types: the reader of a PostgreSQL source's {@code format_type()} text, and the writer of a PostgreSQL
 * target's column types. docs/type-mapping.md has the tables.
 */
public final class PostgresTypes {

    /** format_type() text: a name, an optional (n) or (p,s), and for timestamps and times the zone part. */
    private static final Pattern TYPE = Pattern.compile("^([a-z ]+?)(?:\\((\\d+)(?:,(-?\\d+))?\\))?( with(?:out)? time zone)?$");

    private PostgresTypes() {
    }

    /** A type as {@code format_type()} writes it. Types no kind describes (xml, ranges, enums, domains ...) are text. */
    public static DataType read(String formatType) {
        String type = formatType.trim().toLowerCase(Locale.ROOT);
        if (type.endsWith("[]")) {
            return DataType.arrayOf(read(type.substring(0, type.length() - 2)), TypeSystem.POSTGRESQL, formatType);
        }
        Matcher m = TYPE.matcher(type);
        if (!m.matches()) {
            return of(Kind.STRING, formatType);
        }
        Integer size = m.group(2) == null ? null : Integer.valueOf(m.group(2));
        boolean zoned = m.group(4) != null && m.group(4).contains("with time zone");
        return switch (m.group(1)) {
            case "smallint" -> of(Kind.SMALLINT, formatType);
            case "integer" -> of(Kind.INT, formatType);
            case "bigint" -> of(Kind.BIGINT, formatType);
            case "numeric" -> of(Kind.DECIMAL, formatType).withLength(size)
                    .withScale(m.group(3) == null ? null : Integer.valueOf(m.group(3))).withSpecialValues();
            case "money" -> of(Kind.MONEY, formatType);
            case "real" -> of(Kind.FLOAT, formatType).withSpecialValues();
            case "double precision" -> of(Kind.DOUBLE, formatType).withSpecialValues();
            case "boolean" -> of(Kind.BOOLEAN, formatType);
            case "bit" -> of(Kind.BIT, formatType).withLength(size);
            case "bit varying" -> of(Kind.VARBIT, formatType).withLength(size);
            case "character varying" -> of(Kind.VARCHAR, formatType).withLength(size);
            case "character" -> of(Kind.CHAR, formatType).withLength(size);
            case "text" -> of(Kind.STRING, formatType);
            case "bytea" -> of(Kind.BYTES, formatType);
            case "date" -> of(Kind.DATE, formatType).withSpecialValues();
            // Without a precision PostgreSQL keeps microseconds.
            case "timestamp" -> of(zoned ? Kind.TIMESTAMP_LTZ : Kind.TIMESTAMP, formatType).withLength(size == null ? 6 : size)
                    .withSpecialValues();
            case "time" -> of(zoned ? Kind.TIME_TZ : Kind.TIME, formatType).withLength(size == null ? 6 : size);
            case "interval" -> of(Kind.INTERVAL, formatType);
            case "json", "jsonb" -> of(Kind.JSON, formatType);
            case "uuid" -> of(Kind.UUID, formatType);
            case "inet", "cidr" -> of(Kind.NETWORK_ADDRESS, formatType).withLength(43);
            case "macaddr" -> of(Kind.NETWORK_ADDRESS, formatType).withLength(17);
            case "macaddr8" -> of(Kind.NETWORK_ADDRESS, formatType).withLength(23);
            default -> of(Kind.STRING, formatType);
        };
    }

    /**
     * A PostgreSQL column type for a type: a PostgreSQL source's own text, so nothing changes type; otherwise one that
     * holds every value of the source type.
     */
    public static String write(DataType type) {
        if (type.readFrom(TypeSystem.POSTGRESQL)) {
            return type.sourceText();
        }
        Integer length = type.length();
        return switch (type.kind()) {
            // A one-byte integer (MySQL's BOOLEAN too) holds -128..127, so not boolean (override: tinyint(1)=boolean).
            case TINYINT, SMALLINT -> "smallint";
            case INT -> "integer";
            case BIGINT -> "bigint";
            case BIGINT_UNSIGNED -> "numeric(20,0)";
            case DECIMAL -> length == null ? "numeric" : "numeric(" + length + (type.scale() == null ? "" : "," + type.scale()) + ")";
            case FLOAT -> "real";
            case DOUBLE -> "double precision";
            case BOOLEAN -> "boolean";
            case BIT -> "bit(" + length + ")";
            case VARBIT -> length == null ? "bit varying" : "bit varying(" + length + ")";
            case CHAR -> "character(" + length + ")";
            case VARCHAR -> length == null ? "character varying" : "character varying(" + length + ")";
            case STRING, NETWORK_ADDRESS -> "text";
            // MySQL's spatial types too: its own binary form, the SRID as 4 little-endian bytes, then the WKB.
            case BYTES -> "bytea";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp(" + length + ") without time zone";
            case TIMESTAMP_LTZ -> "timestamp(" + length + ") with time zone";
            case TIME -> "time(" + length + ") without time zone";
            case TIME_TZ -> "time(" + length + ") with time zone";
            // Only an interval holds every elapsed time of MySQL's TIME.
            case INTERVAL_DAY_TIME, INTERVAL -> "interval";
            // json keeps the text as written (spacing, key order, duplicate keys); jsonb would normalise it.
            case JSON -> "json";
            case UUID -> "uuid";
            case MONEY -> "money";
            case ARRAY -> write(type.element()) + "[]";
        };
    }

    private static DataType of(Kind kind, String formatType) {
        return DataType.of(kind, TypeSystem.POSTGRESQL, formatType);
    }
}
