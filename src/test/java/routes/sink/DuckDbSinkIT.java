package routes.sink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The same contract on a DuckDB file: positions committed with the rows, refused rows kept aside (found before
 * writing, as DuckDB has no savepoints), and nothing of a failed transaction left. The test reads the file through
 * the sink's own DuckDB instance (same JVM, same settings), as DuckDB lets one process open a file.
 */
class DuckDbSinkIT extends JdbcMergeSinkIT {

    private static Path file;

    @BeforeAll
    static void startTarget() throws Exception {
        file = Files.createTempDirectory("rs-duckdb").resolve("warehouse.duckdb");
    }

    @AfterAll
    static void stopTarget() {
        // nothing runs: the file is left in the temporary directory
    }

    @Override
    protected String targetParameters() {
        return "jdbcUrl=jdbc:duckdb:" + file + "&writeStatement=" + writeStatement();
    }

    protected String writeStatement() {
        return "upsert";
    }

    @Override
    protected Connection connectTarget() throws Exception {
        return DriverManager.getConnection("jdbc:duckdb:" + file);
    }

    @Override
    protected String itemsTable() {
        return "main.items";
    }

    @Override
    protected List<String> refusalWords() {
        return List.of("NULL in NOT NULL column name", "not a valid DECIMAL(8,2): 77777777.77");
    }
}
