package routes.sink.dialect;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** Which PostgreSQL errors are retried (the target's trouble) and which mark a dirty row (the row's trouble). */
class PostgresErrorsTest {

    private final PostgresDialect dialect = new PostgresDialect();

    @Test
    void refusedDataIsADirtyRowAndNeverRetried() {
        for (String state : new String[] {"23502", "22001", "22003", "22P02", "22021", "23505", "23514"}) {
            SQLException error = new SQLException("refused", state);
            assertTrue(dialect.isDataError(error), state);
            assertFalse(dialect.isTransient(error), state);
        }
    }

    @Test
    void aTargetInTroubleIsRetriedAndNeverADirtyRow() {
        for (String state : new String[] {"08006", "08001", "40001", "40P01", "57P01", "57P03", "53300"}) {
            SQLException error = new SQLException("trouble", state);
            assertTrue(dialect.isTransient(error), state);
            assertFalse(dialect.isDataError(error), state);
        }
        assertFalse(dialect.isDataError(new SQLException("permission denied", "42501")), "neither: the task stops");
        assertFalse(dialect.isTransient(new SQLException("permission denied", "42501")), "neither: the task stops");
    }
}
