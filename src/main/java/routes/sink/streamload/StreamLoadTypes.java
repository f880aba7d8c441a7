package routes.sink.streamload;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import routes.schema.Column;
import routes.schema.TableSchema;
import routes.schema.TypeOverrides;

/**
 * Column types of Doris and StarRocks tables for source columns, chosen so that every value the source can hold
 * fits, in the text form {@link JsonRows} writes. Lengths are in bytes on these targets and in characters on the
 * sources: a character column gets four bytes per character (utf8mb4). What no native type holds exactly (numeric
 * without precision or beyond 38 digits, times of day, intervals, arrays, bytes) becomes text. docs/stream-load.md
 * has the table.
 */
public final class StreamLoadTypes {

    /** The longest VARCHAR both targets accept (bytes); longer text goes to STRING. */
    static final int MAX_VARCHAR = 65_533;

    private static final Pattern MYSQL_TYPE = Pattern.compile("(?i)^\\s*([a-z]+)\\s*(?:\\(([^)]*)\\))?\\s*(unsigned)?.*$");
    private static final Pattern POSTGRES_TYPE = Pattern.compile("^([a-z ]+?)(?:\\((\\d+)(?:,(-?\\d+))?\\))?( with(?:out)? time zone)?$");
    /** Types neither target lets a key column have (or, for StarRocks, DECIMAL and BOOLEAN-like ones do not sort as keys). */
    /** PostgreSQL's text of a timestamptz: local date-time, then the session zone's offset (+01, +05:30). */
    private static final Pattern ZONED_TEXT = Pattern.compile("(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)([+-]\\d{2}(?::\\d{2}){0,2})");
    private static final Set<String> NOT_KEYS = Set.of("FLOAT", "DOUBLE", "STRING", "JSON");

    private final StreamLoadFlavour flavour;
    private final TypeOverrides overrides;

    public StreamLoadTypes(StreamLoadFlavour flavour, TypeOverrides overrides) {
        this.flavour = flavour;
        this.overrides = overrides;
    }

    /** A column's type on the target, or the reason it cannot be one (key columns are the stricter case). */
    public record Mapped(String type, String refusal) {
        boolean refused() {
            return refusal != null;
        }
    }

    public Mapped map(Column column, String typeSystem, boolean key) {
        Optional<String> chosen = overrides.targetFor(column.sourceType());
        String type = chosen.orElseGet(() -> TableSchema.POSTGRESQL.equals(typeSystem) ? fromPostgres(column.sourceType())
                : fromMySql(column.sourceType()));
        if (!key) {
            return new Mapped(type, null);
        }
        String base = base(type);
        if (base.equals("STRING")) {
            // Text keys need a bounded type on both targets.
            return new Mapped("VARCHAR(" + MAX_VARCHAR + ")", null);
        }
        if (NOT_KEYS.contains(base) || (flavour == StreamLoadFlavour.STARROCKS && base.startsWith("DECIMAL"))) {
            return new Mapped(type, "key column " + column.name() + " (" + column.sourceType() + ") would be " + type + ", which a "
                    + flavour.displayName() + " " + flavour.keyModel.toLowerCase(Locale.ROOT) + " column cannot be");
        }
        return new Mapped(type, null);
    }

    /**
     * The text a load carries for a value the source's catalog writes as {@code text} (a column's constant default),
     * as {@link JsonRows} writes the values rows bring: PostgreSQL's booleans (t, f) as true and false, its zoned
     * timestamps in UTC. Other values have the same text in both.
     */
    static String loadText(String text, String sourceType, String typeSystem) {
        if (text == null || !TableSchema.POSTGRESQL.equals(typeSystem)) {
            return text;
        }
        String type = sourceType.trim().toLowerCase(Locale.ROOT);
        if (type.equals("boolean")) {
            return text.startsWith("t") ? "true" : text.startsWith("f") ? "false" : text;
        }
        Matcher zoned = ZONED_TEXT.matcher(text);
        if (type.startsWith("timestamp") && type.endsWith("with time zone") && zoned.matches()) {
            LocalDateTime local = LocalDateTime.parse(zoned.group(1).replace(' ', 'T'));
            return JsonRows.dateTime(local.atOffset(ZoneOffset.of(zoned.group(2))).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        }
        return text;
    }

    private static String base(String type) {
        int parenthesis = type.indexOf('(');
        return (parenthesis < 0 ? type : type.substring(0, parenthesis)).trim().toUpperCase(Locale.ROOT);
    }

    /** A MySQL/MariaDB COLUMN_TYPE, e.g. {@code int(10) unsigned}, {@code varchar(40)}, {@code datetime(3)}. */
    String fromMySql(String columnType) {
        Matcher m = MYSQL_TYPE.matcher(columnType);
        if (!m.matches()) {
            return "STRING";
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        String args = m.group(2) == null ? null : m.group(2).trim();
        boolean unsigned = m.group(3) != null;
        return switch (name) {
            case "tinyint" -> unsigned ? "SMALLINT" : "TINYINT";
            case "smallint" -> unsigned ? "INT" : "SMALLINT";
            case "mediumint" -> "INT";
            case "int", "integer" -> unsigned ? "BIGINT" : "INT";
            case "bigint" -> unsigned ? "LARGEINT" : "BIGINT";
            case "decimal", "numeric", "dec", "fixed" -> decimal(args == null ? "10,0" : args);
            case "float" -> "FLOAT";
            case "double", "real" -> "DOUBLE";
            case "bit" -> args == null || "1".equals(args) ? "BOOLEAN" : varchar(Integer.parseInt(args));
            case "bool", "boolean" -> "BOOLEAN";
            case "char", "varchar" -> varchar(args == null ? 1 : Integer.parseInt(args));
            case "date" -> "DATE";
            case "datetime", "timestamp" -> dateTime(args == null ? 0 : Integer.parseInt(args));
            // MySQL's TIME is an elapsed time (-838:59:59 to 838:59:59): text.
            case "time" -> "VARCHAR(32)";
            case "year" -> "SMALLINT";
            case "json" -> "JSON";
            default -> "STRING"; // text, enum, set, blobs and binary (as \x-hex), spatial types (MySQL's binary form)
        };
    }

    /** A PostgreSQL type as {@code format_type()} writes it. */
    String fromPostgres(String formatType) {
        String type = formatType.trim().toLowerCase(Locale.ROOT);
        if (type.endsWith("[]")) {
            return "STRING";
        }
        Matcher m = POSTGRES_TYPE.matcher(type);
        if (!m.matches()) {
            return "STRING";
        }
        Integer size = m.group(2) == null ? null : Integer.valueOf(m.group(2));
        return switch (m.group(1)) {
            case "smallint" -> "SMALLINT";
            case "integer" -> "INT";
            case "bigint" -> "BIGINT";
            // numeric without a precision holds any number of digits and NaN: only text keeps them.
            case "numeric" -> size == null ? "STRING" : decimal(size + "," + (m.group(3) == null ? "0" : m.group(3)));
            case "real" -> "FLOAT";
            case "double precision" -> "DOUBLE";
            case "boolean" -> "BOOLEAN";
            case "character varying", "character" -> size == null ? "STRING" : varchar(size);
            case "bit", "bit varying" -> size == null ? "STRING" : varchar(size);
            case "date" -> "DATE";
            case "timestamp" -> dateTime(size == null ? 6 : size);
            case "time" -> "VARCHAR(32)";
            case "interval" -> "VARCHAR(100)";
            case "json", "jsonb" -> "JSON";
            case "uuid" -> "VARCHAR(36)";
            case "inet", "cidr" -> "VARCHAR(43)";
            case "macaddr" -> "VARCHAR(17)";
            case "macaddr8" -> "VARCHAR(23)";
            default -> "STRING"; // text, bytea (as \x-hex), money, and whatever else as its text
        };
    }

    private static String decimal(String args) {
        String[] parts = args.split(",");
        int precision = Integer.parseInt(parts[0].trim());
        int scale = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 0;
        return precision >= 1 && precision <= 38 && scale >= 0 && scale <= precision ? "DECIMAL(" + precision + "," + scale + ")" : "STRING";
    }

    private static String varchar(int characters) {
        long bytes = 4L * Math.max(1, characters);
        return bytes <= MAX_VARCHAR ? "VARCHAR(" + bytes + ")" : "STRING";
    }

    /** Doris keeps the fraction digits asked for (DATETIME(p), 1.2+); StarRocks's DATETIME always holds microseconds. */
    private String dateTime(int fraction) {
        return flavour == StreamLoadFlavour.DORIS ? "DATETIME(" + Math.min(6, Math.max(0, fraction)) + ")" : "DATETIME";
    }
}
