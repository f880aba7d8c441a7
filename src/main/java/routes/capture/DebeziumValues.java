package routes.capture;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns a Debezium field value into the plain Java value writers bind, using the field's semantic schema name.
 *
 * <p>The capture kamelets configure Debezium so that nothing is rounded on the way: decimals as strings (NaN and
 * unlimited precision survive), intervals as ISO-8601 strings, times in microseconds. The Java types that come out:
 * String, Boolean, Short, Integer, Long, Float, Double, byte[], LocalDate, LocalTime, LocalDateTime,
 * BigDecimal, OffsetDateTime, OffsetTime, {@link JsonText}, {@link BitString} and List of those. Decimals arrive as
 * exact text; spatial values as MySQL's own binary form (SRID, then WKB).
 */
public final class DebeziumValues {

    /** What Debezium sends in place of a value it did not read (PostgreSQL's unchanged TOAST). */
    public static final String UNAVAILABLE = "__debezium_unavailable_value";
    private static final byte[] UNAVAILABLE_BYTES = UNAVAILABLE.getBytes(StandardCharsets.UTF_8);

    /** Marks JSON text so that writers can bind it as json rather than as a character string. */
    public record JsonText(String json) {
        @Override
        public String toString() {
            return json;
        }
    }

    /** A bit string (BIT(n), bit(n)), most significant bit first, as many digits as the column has bits. */
    public record BitString(String bits) {
        @Override
        public String toString() {
            return bits;
        }

        /** The bits as big-endian bytes, the form MySQL reads into a BIT column. */
        public byte[] bytes() {
            byte[] bytes = new byte[(bits.length() + 7) / 8];
            for (int i = 0; i < bits.length(); i++) {
                if (bits.charAt(bits.length() - 1 - i) == '1') {
                    bytes[bytes.length - 1 - i / 8] |= (byte) (1 << (i % 8));
                }
            }
            return bytes;
        }
    }

    private DebeziumValues() {
    }

    /** True when the source did not send this value (so the target must keep the one it has). */
    public static boolean isUnavailable(Object raw) {
        if (raw instanceof String s) {
            return UNAVAILABLE.equals(s);
        }
        if (raw instanceof ByteBuffer b) {
            return b.remaining() == UNAVAILABLE_BYTES.length && b.duplicate().equals(ByteBuffer.wrap(UNAVAILABLE_BYTES));
        }
        if (raw instanceof byte[] b) {
            return Arrays.equals(b, UNAVAILABLE_BYTES);
        }
        if (raw instanceof List<?> l) {
            return l.size() == 1 && isUnavailable(l.get(0));
        }
        return false;
    }

    public static Object toJava(Schema schema, Object raw) {
        if (raw == null) {
            return null;
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date":
                    return raw instanceof java.util.Date d
                            ? LocalDate.ofEpochDay(Math.floorDiv(d.getTime(), 86_400_000L))
                            : LocalDate.ofEpochDay(((Number) raw).longValue());
                case "io.debezium.time.MicroTimestamp":
                    return microsToLocalDateTime(((Number) raw).longValue());
                case "io.debezium.time.Timestamp":
                    return microsToLocalDateTime(((Number) raw).longValue() * 1000L);
                case "io.debezium.time.NanoTimestamp":
                    return nanosToLocalDateTime(((Number) raw).longValue());
                case "io.debezium.time.ZonedTimestamp":
                    return zonedTimestamp(schema, OffsetDateTime.parse((String) raw));
                case "io.debezium.time.MicroTime":
                    return microsToTime(((Number) raw).longValue());
                case "io.debezium.time.Time":
                    return microsToTime(((Number) raw).longValue() * 1000L);
                case "io.debezium.time.NanoTime":
                    return LocalTime.ofNanoOfDay(((Number) raw).longValue());
                case "io.debezium.time.ZonedTime":
                    return OffsetTime.parse((String) raw);
                case "io.debezium.data.Json":
                    return new JsonText((String) raw);
                case "io.debezium.time.Year":
                    // The binlog reader counts YEAR from 1900, so YEAR 0000 arrives as 1900, which YEAR cannot hold.
                    return ((Number) raw).intValue() == 1900 ? 0 : raw;
                case "io.debezium.data.Bits":
                    return bitString(schema, toBytes(raw));
                case "io.debezium.data.geometry.Geometry":
                    return mysqlGeometry((Struct) raw);
                default:
                    break;
            }
        }
        return switch (schema.type()) {
            case BYTES -> raw instanceof ByteBuffer b ? toBytes(b) : raw;
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object element : (List<?>) raw) {
                    out.add(toJava(schema.valueSchema(), element));
                }
                yield out;
            }
            default -> raw;
        };
    }

    private static byte[] toBytes(Object raw) {
        return raw instanceof ByteBuffer b ? toBytes(b) : (byte[]) raw;
    }

    /**
     * MySQL's zero TIMESTAMP (0000-00-00 00:00:00) comes from the binlog as the epoch, which no MySQL TIMESTAMP can
     * hold (they start a second later): it is the zero value, and arrives as NULL, as the full load reads it.
     */
    private static OffsetDateTime zonedTimestamp(Schema schema, OffsetDateTime value) {
        String sourceType = schema.parameters() == null ? null : schema.parameters().get("__debezium.source.column.type");
        return "TIMESTAMP".equalsIgnoreCase(sourceType) && value.toEpochSecond() == 0 && value.getNano() == 0 ? null : value;
    }

    /** Debezium sends BIT(n) as little-endian bytes and the bit count as the schema's length parameter. */
    private static BitString bitString(Schema schema, byte[] littleEndian) {
        String length = schema.parameters() == null ? null : schema.parameters().get("length");
        int bits = length == null ? littleEndian.length * 8 : Integer.parseInt(length);
        StringBuilder digits = new StringBuilder(bits);
        for (int i = bits - 1; i >= 0; i--) {
            int index = i / 8;
            digits.append(index < littleEndian.length && (littleEndian[index] >> (i % 8) & 1) == 1 ? '1' : '0');
        }
        return new BitString(digits.toString());
    }

    /** MySQL's internal geometry form: the SRID as 4 little-endian bytes, then the WKB; exact, SRID included. */
    private static byte[] mysqlGeometry(Struct geometry) {
        byte[] wkb = toBytes(geometry.get("wkb"));
        Integer srid = geometry.getInt32("srid");
        int id = srid == null ? 0 : srid;
        byte[] out = new byte[wkb.length + 4];
        out[0] = (byte) id;
        out[1] = (byte) (id >> 8);
        out[2] = (byte) (id >> 16);
        out[3] = (byte) (id >> 24);
        System.arraycopy(wkb, 0, out, 4, wkb.length);
        return out;
    }

    private static byte[] toBytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    private static LocalDateTime microsToLocalDateTime(long micros) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static LocalDateTime nanosToLocalDateTime(long nanos) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Object microsToTime(long micros) {
        if (micros >= 0 && micros < 86_400_000_000L) {
            return LocalTime.ofNanoOfDay(micros * 1000L);
        }
        // PostgreSQL's 24:00:00 and MySQL's TIME, an elapsed time from -838:59:59 to 838:59:59, do not fit a
        // LocalTime: keep them as [-]H:MM:SS.ffffff text, which both servers (and PostgreSQL's interval) read.
        long abs = Math.abs(micros);
        return String.format("%s%d:%02d:%02d.%06d", micros < 0 ? "-" : "", abs / 3_600_000_000L, abs / 60_000_000L % 60,
                abs / 1_000_000L % 60, abs % 1_000_000L);
    }
}
