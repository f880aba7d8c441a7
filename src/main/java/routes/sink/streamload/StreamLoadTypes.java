package routes.sink.streamload;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import routes.schema.Column;
import routes.schema.DataType;
import routes.schema.TypeOverrides;
import routes.schema.TypeSystem;

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

    /** PostgreSQL's text of a timestamptz: local date-time, then the session zone's offset (+01, +05:30). */
    private static final Pattern ZONED_TEXT = Pattern.compile("(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)([+-]\\d{2}(?::\\d{2}){0,2})");
    /** Types neither target lets a key column have (or, for StarRocks, DECIMAL and BOOLEAN-like ones do not sort as keys). */
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

    public Mapped map(Column column, TypeSystem typeSystem, boolean key) {
        Optional<String> chosen = overrides.targetFor(column.sourceType());
        String type = chosen.orElseGet(() -> write(typeSystem.read(column.sourceType())));
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
    static String loadText(String text, String sourceType, TypeSystem typeSystem) {
        if (text == null || typeSystem != TypeSystem.POSTGRESQL) {
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

    /** A column type for a type, in the text form {@link JsonRows} writes its values. */
    String write(DataType type) {
        Integer length = type.length();
        return switch (type.kind()) {
            case TINYINT -> "TINYINT";
            case SMALLINT -> "SMALLINT";
            case INT -> "INT";
            case BIGINT -> "BIGINT";
            case BIGINT_UNSIGNED -> "LARGEINT";
            // A decimal without a precision holds any number of digits and NaN: only text keeps them.
            case DECIMAL -> length == null ? "STRING" : decimal(length, type.scale() == null ? 0 : type.scale());
            case FLOAT -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            // Bits as 0/1 text.
            case BIT, VARBIT, CHAR, VARCHAR -> length == null ? "STRING" : varchar(length);
            case DATE -> "DATE";
            case TIMESTAMP, TIMESTAMP_LTZ -> dateTime(length == null ? 6 : length);
            // MySQL's TIME is an elapsed time (-838:59:59 to 838:59:59): text, as times of day are.
            case TIME, TIME_TZ, INTERVAL_DAY_TIME -> "VARCHAR(32)";
            case INTERVAL -> "VARCHAR(100)";
            case JSON -> "JSON";
            case UUID -> "VARCHAR(36)";
            case NETWORK_ADDRESS -> "VARCHAR(" + length + ")";
            // Bytes as \x-hex, spatial types in MySQL's binary form, money and arrays as their text.
            case STRING, BYTES, MONEY, ARRAY -> "STRING";
        };
    }

    private static String decimal(int precision, int scale) {
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
