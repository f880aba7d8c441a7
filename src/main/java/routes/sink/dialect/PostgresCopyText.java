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
        return String.format("%04d-%02d-%02d", year, d.getMonthValue(), d.getDayOfMonth());
    }

    /** An offset as PostgreSQL writes it: +00, +05:30, -03:00:15. */
    private static String offset(ZoneOffset offset) {
        int seconds = offset.getTotalSeconds();
        int abs = Math.abs(seconds);
        String text = String.format("%s%02d", seconds < 0 ? "-" : "+", abs / 3600);
        if (abs % 3600 != 0) {
            text += String.format(":%02d", abs / 60 % 60);
        }
        if (abs % 60 != 0) {
            text += String.format(":%02d", abs % 60);
        }
        return text;
    }

    private static String era(int year) {
        return year <= 0 ? " BC" : "";
    }

    private static String time(LocalTime t) {
        return t.getNano() == 0
                ? String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond())
                : String.format("%02d:%02d:%02d.%06d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000);
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
