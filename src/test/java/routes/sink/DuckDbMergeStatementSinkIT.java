package routes.sink;

/** The DuckDB contract with SQL MERGE as the write statement. */
class DuckDbMergeStatementSinkIT extends DuckDbSinkIT {

    @Override
    protected String writeStatement() {
        return "merge";
    }
}
