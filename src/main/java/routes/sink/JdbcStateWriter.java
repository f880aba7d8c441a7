package routes.sink;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import routes.sink.dialect.SqlDialect;
import routes.state.TableState;

/**
 * A writer whose task state (source positions, schema history, table status, dirty rows) lives in a JDBC database:
 * the target itself, or a state database beside a target that is not one.
 */
public abstract class JdbcStateWriter extends TaskWriter {

    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(10);

    /** The session whose transactions hold the task's state. */
    protected abstract TargetSession stateSession();

    protected abstract SqlDialect stateDialect();

    @Override
    public List<String> schemaHistory() {
        List<String> records = new ArrayList<>();
        try {
            synchronized (this) {
                stateSession().query(c -> records.addAll(stateDialect().loadSchemaHistory(c, task)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the schema history of task " + task + ": " + e.getMessage(), e);
        }
        return records;
    }

    @Override
    protected void markTablesTaskStopped(String reason) throws SQLException {
        stateSession().runOnce(c -> {
            try {
                c.setNetworkTimeout(Runnable::run, (int) STATUS_TIMEOUT.toMillis()); // a target that hangs must not hold up the stop
            } catch (SQLFeatureNotSupportedException e) {
                // an embedded target (DuckDB) does not hang on a network
            }
            stateDialect().changeTableStatus(c, task, TableState.SYNCING, TableState.TASK_STOPPED, reason);
        });
    }

    @Override
    protected void recordTableState(routes.change.TableId table, TableState state, String reason) throws SQLException {
        stateSession().execute(c -> stateDialect().saveTableStatus(c, task, table, state, reason));
    }

    @Override
    public synchronized void appendSchemaHistory(String record) throws SQLException {
        ensureRunning();
        stateSession().execute(c -> stateDialect().appendSchemaHistory(c, task, record));
    }
}
