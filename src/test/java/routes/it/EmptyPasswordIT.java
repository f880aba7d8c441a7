package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A source and target that need no password (the embedded servers trust local connections, as trust, peer and
 * certificate authentication do): the example task runs with empty passwords.
 */
class EmptyPasswordIT {

    private static PostgresPair pair;

    @BeforeAll
    static void servers() throws Exception {
        pair = new PostgresPair("nopw");
    }

    @AfterAll
    static void stopServers() throws Exception {
        pair.close();
    }

    @Test
    void emptyPasswordsAreAccepted() throws Exception {
        try (Connection c = pair.source.connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT auth_method FROM pg_hba_file_rules WHERE type = 'host'")) {
            rs.next();
            assertEquals("trust", rs.getString(1), "the source must not ask for a password");
        }
        pair.source("CREATE TABLE t (id int PRIMARY KEY, v text)", "INSERT INTO t SELECT i, 'v' || i FROM generate_series(1, 100) i");
        Map<String, String> env = new java.util.HashMap<>(pair.environment());
        env.put("SOURCE_PASSWORD", "");
        env.put("TARGET_PASSWORD", "");
        try (SyncProcess sync = pair.startSync("empty-password", env)) {
            pair.source("INSERT INTO t VALUES (101, 'streamed')");
            assertEquals(List.of(), pair.awaitSameContents(sync, Map.of("public.t", "id"), Duration.ofMinutes(2)));
        }
    }
}
