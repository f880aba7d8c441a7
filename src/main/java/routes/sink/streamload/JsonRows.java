package routes.sink.streamload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import routes.capture.DebeziumValues.BitString;
import routes.capture.DebeziumValues.JsonText;
import routes.change.ChangeEvent;
import routes.change.Operation;

/**
 * A load's body: one JSON array of row objects ({@code format: json}, {@code strip_outer_array: true}), each with
 * the delete field set (1 delete, 0 upsert). Values are written in the text forms Doris and StarRocks read for the
 * column types {@link StreamLoadTypes} creates: exact decimals as strings, date-times as {@code yyyy-MM-dd
 * HH:mm:ss[.ffffff]} (zoned ones in UTC), bytes as {@code \x}-hex, JSON as its text.
 */
public final class JsonRows {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final HexFormat HEX = HexFormat.of();

    private JsonRows() {
    }

    /** The body for these changes (distinct keys); a delete carries its key columns only. */
    public static byte[] of(List<ChangeEvent> changes, String deleteField) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, changes.size() * 128));
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartArray();
            for (ChangeEvent change : changes) {
                boolean delete = change.operation() == Operation.DELETE;
                json.writeStartObject();
                for (Map.Entry<String, Object> column : (delete ? change.key() : change.row()).entrySet()) {
                    json.writeFieldName(column.getKey());
                    write(json, column.getValue());
                }
                json.writeNumberField(deleteField, delete ? 1 : 0);
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write rows as JSON", e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Short || value instanceof Integer || value instanceof Long) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Float || value instanceof Double) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                json.writeNumber(value.toString()); // the shortest text that reads back as the same float or double
            } else {
                json.writeString(value.toString());
            }
        } else {
            json.writeString(text(value));
        }
    }

    /** The text form of a value that JSON has no type for. */
    static String text(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof LocalDateTime dateTime) {
            return dateTime(dateTime);
        }
        if (value instanceof OffsetDateTime zoned) {
            return dateTime(zoned.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        if (value instanceof LocalTime time) {
            return time.getNano() == 0 ? time.toString().length() == 5 ? time + ":00" : time.toString()
                    : String.format("%02d:%02d:%02d.%06d", time.getHour(), time.getMinute(), time.getSecond(), time.getNano() / 1000);
        }
        if (value instanceof byte[] bytes) {
            return "\\x" + HEX.formatHex(bytes);
        }
        if (value instanceof JsonText jsonText) {
            return jsonText.json();
        }
        if (value instanceof BitString bits) {
            return bits.bits();
        }
        if (value instanceof List<?> list) {
            StringBuilder array = new StringBuilder("[");
            for (Object element : list) {
                if (array.length() > 1) {
                    array.append(',');
                }
                array.append(element == null ? "null" : '"' + text(element).replace("\\", "\\\\").replace("\"", "\\\"") + '"');
            }
            return array.append(']').toString();
        }
        return value.toString();
    }

    /** Seconds always; microseconds only when there are any (DATETIME(6) reads both). */
    static String dateTime(LocalDateTime value) {
        String seconds = DATE_TIME.format(value);
        int micros = value.getNano() / 1000;
        return micros == 0 ? seconds : seconds + String.format(".%06d", micros);
    }
}
