package routes.sink.dialect;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes Java values in PostgreSQL's text format, the one COPY reads: the server parses each field with the target
 * column's own type, so no value passes through a Java type that could round it.
 */
public final class PostgresCopyText {

    private static final HexFormat HEX = HexFormat.of();

    private PostgresCopyText() {
    }

    /** Appends one COPY field (already escaped for COPY's text format). */
    public static void appendField(StringBuilder out, Object value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        escape(out, literal(value));
    }

    /** The value's PostgreSQL input text (before COPY escaping). */
    static String literal(Object value) {
        if (value instanceof Boolean b) {
            return b ? "t" : "f";
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof byte[] bytes) {
            return "\\x" + HEX.formatHex(bytes);
        }
        if (value instanceof LocalDate d) {
            return ymd(d) + era(d.getYear());
        }
        if (value instanceof LocalDateTime t) {
            return ymd(t.toLocalDate()) + " " + time(t.toLocalTime()) + era(t.getYear());
        }
        if (value instanceof OffsetDateTime t) {
            return ymd(t.toLocalDate()) + " " + time(t.toLocalTime()) + offset(t.getOffset()) + era(t.getYear());
        }
        if (value instanceof LocalTime t) {
            return time(t);
        }
        if (value instanceof OffsetTime t) {
            return time(t.toLocalTime()) + offset(t.getOffset());
        }
        if (value instanceof List<?> list) {
            return array(list);
        }
        return value.toString();
    }

    private static String ymd(LocalDate d) {
        // ISO years <= 0 are 1 BC, 2 BC ... in PostgreSQL's notation; years past 9999 are written in full.
        int year = d.getYear() <= 0 ? 1 - d.getYear() : d.getYear();
        StringBuilder out = new StringBuilder(10);
        pad(out, year, 4).append('-');
        pad(out, d.getMonthValue(), 2).append('-');
        return pad(out, d.getDayOfMonth(), 2).toString();
    }

    /** An offset as PostgreSQL writes it: +00, +05:30, -03:00:15. */
    private static String offset(ZoneOffset offset) {
        int seconds = offset.getTotalSeconds();
        int abs = Math.abs(seconds);
        StringBuilder out = new StringBuilder(9).append(seconds < 0 ? '-' : '+');
        pad(out, abs / 3600, 2);
        if (abs % 3600 != 0) {
            pad(out.append(':'), abs / 60 % 60, 2);
        }
        if (abs % 60 != 0) {
            pad(out.append(':'), abs % 60, 2);
        }
        return out.toString();
    }

    /**
     * A non-negative number with leading zeros up to the given width (wider numbers in full, as %0Nd writes them).
     * Every temporal value a MySQL-family source streams into PostgreSQL passes here: no format string per field.
     */
    private static StringBuilder pad(StringBuilder out, long value, int width) {
        for (long limit = 10, digits = 1; digits < width; limit *= 10, digits++) {
            if (value < limit) {
                out.append('0');
            }
        }
        return out.append(value);
    }

    private static String era(int year) {
        return year <= 0 ? " BC" : "";
    }

    private static String time(LocalTime t) {
        StringBuilder out = new StringBuilder(15);
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2);
        if (t.getNano() != 0) {
            pad(out.append('.'), t.getNano() / 1000, 6);
        }
        return out.toString();
    }

    private static String array(List<?> list) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object element = list.get(i);
            if (element == null) {
                out.append("NULL");
            } else {
                out.append('"');
                String text = literal(element);
                for (int c = 0; c < text.length(); c++) {
                    char ch = text.charAt(c);
                    if (ch == '"' || ch == '\\') {
                        out.append('\\');
                    }
                    out.append(ch);
                }
                out.append('"');
            }
        }
        return out.append('}').toString();
    }

    private static void escape(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
    }
}
