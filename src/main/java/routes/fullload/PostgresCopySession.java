package routes.fullload;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The session settings both ends of a COPY share, so that the text one server writes is the text the other reads
 * back into the same values whatever the servers' defaults: ISO dates, PostgreSQL interval style, hex bytea,
 * shortest exact floats.
 */
public final class PostgresCopySession {

    private PostgresCopySession() {
    }

    public static void prepare(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET DateStyle = ISO, YMD; SET IntervalStyle = postgres; SET bytea_output = hex; "
                    + "SET extra_float_digits = 1; SET TimeZone = 'UTC'");
        }
    }
}
