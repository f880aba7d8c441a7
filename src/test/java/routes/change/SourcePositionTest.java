package routes.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Positions are read and printed in one place; the printed form is what labels, records and dead letters carry. */
class SourcePositionTest {

    @Test
    void lsnPrintsAsBeforeAndReadsPostgresText() {
        SourcePosition.Lsn lsn = SourcePosition.Lsn.parse("0/16B3748");
        assertEquals(0x16B3748L, lsn.value());
        assertEquals("lsn:23803720", lsn.toString());
        assertEquals("0/16B3748", lsn.text());
        assertEquals((0x2AL << 32) | 0xFFL, SourcePosition.Lsn.parse("2A/FF").value());
        assertEquals("2A/FF", SourcePosition.Lsn.parse("2A/FF").text());
        assertEquals(lsn, SourcePosition.parse("lsn:23803720"));
        assertEquals(Map.of("lsn", 23803720L), lsn.offset());
        assertThrows(IllegalArgumentException.class, () -> SourcePosition.Lsn.parse("23803720"));
    }

    @Test
    void binlogPlacePrintsFileTransactionAndOrdinal() {
        SourcePosition.Binlog place = new SourcePosition.Binlog("mysql-bin.000042", 4711, null, 3);
        assertEquals("binlog:mysql-bin.000042:4711:3", place.toString());
        assertEquals(place, SourcePosition.parse(place.toString()));
        assertEquals(42, place.fileNumber());
        assertTrue(place.sameTransaction(place.withOrdinal(0)));
        assertFalse(place.sameTransaction(new SourcePosition.Binlog("mysql-bin.000042", 4712, null, 3)));
        assertFalse(place.sameTransaction(null));
    }

    @Test
    void readsDebeziumSourceInformation() {
        Map<String, Object> postgres = Map.of("connector", "postgresql", "lsn", 23803720L, "txId", 7L);
        assertEquals(new SourcePosition.Lsn(23803720L), SourcePosition.ofSourceInfo(postgres));
        Map<String, Object> binlog = Map.of("connector", "mysql", "file", "mariadb-bin.000002", "pos", 1234L, "row", 1);
        assertEquals("binlog:mariadb-bin.000002:1234:1", SourcePosition.ofSourceInfo(binlog).toString());
    }

    @Test
    void offsetsAreDebeziumsShape() {
        Map<String, Object> offset = new SourcePosition.Binlog("mariadb-bin.000002", 1234, "0-1-17", 0).offset();
        assertEquals(List.of("file", "pos", "gtids"), List.copyOf(offset.keySet()));
        assertEquals(Map.of("file", "mariadb-bin.000002", "pos", 1234L, "gtids", "0-1-17"), offset);
        assertEquals("", new SourcePosition.Binlog("f.1", 4, null, 0).offset().get("gtids"), "the connector needs the key");
        Map<String, Object> saved = new LinkedHashMap<>(Map.of("file", "mariadb-bin.000002", "pos", 1234, "row", 2));
        assertEquals(new SourcePosition.Binlog("mariadb-bin.000002", 1234, null, 0), SourcePosition.ofBinlogOffset(saved));
        assertNull(SourcePosition.ofBinlogOffset(Map.of("lsn", 5L)));
    }

    @Test
    void positionsOutsideTheLogKeepTheirText() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("id", 1);
        key.put("code", "a");
        assertEquals("read:public.t:[1, a]", ChangeEvent.fullLoadPosition(new TableId("public", "t"), key).toString());
        assertEquals("retracted-before-full-load", SourcePosition.parse("retracted-before-full-load").toString());
    }
}
