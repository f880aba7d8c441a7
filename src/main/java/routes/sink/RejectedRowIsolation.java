package routes.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;

import routes.change.ChangeEvent;
import routes.sink.dialect.SqlDialect;

/**
 * Writes a batch so that rows the target refuses do not take their good neighbours down: each attempt runs under a
 * savepoint, and a refused attempt is split in halves until every refused row stands alone. Only data errors (as
 * the dialect judges them) are split; a transient or any other error goes up unchanged, to be retried or to stop
 * the task. A batch with one bad row among n costs about 2 log2(n) extra statements. A dialect that checks rows before
 * writing any ({@link SqlDialect#refusesBeforeWriting()}) needs no savepoint: a refused attempt wrote nothing, and
 * the deletes of a mixed attempt are harmless to repeat.
 */
final class RejectedRowIsolation {

    /** Writes a list of changes (distinct keys) in the open transaction. */
    interface BatchWrite {
        void write(Connection connection, List<ChangeEvent> changes) throws SQLException;
    }

    /** Receives one refused change and the error the target gave for it alone. */
    interface Rejected {
        void accept(Connection connection, ChangeEvent change, SQLException error) throws SQLException;
    }

    private final SqlDialect dialect;

    RejectedRowIsolation(SqlDialect dialect) {
        this.dialect = dialect;
    }

    void write(Connection connection, List<ChangeEvent> changes, BatchWrite write, Rejected rejected) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        Savepoint savepoint = dialect.refusesBeforeWriting() ? null : connection.setSavepoint();
        try {
            write.write(connection, changes);
            if (savepoint != null) {
                connection.releaseSavepoint(savepoint);
            }
            return;
        } catch (SQLException e) {
            if (!dialect.isDataError(e)) {
                throw e;
            }
            if (savepoint != null) {
                connection.rollback(savepoint);
                dialect.rolledBack();
            }
            if (changes.size() == 1) {
                rejected.accept(connection, changes.get(0), e);
                return;
            }
        }
        int half = changes.size() / 2;
        write(connection, changes.subList(0, half), write, rejected);
        write(connection, changes.subList(half, changes.size()), write, rejected);
    }
}
