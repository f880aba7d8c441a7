package routes.sink.kafka;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;

import routes.ops.TaskProblem;

/**
 * Writes the Java values of a change (see {@link routes.capture.DebeziumValues}) as JSON without losing what they
 * are: integers as JSON integers, exact decimals as text (the source sends them as text so that no digit is lost;
 * a JSON number would be read back as a double by most consumers), NaN and infinities as text, bytes as base64 (as
 * Debezium's JsonConverter writes them), and dates and times as text in ISO-8601 or SQL style, whichever the
 * consumer reads (Flink's json formats: {@code timestamp-format.standard}).
 */
final class JsonValues {

    /** How timestamps are spelled: {@code 2024-05-01T12:30:00.5} (ISO-8601) or {@code 2024-05-01 12:30:00.5} (SQL). */
    enum TimestampStyle {
        ISO, SQL;

        static TimestampStyle of(String setting) {
            String s = setting == null || setting.isBlank() ? "iso-8601" : setting.trim().toLowerCase(Locale.ROOT);
            return switch (s) {
                case "iso-8601", "iso" -> ISO;
                case "sql" -> SQL;
                default -> throw new TaskProblem("The kafka-sink setting timestampFormat '" + setting + "' does not exist: use "
                        + "ISO-8601 or SQL.");
            };
        }
    }

    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':').appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).toFormatter(Locale.ROOT);
    private static final DateTimeFormatter ISO_TIMESTAMP = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T').append(TIME).toFormatter(Locale.ROOT);
    private static final DateTimeFormatter SQL_TIMESTAMP = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').append(TIME).toFormatter(Locale.ROOT);

    private final TimestampStyle style;

    JsonValues(TimestampStyle style) {
        this.style = style;
    }

    /** A row (column -> value) as a JSON object, columns in the row's order. */
    void writeRow(JsonGenerator json, Map<String, Object> row) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, Object> column : row.entrySet()) {
            json.writeFieldName(column.getKey());
            write(json, column.getValue());
        }
        json.writeEndObject();
    }

    void write(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String s) {
            json.writeString(s);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Short || value instanceof Integer || value instanceof Long || value instanceof Byte) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger i) {
            json.writeNumber(i);
        } else if (value instanceof BigDecimal d) {
            json.writeString(d.toPlainString());
        } else if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                json.writeString(d.toString());
            } else {
                json.writeNumber(d);
            }
        } else if (value instanceof Float f) {
            if (f.isNaN() || f.isInfinite()) {
                json.writeString(f.toString());
            } else {
                json.writeNumber(f);
            }
        } else if (value instanceof byte[] bytes) {
            json.writeBinary(bytes);
        } else if (value instanceof LocalDate d) {
            json.writeString(d.format(DateTimeFormatter.ISO_LOCAL_DATE));
        } else if (value instanceof LocalTime t) {
            json.writeString(t.format(TIME));
        } else if (value instanceof LocalDateTime t) {
            json.writeString(timestamp(t));
        } else if (value instanceof OffsetDateTime t) {
            // An instant: written in UTC with a Z, as Debezium's ZonedTimestamp and Flink's TIMESTAMP_LTZ have it.
            json.writeString(timestamp(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()) + "Z");
        } else if (value instanceof OffsetTime t) {
            json.writeString(t.format(TIME) + t.getOffset().getId());
        } else if (value instanceof Collection<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                write(json, element);
            }
            json.writeEndArray();
        } else {
            // JSON documents, bit strings and anything else the capture hands over as a value with exact text.
            json.writeString(value.toString());
        }
    }

    private String timestamp(LocalDateTime t) {
        return t.format(style == TimestampStyle.ISO ? ISO_TIMESTAMP : SQL_TIMESTAMP);
    }
}
