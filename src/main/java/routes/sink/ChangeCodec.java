package routes.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import routes.capture.DebeziumValues.BitString;
import routes.capture.DebeziumValues.JsonText;
import routes.change.ChangeEvent;
import routes.change.Operation;
import routes.change.RowImage;
import routes.change.SourceOperation;
import routes.change.SourcePosition;
import routes.change.TableId;

/**
 * A change as bytes and back, exactly: every value keeps its Java type (the closed set {@link
 * routes.capture.DebeziumValues} hands writers), so a change kept in the target while its table is paused or
 * resynced is applied later through the same binding as if it had just arrived.
 */
final class ChangeCodec {

    private static final int VERSION = 1;

    // One tag per value type; never renumber (held changes outlive a restart).
    private static final byte NULL = 0, STRING = 1, BOOLEAN = 2, SHORT = 3, INTEGER = 4, LONG = 5, FLOAT = 6, DOUBLE = 7,
            BYTES = 8, DECIMAL = 9, DATE = 10, TIME = 11, DATETIME = 12, OFFSET_DATETIME = 13, OFFSET_TIME = 14, JSON = 15,
            BITS = 16, LIST = 17, INSTANT = 18, BYTE = 19;

    private ChangeCodec() {
    }

    static byte[] encode(ChangeEvent change) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeBoolean(change.table().schema() != null);
            if (change.table().schema() != null) {
                text(out, change.table().schema());
            }
            text(out, change.table().table());
            out.writeByte(change.operation().ordinal());
            out.writeByte(change.sourceOperation().ordinal());
            strings(out, change.keyColumns());
            values(out, change.key());
            values(out, change.row());
            strings(out, change.unavailable());
            out.writeLong(change.sequence());
            out.writeBoolean(change.eventTime() != null);
            if (change.eventTime() != null) {
                out.writeLong(change.eventTime().getEpochSecond());
                out.writeInt(change.eventTime().getNano());
            }
            boolean before = change.before() != null && !change.before().isEmpty();
            out.writeBoolean(before);
            if (before) {
                values(out, change.before().values());
            }
            out.writeBoolean(change.position() != null);
            if (change.position() != null) {
                text(out, change.position().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ChangeEvent decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalStateException("A held change was written by another version of realtime-sync (format "
                        + version + "); resync the table");
            }
            String schema = in.readBoolean() ? text(in) : null;
            TableId table = new TableId(schema, text(in));
            Operation operation = Operation.values()[in.readUnsignedByte()];
            SourceOperation sourceOperation = SourceOperation.values()[in.readUnsignedByte()];
            List<String> keyColumns = new ArrayList<>(strings(in));
            Map<String, Object> key = values(in);
            Map<String, Object> row = values(in);
            Set<String> unavailable = new LinkedHashSet<>(strings(in));
            long sequence = in.readLong();
            Instant eventTime = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
            RowImage before = in.readBoolean() ? RowImage.of(values(in)) : RowImage.NONE;
            SourcePosition position = in.readBoolean() ? SourcePosition.parse(text(in)) : null;
            return new ChangeEvent(table, operation, keyColumns, key, row, unavailable, sequence, sourceOperation, eventTime,
                    before, position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void strings(DataOutputStream out, java.util.Collection<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (String s : strings) {
            text(out, s);
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int size = in.readInt();
        List<String> strings = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            strings.add(text(in));
        }
        return strings;
    }

    private static void values(DataOutputStream out, Map<String, Object> values) throws IOException {
        out.writeInt(values.size());
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            text(out, entry.getKey());
            value(out, entry.getValue());
        }
    }

    private static Map<String, Object> values(DataInputStream in) throws IOException {
        int size = in.readInt();
        Map<String, Object> values = new LinkedHashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            values.put(text(in), value(in));
        }
        return values;
    }

    private static void value(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof String s) {
            out.writeByte(STRING);
            text(out, s);
        } else if (value instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(b);
        } else if (value instanceof Byte b) {
            out.writeByte(BYTE);
            out.writeByte(b);
        } else if (value instanceof Short s) {
            out.writeByte(SHORT);
            out.writeShort(s);
        } else if (value instanceof Integer i) {
            out.writeByte(INTEGER);
            out.writeInt(i);
        } else if (value instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (value instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeInt(Float.floatToRawIntBits(f));
        } else if (value instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeLong(Double.doubleToRawLongBits(d));
        } else if (value instanceof byte[] b) {
            out.writeByte(BYTES);
            bytes(out, b);
        } else if (value instanceof BigDecimal d) {
            out.writeByte(DECIMAL);
            out.writeInt(d.scale());
            bytes(out, d.unscaledValue().toByteArray());
        } else if (value instanceof LocalDate d) {
            out.writeByte(DATE);
            out.writeLong(d.toEpochDay());
        } else if (value instanceof LocalTime t) {
            out.writeByte(TIME);
            out.writeLong(t.toNanoOfDay());
        } else if (value instanceof LocalDateTime t) {
            out.writeByte(DATETIME);
            out.writeLong(t.toLocalDate().toEpochDay());
            out.writeLong(t.toLocalTime().toNanoOfDay());
        } else if (value instanceof OffsetDateTime t) {
            out.writeByte(OFFSET_DATETIME);
            out.writeLong(t.toLocalDate().toEpochDay());
            out.writeLong(t.toLocalTime().toNanoOfDay());
            out.writeInt(t.getOffset().getTotalSeconds());
        } else if (value instanceof OffsetTime t) {
            out.writeByte(OFFSET_TIME);
            out.writeLong(t.toLocalTime().toNanoOfDay());
            out.writeInt(t.getOffset().getTotalSeconds());
        } else if (value instanceof Instant t) {
            out.writeByte(INSTANT);
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        } else if (value instanceof JsonText j) {
            out.writeByte(JSON);
            text(out, j.json());
        } else if (value instanceof BitString b) {
            out.writeByte(BITS);
            text(out, b.bits());
        } else if (value instanceof List<?> list) {
            out.writeByte(LIST);
            out.writeInt(list.size());
            for (Object element : list) {
                value(out, element);
            }
        } else {
            throw new IllegalArgumentException("A change value of type " + value.getClass().getName()
                    + " cannot be held; this is a bug: report it with the table's column types");
        }
    }

    private static Object value(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case NULL -> null;
            case STRING -> text(in);
            case BOOLEAN -> in.readBoolean();
            case BYTE -> in.readByte();
            case SHORT -> in.readShort();
            case INTEGER -> in.readInt();
            case LONG -> in.readLong();
            case FLOAT -> Float.intBitsToFloat(in.readInt());
            case DOUBLE -> Double.longBitsToDouble(in.readLong());
            case BYTES -> bytes(in);
            case DECIMAL -> {
                int scale = in.readInt();
                yield new BigDecimal(new BigInteger(bytes(in)), scale);
            }
            case DATE -> LocalDate.ofEpochDay(in.readLong());
            case TIME -> LocalTime.ofNanoOfDay(in.readLong());
            case DATETIME -> LocalDateTime.of(LocalDate.ofEpochDay(in.readLong()), LocalTime.ofNanoOfDay(in.readLong()));
            case OFFSET_DATETIME -> {
                LocalDate date = LocalDate.ofEpochDay(in.readLong());
                LocalTime time = LocalTime.ofNanoOfDay(in.readLong());
                yield OffsetDateTime.of(date, time, ZoneOffset.ofTotalSeconds(in.readInt()));
            }
            case OFFSET_TIME -> OffsetTime.of(LocalTime.ofNanoOfDay(in.readLong()), ZoneOffset.ofTotalSeconds(in.readInt()));
            case INSTANT -> Instant.ofEpochSecond(in.readLong(), in.readInt());
            case JSON -> new JsonText(text(in));
            case BITS -> new BitString(text(in));
            case LIST -> {
                int size = in.readInt();
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(value(in));
                }
                yield list;
            }
            default -> throw new IllegalStateException("A held change holds an unknown value tag " + tag);
        };
    }

    /** Text of any length (writeUTF stops at 64 KB), as UTF-8. */
    private static void text(DataOutputStream out, String s) throws IOException {
        bytes(out, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String text(DataInputStream in) throws IOException {
        return new String(bytes(in), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }
}
