package routes.sink;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a target column's type with the type a source change asks for: the same, wider (every value the old
 * type holds converts exactly, so the column can be altered in place), or neither (narrower or another kind: that
 * table cannot go on). Knows the PostgreSQL and MySQL/MariaDB type names the dialects create.
 */
final class TypeWidening {

    enum Change { SAME, WIDER, INCOMPATIBLE }

    private static final Pattern TYPE = Pattern.compile("^\\s*([a-z ]+?)\\s*(?:\\((\\d+)(?:\\s*,\\s*(\\d+))?\\))?\\s*(unsigned)?"
            + "(?:\\s+zerofill)?\\s*(with(?:out)? time zone)?\\s*$");
    /** Integer types from narrow to wide, with the decimal digits each holds; signedness is handled apart. */
    private static final List<String> INTEGERS = List.of("tinyint", "smallint", "mediumint", "integer", "bigint");
    private static final int[] INTEGER_DIGITS = {3, 5, 7, 10, 19};
    private static final List<String> TEXTS = List.of("tinytext", "text", "mediumtext", "longtext");
    private static final List<String> BLOBS = List.of("tinyblob", "blob", "mediumblob", "longblob");

    private TypeWidening() {
    }

    static Change compare(String from, String to) {
        Type a = Type.parse(from);
        Type b = Type.parse(to);
        if (a == null || b == null) {
            return from.trim().equalsIgnoreCase(to.trim()) ? Change.SAME : Change.INCOMPATIBLE;
        }
        if (a.equals(b)) {
            return Change.SAME;
        }
        return wider(a, b) ? Change.WIDER : Change.INCOMPATIBLE;
    }

    private static boolean wider(Type a, Type b) {
        int ia = INTEGERS.indexOf(a.base);
        int ib = INTEGERS.indexOf(b.base);
        if (ia >= 0 && ib >= 0) {
            // Unsigned to signed needs the next size up; signed never fits unsigned.
            return a.unsigned ? (b.unsigned ? ib >= ia : ib > ia) : !b.unsigned && ib >= ia;
        }
        if (ia >= 0 && b.base.equals("numeric")) {
            return b.precision == null || b.precision - b.scaleOrZero() >= INTEGER_DIGITS[ia] + (a.unsigned ? 1 : 0);
        }
        if (a.base.equals("numeric") && b.base.equals("numeric")) {
            if (b.precision == null) {
                return true;
            }
            return a.precision != null && b.scaleOrZero() >= a.scaleOrZero() && b.precision - b.scaleOrZero() >= a.precision - a.scaleOrZero();
        }
        if (a.base.equals("real") && b.base.equals("double")) {
            return true;
        }
        if (a.base.equals("varchar") || a.base.equals("text") || TEXTS.contains(a.base)) {
            return strings(a, b, TEXTS, "varchar");
        }
        if (a.base.equals("varbinary") || BLOBS.contains(a.base)) {
            return strings(a, b, BLOBS, "varbinary");
        }
        if (a.base.equals(b.base) && List.of("timestamp", "timestamptz", "time", "timetz", "datetime").contains(a.base)) {
            return a.precision != null && (b.precision == null || b.precision >= a.precision);
        }
        return false;
    }

    /**
     * varchar(n) widens to varchar(m >= n) and to text (PostgreSQL's text, MySQL's TEXT and up, which hold 65,535
     * bytes, more than any utf8mb4 VARCHAR); TEXT sizes and BLOB sizes widen upwards; the same for VARBINARY.
     */
    private static boolean strings(Type a, Type b, List<String> sizes, String varying) {
        if (a.base.equals(varying)) {
            if (b.base.equals(varying)) {
                return a.precision != null && (b.precision == null || b.precision >= a.precision);
            }
            return sizes.indexOf(b.base) >= 1;
        }
        int ia = sizes.indexOf(a.base);
        return ia >= 0 && sizes.indexOf(b.base) >= ia;
    }

    private record Type(String base, Integer precision, Integer scale, boolean unsigned) {

        int scaleOrZero() {
            return scale == null ? 0 : scale;
        }

        static Type parse(String text) {
            Matcher m = TYPE.matcher(text.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                return null;
            }
            Integer p = m.group(2) == null ? null : Integer.valueOf(m.group(2));
            Integer s = m.group(3) == null ? null : Integer.valueOf(m.group(3));
            String zone = m.group(5) == null ? "" : " " + m.group(5);
            String base = switch (m.group(1).trim() + zone) {
                case "int", "int4", "integer" -> "integer";
                case "int2", "smallint" -> "smallint";
                case "int8", "bigint" -> "bigint";
                case "decimal", "numeric", "dec", "fixed" -> "numeric";
                case "float", "float4", "real" -> "real";
                case "double", "double precision", "float8" -> "double";
                case "character varying", "varchar" -> "varchar";
                case "timestamp with time zone", "timestamptz" -> "timestamptz";
                case "timestamp without time zone", "timestamp" -> "timestamp";
                case "time without time zone", "time" -> "time";
                case "time with time zone", "timetz" -> "timetz";
                default -> m.group(1).trim() + zone;
            };
            // Display widths (int(11)) mean nothing for the range.
            if (INTEGERS.contains(base)) {
                p = null;
            }
            return new Type(base, p, s, m.group(4) != null);
        }
    }
}
