package routes.sink.streamload;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which column type changes Doris and StarRocks make in place (ALTER TABLE ... MODIFY COLUMN), converting the values a
 * table holds, as Doris documents them (Schema Change, "Modify Column Type"): an integer or floating type into a
 * larger one, a VARCHAR into a longer one, any type but DATE and DATETIME into STRING. Any other change (a narrower
 * type, DECIMAL precision) is refused, and the table stops.
 */
final class TypeChanges {

    private static final List<String> INTEGERS = List.of("TINYINT", "SMALLINT", "INT", "BIGINT", "LARGEINT");
    private static final Pattern VARCHAR = Pattern.compile("VARCHAR\\((\\d+)\\)");

    private TypeChanges() {
    }

    /** Whether a column of type {@code from} can become {@code to} in place (both as the target writes them). */
    static boolean inPlace(String from, String to) {
        String a = from.trim().toUpperCase(Locale.ROOT);
        String b = to.trim().toUpperCase(Locale.ROOT);
        if (INTEGERS.contains(a) && INTEGERS.contains(b)) {
            return INTEGERS.indexOf(b) > INTEGERS.indexOf(a);
        }
        if (a.equals("FLOAT")) {
            return b.equals("DOUBLE");
        }
        Matcher wasVarchar = VARCHAR.matcher(a);
        Matcher isVarchar = VARCHAR.matcher(b);
        if (wasVarchar.matches() && isVarchar.matches()) {
            return Integer.parseInt(isVarchar.group(1)) > Integer.parseInt(wasVarchar.group(1));
        }
        return b.equals("STRING") && !a.startsWith("DATE");
    }
}
