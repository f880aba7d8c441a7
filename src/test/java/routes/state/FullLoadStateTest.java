package routes.state;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Offsets as Debezium 3.4's PostgreSQL connector writes them. */
class FullLoadStateTest {

    private static final String KEY = "[\"t\",{\"server\":\"t\"}]";

    @Test
    void noPositionMeansTheFullLoadNeverFinished() {
        assertFalse(FullLoadState.isComplete(Map.of()));
    }

    @Test
    void positionInsideTheSnapshot() {
        assertFalse(FullLoadState.isComplete(Map.of(KEY,
                "{\"lsn\":123,\"txId\":7,\"snapshot\":\"INITIAL\",\"last_snapshot_record\":false,\"snapshot_completed\":false}")));
    }

    @Test
    void lastSnapshotRecordOrStreaming() {
        assertTrue(FullLoadState.isComplete(Map.of(KEY,
                "{\"lsn\":123,\"snapshot\":\"INITIAL\",\"last_snapshot_record\":true,\"snapshot_completed\":false}")));
        assertTrue(FullLoadState.isComplete(Map.of(KEY, "{\"lsn_proc\":456,\"lsn\":456,\"txId\":9,\"ts_usec\":1}")));
    }
}
