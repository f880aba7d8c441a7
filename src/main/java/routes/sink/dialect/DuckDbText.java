package routes.sink.dialect;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A captured value as the text DuckDB casts to the target column's type: rows are appended to a VARCHAR staging
 * table, so that one cast per column (checked with TRY_CAST first) turns them into the target's types.
 */
final class DuckDbText {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Debezium's interval text (ISO 8601 with a sign per part), e.g. P1Y-2M3DT4H5M-6.5S. */
    private static final Pattern ISO_INTERVAL = Pattern.compile(
            "^P(?:(-?\\d+)Y)?(?:(-?\\d+)M)?(?:(-?\\d+)D)?(?:T(?:(-?\\d+)H)?(?:(-?\\d+)M)?(?:(-?[\\d.]+)S)?)?$");
    private static final String[] INTERVAL_UNITS = {"years", "months", "days", "hours", "minutes", "seconds"};

    private DuckDbText() {
    }

    /**
     * The text of a value for a column of {@code targetType} (DuckDB's type name, as information_schema shows it).
     * Lists are written as JSON arrays and cast through JSON, which quotes every element unambiguously.
     */
    static String of(Object value, String targetType) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            return jsonArray(list).toString();
        }
        if (value instanceof byte[] bytes) {
            StringBuilder text = new StringBuilder(bytes.length * 4);
            for (byte b : bytes) {
                text.append("\\x").append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return text.toString();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof String text) {
            if ("INTERVAL".equals(targetType)) {
                return interval(text);
            }
            if (targetType != null && targetType.endsWith("[]") && text.startsWith("{")) {
                ArrayNode array = postgresArray(text);
                // DuckDB's cast would turn inner lists into NULLs or text: an array of more dimensions than the
                // list stays in PostgreSQL's text, which the check refuses.
                boolean nested = false;
                for (var element : array) {
                    nested |= element.isArray();
                }
                return nested && !targetType.endsWith("[][]") ? text : array.toString();
            }
            if (text.endsWith(" BC")) {
                return beforeChrist(text);
            }
        }
        // Numbers, booleans, java.time values (ISO text), JSON, bit strings, strings: their own text.
        return value.toString();
    }

    /** ISO 8601 interval text as DuckDB's unit list; any other text is left for DuckDB to read. */
    static String interval(String iso) {
        Matcher m = ISO_INTERVAL.matcher(iso);
        if (!m.matches()) {
            return iso;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < INTERVAL_UNITS.length; i++) {
            String amount = m.group(i + 1);
            if (amount != null) {
                text.append(text.isEmpty() ? "" : " ").append(amount).append(' ').append(INTERVAL_UNITS[i]);
            }
        }
        return text.isEmpty() ? "0 seconds" : text.toString();
    }

    /**
     * PostgreSQL's text of a date or timestamp before year 1 ({@code 0044-03-15 10:00:00 BC}) in astronomical years
     * ({@code -0043-03-15 10:00:00}), which DuckDB reads; DuckDB would read the BC text as the same year AD.
     */
    static String beforeChrist(String text) {
        int dash = text.indexOf('-');
        if (dash <= 0 || !text.substring(0, dash).chars().allMatch(Character::isDigit)) {
            return text;
        }
        int year = Integer.parseInt(text.substring(0, dash));
        return String.format("-%04d", year - 1) + text.substring(dash, text.length() - " BC".length());
    }

    /**
     * PostgreSQL's array text ({@code {a,"b c",NULL,{1,2}}}) as a JSON array: elements in double quotes with backslash
     * escapes, unquoted NULL for a null, braces for inner dimensions.
     */
    static ArrayNode postgresArray(String text) {
        int[] at = {0};
        return postgresArray(text, at);
    }

    private static ArrayNode postgresArray(String text, int[] at) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        at[0]++; // the opening brace
        while (at[0] < text.length()) {
            char c = text.charAt(at[0]);
            if (c == '}') {
                at[0]++;
                return array;
            } else if (c == ',') {
                at[0]++;
            } else if (c == '{') {
                array.add(postgresArray(text, at));
            } else if (c == '"') {
                StringBuilder element = new StringBuilder();
                at[0]++;
                while (text.charAt(at[0]) != '"') {
                    if (text.charAt(at[0]) == '\\') {
                        at[0]++;
                    }
                    element.append(text.charAt(at[0]++));
                }
                at[0]++;
                array.add(element.toString());
            } else {
                int end = at[0];
                while (end < text.length() && text.charAt(end) != ',' && text.charAt(end) != '}') {
                    end++;
                }
                String element = text.substring(at[0], end).trim();
                at[0] = end;
                if (element.equalsIgnoreCase("NULL")) {
                    array.addNull();
                } else {
                    array.add(element);
                }
            }
        }
        throw new IllegalArgumentException("Unterminated array text: " + text);
    }

    private static ArrayNode jsonArray(List<?> list) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode(list.size());
        for (Object element : list) {
            if (element == null) {
                array.addNull();
            } else if (element instanceof List<?> inner) {
                array.add(jsonArray(inner));
            } else if (element instanceof Number || element instanceof Boolean) {
                array.add(JSON.valueToTree(element));
            } else {
                array.add(of(element, null));
            }
        }
        return array;
    }
}
