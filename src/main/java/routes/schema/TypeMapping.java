package routes.schema;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Column types across source and target families, chosen so that every value fits exactly. Within one family the
 * source's own type text is used as it is; README.md has the table of what maps to what.
 */
public final class TypeMapping {

    private static final Pattern MYSQL_TYPE = Pattern.compile("(?i)^\\s*([a-z]+)\\s*(?:\\(([^)]*)\\))?\\s*(unsigned)?.*$");
    /** format_type() text: a name, an optional (n) or (p,s), and for timestamps and times the zone part. */
    private static final Pattern POSTGRES_TYPE = Pattern.compile("^([a-z ]+?)(?:\\((\\d+)(?:,(-?\\d+))?\\))?( with(?:out)? time zone)?$");

    private TypeMapping() {
    }

    /** A MySQL/MariaDB COLUMN_TYPE (e.g. {@code int(10) unsigned}, {@code decimal(12,2)}) as a PostgreSQL type. */
    public static String mysqlToPostgres(String columnType) {
        Matcher m = MYSQL_TYPE.matcher(columnType);
        if (!m.matches()) {
            return "text";
        }
        String base = m.group(1).toLowerCase(Locale.ROOT);
        String args = m.group(2);
        boolean unsigned = m.group(3) != null;
        return switch (base) {
            case "tinyint" -> "1".equals(args) && !unsigned ? "boolean" : "smallint";
            case "smallint" -> unsigned ? "integer" : "smallint";
            case "mediumint" -> "integer";
            case "int", "integer" -> unsigned ? "bigint" : "integer";
            case "bigint" -> unsigned ? "numeric(20,0)" : "bigint";
            case "decimal", "numeric", "dec", "fixed" -> args == null ? "numeric(10,0)" : "numeric(" + args + ")";
            case "float" -> "real";
            case "double", "real" -> "double precision";
            case "bit" -> args == null || "1".equals(args) ? "boolean" : "bytea";
            case "bool", "boolean" -> "boolean";
            case "char" -> "character(" + (args == null ? "1" : args) + ")";
            case "varchar" -> "character varying(" + args + ")";
            case "tinytext", "text", "mediumtext", "longtext", "enum", "set" -> "text";
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> "bytea";
            case "date" -> "date";
            case "datetime" -> "timestamp(" + (args == null ? "0" : args) + ") without time zone";
            case "timestamp" -> "timestamp(" + (args == null ? "0" : args) + ") with time zone";
            // MySQL's TIME is an elapsed time (-838:59:59 to 838:59:59); only an interval holds every value.
            case "time" -> "interval";
            case "year" -> "smallint";
            case "json" -> "jsonb";
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                    "geometrycollection" -> "bytea";
            default -> "text";
        };
    }

    /**
     * A PostgreSQL type as {@code format_type()} writes it (e.g. {@code numeric(12,2)}, {@code timestamp(3) with time
     * zone}) as a MySQL/MariaDB type. Exact where MySQL can hold every value; where it cannot (unlimited or too long
     * text, numerics beyond DECIMAL(65,30), types MySQL lacks) the value is kept as text, and bit strings beyond BIT(64)
     * as their bytes. Zoned timestamps become DATETIME holding UTC (the writer converts them); arrays become JSON arrays.
     */
    public static String postgresToMySql(String formatType) {
        String type = formatType.trim().toLowerCase(Locale.ROOT);
        if (type.endsWith("[]")) {
            return "JSON";
        }
        Matcher m = POSTGRES_TYPE.matcher(type);
        if (!m.matches()) {
            return "LONGTEXT";
        }
        Integer size = m.group(2) == null ? null : Integer.valueOf(m.group(2));
        return switch (m.group(1)) {
            case "smallint" -> "SMALLINT";
            case "integer" -> "INT";
            case "bigint" -> "BIGINT";
            case "numeric" -> decimal(size, m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
            case "real" -> "FLOAT";
            case "double precision" -> "DOUBLE";
            case "boolean" -> "BOOLEAN";
            case "bit" -> size != null && size <= 64 ? "BIT(" + size + ")" : "LONGBLOB";
            case "bit varying" -> "LONGBLOB";
            // utf8mb4 fits 16383 characters in VARCHAR's 65,535 bytes; CHAR stops at 255.
            case "character varying" -> size != null && size <= 16_383 ? "VARCHAR(" + size + ")" : "LONGTEXT";
            case "character" -> size != null && size <= 255 ? "CHAR(" + size + ")" : "LONGTEXT";
            case "text" -> "LONGTEXT";
            case "bytea" -> "LONGBLOB";
            case "date" -> "DATE";
            case "timestamp" -> "DATETIME(" + (size == null ? 6 : Math.min(size, 6)) + ")";
            case "time" -> "TIME(6)";
            case "json", "jsonb" -> "JSON";
            case "uuid" -> "CHAR(36)";
            case "money" -> "DECIMAL(19,2)";
            default -> "LONGTEXT";
        };
    }

    /**
     * numeric(p,s) while MySQL's DECIMAL can hold it (p <= 65, 0 <= s <= min(p, 30)), else text. Unconstrained numeric
     * gets the widest DECIMAL: a value with more than 35 integer digits fails, one with more than 30 decimals is rounded.
     */
    private static String decimal(Integer precision, int scale) {
        if (precision == null) {
            return "DECIMAL(65,30)";
        }
        return precision <= 65 && scale >= 0 && scale <= Math.min(precision, 30) ? "DECIMAL(" + precision + "," + scale + ")" : "LONGTEXT";
    }
}
