package routes.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class StartPositionTest {

    @Test
    void readsEveryFormAndPrintsItBack() {
        for (String text : List.of("latest", "initial", "lsn:0/16B3748", "binlog:mysql-bin.000003:4", "gtid:0-1-42,1-2-7",
                "timestamp:2026-12-01T10:00:00Z")) {
            assertEquals(text, StartPosition.parse(text).toString());
        }
        assertEquals("timestamp:2026-12-01T08:00:00Z", StartPosition.parse("timestamp:2026-12-01T10:00:00+02:00").toString());
        assertEquals(0x16B3748L, ((StartPosition.Lsn) StartPosition.parse("lsn:0/16B3748")).lsn().value());
    }

    @Test
    void saysWhichSourceAPositionIsFor() {
        assertTrue(StartPosition.parse("lsn:0/1").suits(true));
        assertFalse(StartPosition.parse("lsn:0/1").suits(false));
        assertFalse(StartPosition.parse("binlog:mysql-bin.000001:4").suits(true));
        assertTrue(StartPosition.parse("latest").suits(true) && StartPosition.parse("latest").suits(false));
    }

    @Test
    void aMalformedValueIsOneLineNamingTheOption() {
        for (String text : List.of("", "lastest", "lsn:12345", "lsn:0/xyz", "binlog:mysql-bin.000003", "binlog:file:4", "gtid:",
                "gtid:abc", "timestamp:yesterday", "timestamp:2026-12-01T10:00:00", "latest:now")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StartPosition.parse(text), text);
            assertTrue(e.getMessage().startsWith("--start-from ") && !e.getMessage().contains("\n"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StartPosition.parse("timestamp:2026-12-01T10:00:00"))
                .getMessage().contains("with its zone"));
    }
}
