package routes.schema;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import routes.schema.DataType.Kind;

/**
 * MySQL's and MariaDB's types: the reader of a MySQL-family source's {@code COLUMN_TYPE} text, and the writer of a
 * MySQL-family target's column types. docs/type-mapping.md has the tables.
 */
public final class MySqlTypes {

    private static final Pattern TYPE = Pattern.compile("(?i)^\\s*([a-z]+)\\s*(?:\\(([^)]*)\\))?\\s*(unsigned)?.*$");
    /** utf8mb4 fits 16383 characters in VARCHAR's 65,535 bytes; CHAR stops at 255. */
    private static final int MAX_VARCHAR = 16_383;
    private static final int MAX_CHAR = 255;

    private MySqlTypes() {
    }

    /**
     * A {@code COLUMN_TYPE} (e.g. {@code int(10) unsigned}, {@code decimal(12,2)}). Unsigned integers read as the next
     * wider signed integer; BIGINT UNSIGNED, which none holds, as its own kind.
     */
    public static DataType read(String columnType) {
        Matcher m = TYPE.matcher(columnType);
        if (!m.matches()) {
            return of(Kind.STRING, columnType);
        }
        String base = m.group(1).toLowerCase(Locale.ROOT);
        String args = m.group(2);
        boolean unsigned = m.group(3) != null;
        return switch (base) {
            case "tinyint" -> of(unsigned ? Kind.SMALLINT : Kind.TINYINT, columnType);
            case "smallint" -> of(unsigned ? Kind.INT : Kind.SMALLINT, columnType);
            case "mediumint" -> of(Kind.INT, columnType);
            case "int", "integer" -> of(unsigned ? Kind.BIGINT : Kind.INT, columnType);
            case "bigint" -> of(unsigned ? Kind.BIGINT_UNSIGNED : Kind.BIGINT, columnType);
            case "decimal", "numeric", "dec", "fixed" -> decimal(args, columnType);
            case "float" -> of(Kind.FLOAT, columnType);
            case "double", "real" -> of(Kind.DOUBLE, columnType);
            case "bit" -> args == null || "1".equals(args) ? of(Kind.BOOLEAN, columnType) : of(Kind.BIT, columnType).withLength(number(args));
            case "bool", "boolean" -> of(Kind.BOOLEAN, columnType);
            case "char" -> of(Kind.CHAR, columnType).withLength(args == null ? 1 : number(args));
            case "varchar" -> of(Kind.VARCHAR, columnType).withLength(number(args));
            case "tinytext", "text", "mediumtext", "longtext", "enum", "set" -> of(Kind.STRING, columnType);
            // Spatial types arrive in MySQL's own binary form: the SRID as 4 little-endian bytes, then the WKB.
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry", "point", "linestring", "polygon",
                    "multipoint", "multilinestring", "multipolygon", "geometrycollection" -> of(Kind.BYTES, columnType);
            case "date" -> of(Kind.DATE, columnType);
            case "datetime" -> of(Kind.TIMESTAMP, columnType).withLength(args == null ? 0 : number(args));
            case "timestamp" -> of(Kind.TIMESTAMP_LTZ, columnType).withLength(args == null ? 0 : number(args));
            // An elapsed time (-838:59:59 to 838:59:59), not a time of day.
            case "time" -> of(Kind.INTERVAL_DAY_TIME, columnType).withLength(args == null ? 0 : number(args));
            case "year" -> of(Kind.SMALLINT, columnType);
            case "json" -> of(Kind.JSON, columnType);
            default -> of(Kind.STRING, columnType);
        };
    }

    /**
     * A MySQL-family column type for a type: a MySQL-family source's own {@code COLUMN_TYPE}, so nothing changes type;
     * otherwise native where the MySQL type holds every value of the source type, else text holding the value as the
     * source writes it: values outside SQL's ranges (NaN, infinity, BC; zoned timestamps in UTC), timetz, interval, bit
     * strings longer than 64 bits, network addresses, arrays and anything MySQL lacks.
     */
    public static String write(DataType type) {
        if (type.readFrom(TypeSystem.MYSQL)) {
            return type.sourceText();
        }
        Integer length = type.length();
        boolean special = type.specialValues();
        return switch (type.kind()) {
            case TINYINT -> "TINYINT";
            case SMALLINT -> "SMALLINT";
            case INT -> "INT";
            case BIGINT -> "BIGINT";
            case BIGINT_UNSIGNED -> "BIGINT UNSIGNED";
            case DECIMAL -> special ? numericText(length, type.scale() == null ? 0 : type.scale()) : decimal(length, type.scale());
            case FLOAT -> special ? "VARCHAR(32)" : "FLOAT";
            case DOUBLE -> special ? "VARCHAR(32)" : "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case BIT -> length != null && length <= 64 ? "BIT(" + length + ")" : text(length);
            case VARBIT -> text(length);
            case VARCHAR -> length != null && length <= MAX_VARCHAR ? "VARCHAR(" + length + ")" : "LONGTEXT";
            case CHAR -> length != null && length <= MAX_CHAR ? "CHAR(" + length + ")" : "LONGTEXT";
            case STRING, ARRAY -> "LONGTEXT"; // an array as its literal: NULL elements, dimensions and bounds stay as they are
            case BYTES -> "LONGBLOB";
            case DATE -> special ? "VARCHAR(16)" : "DATE";
            case TIMESTAMP -> special ? "VARCHAR(40)" : "DATETIME(" + Math.min(6, length == null ? 6 : length) + ")";
            // MySQL's TIMESTAMP stops in 2038: an instant is text, in UTC.
            case TIMESTAMP_LTZ -> "VARCHAR(40)";
            // TIME(6) holds 00:00:00 to 24:00:00 with microseconds, all of PostgreSQL's time; an offset stays text.
            case TIME, INTERVAL_DAY_TIME -> "TIME(6)";
            case TIME_TZ -> "VARCHAR(32)";
            case INTERVAL -> "VARCHAR(100)";
            case JSON -> "JSON";
            case UUID -> "CHAR(36)";
            case MONEY -> "DECIMAL(19,2)";
            case NETWORK_ADDRESS -> "VARCHAR(" + length + ")";
        };
    }

    /** Text of at most {@code length} characters (unknown: any length). */
    private static String text(Integer length) {
        return length != null && length <= MAX_VARCHAR ? "VARCHAR(" + length + ")" : "LONGTEXT";
    }

    /** A number with NaN and infinities as text: sign, p digits and a point, or NaN / -Infinity. */
    private static String numericText(Integer precision, int scale) {
        return precision != null && scale >= 0 && scale <= precision ? "VARCHAR(" + Math.max(9, precision + 2) + ")" : "LONGTEXT";
    }

    /** MySQL's DECIMAL stops at 65 digits, 30 of them after the point. */
    private static String decimal(Integer precision, Integer scale) {
        int s = scale == null ? 0 : scale;
        return precision != null && precision <= 65 && s >= 0 && s <= Math.min(30, precision)
                ? "DECIMAL(" + precision + "," + s + ")" : numericText(precision, s);
    }

    private static DataType decimal(String args, String columnType) {
        if (args == null) {
            return of(Kind.DECIMAL, columnType).withLength(10).withScale(0);
        }
        String[] parts = args.split(",");
        return of(Kind.DECIMAL, columnType).withLength(number(parts[0])).withScale(parts.length > 1 ? number(parts[1]) : null);
    }

    private static Integer number(String text) {
        try {
            return text == null ? null : Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static DataType of(Kind kind, String columnType) {
        return DataType.of(kind, TypeSystem.MYSQL, columnType);
    }
}
