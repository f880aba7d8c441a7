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
        if (value instanceof String text && "INTERVAL".equals(targetType)) {
            return interval(text);
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
