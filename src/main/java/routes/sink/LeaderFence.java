package routes.sink;

import java.sql.Connection;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.ops.TaskProblem;
import routes.sink.dialect.SqlDialect;

/**
 * Keeps a deposed leader from writing (docs/scale-out.md). An instance that takes the lead of a task run under leader
 * election raises the task's leader epoch on the target before it reads its position there; every commit then checks,
 * in its own transaction and under the epoch row's lock, that the epoch is still its own. A leader that was paused or
 * cut off while another took over finds a newer epoch at its next commit: its transaction is refused and it stops.
 */
final class LeaderFence {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderFence.class);

    /** A commit refused because another instance leads the task now. */
    static final class Deposed extends TaskProblem {
        Deposed(String message) {
            super(message);
        }
    }

    private final String task;
    private final SqlDialect sql;
    /** This instance's epoch; 0 when the task does not run under leader election (nothing is checked). */
    private volatile long epoch;

    LeaderFence(String task, SqlDialect sql) {
        this.task = task;
        this.sql = sql;
    }

    /** Takes the lead on the target, in the caller's transaction. */
    void takeLead(Connection connection) throws SQLException {
        sql.createStateTables(connection);
        sql.createLeaderEpochs(connection);
        epoch = sql.takeLead(connection, task);
        LOG.info("Task '{}': this instance leads now (leader epoch {} on the target)", task, epoch);
    }

    /** Refuses the caller's transaction unless this instance still leads; the last statement before its commit. */
    void check(Connection connection) throws SQLException {
        if (epoch == 0) {
            return;
        }
        long current = sql.lockedLeaderEpoch(connection, task);
        if (current != epoch) {
            throw new Deposed("another instance took over task '" + task + "' (leader epoch " + current + " on the target, this one "
                    + "had " + epoch + "): the target refused this instance's commit, which the new leader captures again");
        }
    }
}
