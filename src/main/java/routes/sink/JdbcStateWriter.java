package routes.sink;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import routes.sink.dialect.SqlDialect;

/**
 * A writer whose task state (source positions, schema history, table status, dirty rows) lives in a JDBC database:
 * the target itself, or a state database beside a target that is not one.
 */
public abstract class JdbcStateWriter extends TaskWriter {

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
    public synchronized void appendSchemaHistory(String record) throws SQLException {
        ensureRunning();
        stateSession().execute(c -> stateDialect().appendSchemaHistory(c, task, record));
    }
}
