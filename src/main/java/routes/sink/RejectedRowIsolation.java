package routes.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;

import routes.sink.dialect.SqlDialect;

/**
 * Writes a batch (of changes, or of the rows a full-load chunk read) so that rows the target refuses do not take their
 * good neighbours down: each attempt runs under a savepoint, and a refused attempt is split in halves until every
 * refused row stands alone. Only data errors (as the dialect judges them) are split; a transient or any other error goes up unchanged, to be retried or to stop
 * the task. A batch with one bad row among n costs about 2 log2(n) extra statements. A dialect that checks rows before
 * writing any ({@link SqlDialect#refusesBeforeWriting()}) needs no savepoint: a refused attempt wrote nothing, and
 * the deletes of a mixed attempt are harmless to repeat.
 */
public final class RejectedRowIsolation<T> {

    /** Writes a list of rows (distinct keys) in the open transaction. */
    public interface BatchWrite<T> {
        void write(Connection connection, List<T> rows) throws SQLException;
    }

    /** Receives one refused row and the error the target gave for it alone. */
    public interface Rejected<T> {
        void accept(Connection connection, T row, SQLException error) throws SQLException;
    }

    private final SqlDialect dialect;

    public RejectedRowIsolation(SqlDialect dialect) {
        this.dialect = dialect;
    }

    public void write(Connection connection, List<T> rows, BatchWrite<T> write, Rejected<T> rejected) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Savepoint savepoint = dialect.refusesBeforeWriting() ? null : connection.setSavepoint();
        try {
            write.write(connection, rows);
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
            if (rows.size() == 1) {
                rejected.accept(connection, rows.get(0), e);
                return;
            }
        }
        int half = rows.size() / 2;
        write(connection, rows.subList(0, half), write, rejected);
        write(connection, rows.subList(half, rows.size()), write, rejected);
    }
}
