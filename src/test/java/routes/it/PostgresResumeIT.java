package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A restarted PostgreSQL capture resumes exactly after the last source transaction the target committed, also where
 * the next transaction's changes sit in the log before and right at the end of that one's commit record (concurrent
 * transactions interleave there). The target saves transaction ends only, and the log position of a transaction's end
 * is also the position of whatever change was written next: Debezium's own resume search took such a change for one
 * it had processed and skipped it and the next transaction's earlier changes, so that transaction reached the target
 * in part, or not at all.
 */
class PostgresResumeIT {

    private static PostgresPair pair;

    @BeforeAll
    static void servers() throws Exception {
        pair = new PostgresPair("resume");
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void transactionInterleavedWithTheLastCommittedOneArrivesWhole() throws Exception {
        pair.source("CREATE TABLE accounts (id int PRIMARY KEY, v bigint NOT NULL)",
                "CREATE TABLE ledger (id bigint PRIMARY KEY, note text)",
                "INSERT INTO accounts VALUES (1, 0), (2, 0)");
        try (Connection b = pair.source.connect("shop"); Statement inB = b.createStatement();
                Connection a = pair.source.connect("shop"); Statement inA = a.createStatement()) {
            try (SyncProcess sync = pair.startSync("resume-1")) {
                await(sync, "SELECT count(*) FROM accounts", 2);
                b.setAutoCommit(false);
                inB.executeUpdate("UPDATE accounts SET v = 1 WHERE id = 1"); // before A in the log
                inA.executeUpdate("INSERT INTO ledger VALUES (1, 'a')"); // A commits: the target's next saved end
                inB.executeUpdate("INSERT INTO ledger VALUES (2, 'b')"); // written right after A's commit record
                await(sync, "SELECT count(*) FROM ledger WHERE id = 1", 1);
                sync.stop(); // SIGTERM
            }
            inB.executeUpdate("UPDATE accounts SET v = 1 WHERE id = 2");
            b.commit();
        }
        try (SyncProcess sync = pair.startSync("resume-2")) {
            await(sync, "SELECT count(*) FROM accounts WHERE v = 1", 2);
            assertEquals(pair.count(true, "ledger"), pair.count(false, "ledger"), "ledger rows");
        }
    }

    /** Waits until the query gives the expected count on the target. */
    private static void await(SyncProcess sync, String query, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long found = -1;
        while (System.nanoTime() < deadline) {
            assertTrue(sync.isAlive(), sync.output());
            try (Connection c = pair.target.connect("warehouse"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
                rs.next();
                found = rs.getLong(1);
                if (found == expected) {
                    return;
                }
            } catch (SQLException e) {
                // the table is not there yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(query + " gave " + found + " on the target, not " + expected + ":\n" + sync.output());
    }
}
