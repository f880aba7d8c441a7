package routes.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import routes.change.SourcePosition;

/** The append log's sequence_id comes from the source position: the numbers stay those the target already holds. */
class AppendLogPlaceTest {

    private static final BigInteger ABOVE_FULL_LOAD = BigInteger.ONE.shiftLeft(40);

    @Test
    void lsnAndBinlogPlacesAreTheNumbersTargetsHold() {
        assertEquals(BigInteger.valueOf(23803720L).add(ABOVE_FULL_LOAD), AppendLog.logPlace(SourcePosition.parse("lsn:23803720")));
        BigInteger binlog = BigInteger.valueOf(42).shiftLeft(32).add(BigInteger.valueOf(4711)).shiftLeft(32).add(BigInteger.valueOf(3))
                .add(ABOVE_FULL_LOAD);
        assertEquals(binlog, AppendLog.logPlace(SourcePosition.parse("binlog:mysql-bin.000042:4711:3")));
        assertEquals(new BigDecimal(binlog.shiftLeft(2).add(BigInteger.valueOf(AppendLog.AFTER))),
                AppendLog.sequenceOf(new SourcePosition.Binlog("mysql-bin.000042", 4711, null, 3), 0, AppendLog.AFTER));
    }

    @Test
    void placesGrowWithTheLog() {
        BigInteger a = AppendLog.logPlace(new SourcePosition.Binlog("mysql-bin.000042", 4711, null, 3));
        BigInteger b = AppendLog.logPlace(new SourcePosition.Binlog("mysql-bin.000042", 4712, null, 0));
        BigInteger c = AppendLog.logPlace(new SourcePosition.Binlog("mysql-bin.000043", 4, null, 0));
        assertTrue(a.compareTo(b) < 0 && b.compareTo(c) < 0);
    }

    @Test
    void positionsOutsideTheLogHaveNoPlace() {
        assertNull(AppendLog.logPlace(null));
        assertNull(AppendLog.logPlace(new SourcePosition.Marker("statement:5")));
        assertEquals(BigDecimal.valueOf(7 * 4 + AppendLog.BEFORE), AppendLog.sequenceOf(null, 7, AppendLog.BEFORE));
    }
}
