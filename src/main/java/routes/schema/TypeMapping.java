package routes.schema;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Column types across source and target families, chosen so that every value fits exactly. Within one family the
 * source's own type text is used as it is; docs/type-mapping.md has the table of what maps to what.
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
            // tinyint(1) (BOOLEAN) still holds -128..127: smallint keeps every value (override: tinyint(1)=boolean).
            case "tinyint" -> "smallint";
            case "smallint" -> unsigned ? "integer" : "smallint";
            case "mediumint" -> "integer";
            case "int", "integer" -> unsigned ? "bigint" : "integer";
            case "bigint" -> unsigned ? "numeric(20,0)" : "bigint";
            case "decimal", "numeric", "dec", "fixed" -> args == null ? "numeric(10,0)" : "numeric(" + args + ")";
            case "float" -> "real";
            case "double", "real" -> "double precision";
            case "bit" -> args == null || "1".equals(args) ? "boolean" : "bit(" + args.trim() + ")";
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
            // json keeps the text as written (spacing, key order, duplicate keys); jsonb would normalise it.
            case "json" -> "json";
            // MySQL's own binary form: the SRID as 4 little-endian bytes, then the WKB.
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                    "geometrycollection" -> "bytea";
            default -> "text";
        };
    }

    /**
     * A PostgreSQL type as {@code format_type()} writes it (e.g. {@code numeric(12,2)}, {@code timestamp(3) with time
     * zone}) as a MySQL/MariaDB type. Native where the MySQL type holds every value of the PostgreSQL one; otherwise
     * text holding the value as PostgreSQL writes it: numeric (NaN, Infinity), real and double precision (NaN,
     * Infinity), date and timestamps (infinity, BC, years past 9999; zoned ones in UTC), timetz, interval, bit strings
     * longer than 64 bits, network addresses, arrays and anything MySQL lacks.
     */
    public static String postgresToMySql(String formatType) {
        String type = formatType.trim().toLowerCase(Locale.ROOT);
        if (type.endsWith("[]")) {
            return "LONGTEXT"; // the array literal: NULL elements, dimensions and bounds stay as they are
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
            case "numeric" -> numericText(size, m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
            case "real", "double precision" -> "VARCHAR(32)";
            case "boolean" -> "BOOLEAN";
            case "bit" -> size != null && size <= 64 ? "BIT(" + size + ")" : text(size);
            case "bit varying" -> text(size);
            // utf8mb4 fits 16383 characters in VARCHAR's 65,535 bytes; CHAR stops at 255.
            case "character varying" -> size != null && size <= 16_383 ? "VARCHAR(" + size + ")" : "LONGTEXT";
            case "character" -> size != null && size <= 255 ? "CHAR(" + size + ")" : "LONGTEXT";
            case "text" -> "LONGTEXT";
            case "bytea" -> "LONGBLOB";
            case "date" -> "VARCHAR(16)";
            case "timestamp" -> "VARCHAR(40)";
            // TIME(6) holds 00:00:00 to 24:00:00 with microseconds, all of PostgreSQL's time; timetz keeps its offset as text.
            case "time" -> m.group(4) != null && m.group(4).contains("with time zone") ? "VARCHAR(32)" : "TIME(6)";
            case "interval" -> "VARCHAR(100)";
            case "json", "jsonb" -> "JSON";
            case "uuid" -> "CHAR(36)";
            case "money" -> "DECIMAL(19,2)";
            case "inet", "cidr" -> "VARCHAR(43)";
            case "macaddr" -> "VARCHAR(17)";
            case "macaddr8" -> "VARCHAR(23)";
            default -> "LONGTEXT";
        };
    }

    /** Text of at most {@code length} characters (unknown: any length). */
    private static String text(Integer length) {
        return length != null && length <= 16_383 ? "VARCHAR(" + length + ")" : "LONGTEXT";
    }

    /** numeric(p,s) as text: sign, p digits and a point, or NaN / -Infinity. */
    private static String numericText(Integer precision, int scale) {
        return precision != null && scale >= 0 && scale <= precision ? "VARCHAR(" + Math.max(9, precision + 2) + ")" : "LONGTEXT";
    }

    /**
     * A PostgreSQL type as {@code format_type()} writes it (MySQL-family types go through {@link #mysqlToPostgres}
     * first) as a DuckDB type. Native where DuckDB holds every value; otherwise VARCHAR holding the source's text:
     * numeric without precision or beyond DECIMAL's 38 digits, network addresses, xml, ranges, enums, domains and
     * anything DuckDB lacks. Arrays become lists of the element's type.
     */
    public static String postgresToDuckDb(String formatType) {
        String type = formatType.trim().toLowerCase(Locale.ROOT);
        if (type.endsWith("[]")) {
            String element = postgresToDuckDb(type.substring(0, type.length() - 2));
            return element.endsWith("[]") ? "VARCHAR[]" : element + "[]";
        }
        Matcher m = POSTGRES_TYPE.matcher(type);
        if (!m.matches()) {
            return "VARCHAR";
        }
        Integer size = m.group(2) == null ? null : Integer.valueOf(m.group(2));
        boolean zoned = m.group(4) != null && m.group(4).contains("with time zone");
        return switch (m.group(1)) {
            case "smallint" -> "SMALLINT";
            case "integer" -> "INTEGER";
            case "bigint" -> "BIGINT";
            case "numeric" -> size != null && size <= 38 ? "DECIMAL(" + size + "," + (m.group(3) == null ? "0" : m.group(3)) + ")" : "VARCHAR";
            case "money" -> "DECIMAL(19,2)";
            case "real" -> "REAL";
            case "double precision" -> "DOUBLE";
            case "boolean" -> "BOOLEAN";
            case "bit", "bit varying" -> "BIT";
            case "bytea" -> "BLOB";
            case "date" -> "DATE";
            // DuckDB keeps microseconds, as PostgreSQL and MySQL do.
            case "timestamp" -> zoned ? "TIMESTAMPTZ" : "TIMESTAMP";
            case "time" -> zoned ? "TIMETZ" : "TIME";
            case "interval" -> "INTERVAL";
            case "uuid" -> "UUID";
            // DuckDB's JSON keeps the text as written, like PostgreSQL's json.
            case "json", "jsonb" -> "JSON";
            default -> "VARCHAR";
        };
    }
}
