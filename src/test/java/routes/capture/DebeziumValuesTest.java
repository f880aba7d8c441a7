package routes.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import routes.capture.DebeziumValues.BitString;

/** Debezium's bit strings and MySQL geometries as the exact values writers bind. */
class DebeziumValuesTest {

    @Test
    void bitsKeepTheirLengthAndOrder() {
        Schema bits12 = SchemaBuilder.bytes().name("io.debezium.data.Bits").parameter("length", "12").build();
        // Debezium sends BIT(n) little-endian: 0x01 0x0A is 1010 0000 0001
        BitString value = (BitString) DebeziumValues.toJava(bits12, ByteBuffer.wrap(new byte[] {0x01, 0x0A}));
        assertEquals("101000000001", value.bits());
        assertArrayEquals(new byte[] {0x0A, 0x01}, value.bytes(), "MySQL reads BIT values big-endian");
        Schema bits8 = SchemaBuilder.bytes().name("io.debezium.data.Bits").parameter("length", "8").build();
        assertEquals("00000001", DebeziumValues.toJava(bits8, new byte[] {0x01}).toString());
    }

    @Test
    void mysqlZeroTimestampIsNullAndTheEpochStaysElsewhere() {
        Schema mysql = SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").parameter("__debezium.source.column.type", "TIMESTAMP")
                .build();
        assertEquals(null, DebeziumValues.toJava(mysql, "1970-01-01T00:00:00Z"));
        assertEquals(java.time.OffsetDateTime.parse("1970-01-01T00:00:01Z"), DebeziumValues.toJava(mysql, "1970-01-01T00:00:01Z"));
        Schema postgres = SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").parameter("__debezium.source.column.type", "TIMESTAMPTZ")
                .build();
        assertEquals(java.time.OffsetDateTime.parse("1970-01-01T00:00:00Z"), DebeziumValues.toJava(postgres, "1970-01-01T00:00:00Z"));
    }

    @Test
    void binlogYearZeroIsZero() {
        Schema year = SchemaBuilder.int32().name("io.debezium.time.Year").build();
        assertEquals(0, DebeziumValues.toJava(year, 1900));
        assertEquals(2155, DebeziumValues.toJava(year, 2155));
    }

    @Test
    void geometryKeepsItsSrid() {
        Schema geometry = SchemaBuilder.struct().name("io.debezium.data.geometry.Geometry")
                .field("wkb", Schema.BYTES_SCHEMA).field("srid", Schema.OPTIONAL_INT32_SCHEMA).build();
        Struct point = new Struct(geometry).put("wkb", ByteBuffer.wrap(new byte[] {1, 2, 3})).put("srid", 4326);
        assertArrayEquals(new byte[] {(byte) 0xE6, 0x10, 0, 0, 1, 2, 3}, (byte[]) DebeziumValues.toJava(geometry, point));
    }
}
