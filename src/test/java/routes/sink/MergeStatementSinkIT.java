package routes.sink;

/** The same contract with SQL MERGE instead of INSERT ... ON CONFLICT, on PostgreSQL (MERGE since version 15). */
class MergeStatementSinkIT extends JdbcMergeSinkIT {

    @Override
    protected String targetParameters() {
        return super.targetParameters() + "&writeStatement=merge";
    }
}
