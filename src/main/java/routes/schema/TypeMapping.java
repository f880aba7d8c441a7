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
            case "time" -> "time(" + (args == null ? "0" : args) + ") without time zone";
            case "year" -> "smallint";
            case "json" -> "jsonb";
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                    "geometrycollection" -> "bytea";
            default -> "text";
        };
    }
}
