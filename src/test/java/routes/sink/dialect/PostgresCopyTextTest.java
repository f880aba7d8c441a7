package routes.sink.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class PostgresCopyTextTest {

    private static String field(Object value) {
        StringBuilder out = new StringBuilder();
        PostgresCopyText.appendField(out, value);
        return out.toString();
    }

    @Test
    void escapesCopyControlCharacters() {
        assertEquals("a\\tb\\nc\\rd\\\\e", field("a\tb\nc\rd\\e"));
        assertEquals("\\N", field(null));
    }

    @Test
    void writesTypesInPostgresInputSyntax() {
        assertEquals("t", field(true));
        assertEquals("-0.10", field(new BigDecimal("-0.10")));
        assertEquals("\\\\x00ff10", field(new byte[] {0, (byte) 0xff, 0x10}));
        assertEquals("2020-02-29 23:59:59.000001", field(LocalDateTime.of(2020, 2, 29, 23, 59, 59, 1000)));
        assertEquals("2020-02-29 00:00:00", field(LocalDateTime.of(2020, 2, 29, 0, 0)));
        assertEquals("0044-03-15 BC", field(LocalDate.of(-43, 3, 15)));
        assertEquals("12:00:00.500000", field(LocalTime.of(12, 0, 0, 500_000_000)));
        assertEquals("07:08:09.000000", field(LocalTime.of(7, 8, 9, 500)));
        assertEquals("10000-01-02 03:04:05.000006", field(LocalDateTime.of(10000, 1, 2, 3, 4, 5, 6000)));
        assertEquals("2024-01-01 10:00:00+05:45", field(OffsetDateTime.parse("2024-01-01T10:00:00+05:45")));
        assertEquals("2024-01-01 10:00:00+00", field(OffsetDateTime.parse("2024-01-01T10:00:00Z")));
        assertEquals("2024-01-01 10:00:00-03:00:15", field(OffsetDateTime.parse("2024-01-01T10:00:00-03:00:15")));
    }

    @Test
    void writesArraysWithQuotedElements() {
        assertEquals("{\"a\",\"b \\\\\"q\\\\\"\",NULL}", field(Arrays.asList("a", "b \"q\"", null)));
        assertEquals("{\"1\",\"2\"}", field(List.of(1, 2)));
    }
}
