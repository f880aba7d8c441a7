package routes.sink;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.change.TableId;
import routes.ops.TaskProblem;

/**
 * The one place where a task's schema-change policies are applied, for every target: whether a change is applied to
 * the target, or left (ignore: a log line; alert: an alert too; error: the task stops with the reason). A target
 * that cannot apply a kind of change at all leaves its table as it is, and an alert says so.
 */
public final class SchemaChangeDecisions {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaChangeDecisions.class);
    private static final String LEFT_AS_IT_IS = "the target is left as it is";

    /** Where decisions are reported: the task's registry and events (see TaskWriter). */
    public interface Reports {
        void applied(TableId table, SchemaChangePolicies.Kind kind, String change);

        /**
         * A change the target was left without, as {@code policy} says (APPLY: the target cannot follow; ERROR: the task
         * stops right after); {@code alert} raises it as a SCHEMA_CHANGE alert.
         */
        void declined(TableId table, SchemaChangePolicies.Kind kind, SchemaChangePolicies.Policy policy, String change, boolean alert);
    }

    private final SchemaChangePolicies policies;
    private final String task;
    private final Reports reports;

    public SchemaChangeDecisions(SchemaChangePolicies policies, String task, Reports reports) {
        this.policies = policies;
        this.task = task;
        this.reports = reports;
    }

    public SchemaChangePolicies.Policy policy(SchemaChangePolicies.Kind kind) {
        return policies.of(kind);
    }

    /** True when the target applies the change; otherwise it is declined as its policy says. */
    public boolean decide(SchemaChange change) {
        return decide(change.kind(), change.table(), change.describe());
    }

    /** As {@link #decide(SchemaChange)}, in other words than the change's own. */
    public boolean decide(SchemaChangePolicies.Kind kind, TableId table, String what) {
        if (policies.of(kind) == SchemaChangePolicies.Policy.APPLY) {
            LOG.info("Task '{}': {}; applying it to the target", task, what);
            reports.applied(table, kind, what);
            return true;
        }
        decline(kind, table, what, LEFT_AS_IT_IS);
        return false;
    }

    /**
     * For a target that may not apply this kind of change: true when the policy says apply and the target can;
     * {@code leftAs} says what the target keeps otherwise ("topic t is kept as it is").
     */
    public boolean decide(SchemaChange change, boolean targetCanApply, String leftAs) {
        SchemaChangePolicies.Policy policy = policies.of(change.kind());
        if (policy == SchemaChangePolicies.Policy.APPLY && targetCanApply) {
            LOG.info("Task '{}': {}; applying it to the target", task, change.describe());
            reports.applied(change.table(), change.kind(), change.describe());
            return true;
        }
        if (policy == SchemaChangePolicies.Policy.APPLY) {
            reports.declined(change.table(), change.kind(), policy, change.describe() + "; " + leftAs, true);
            return false;
        }
        decline(change.kind(), change.table(), change.describe(), leftAs);
        return false;
    }

    /** Leaves the target as it is, as the kind's policy (not apply) says. */
    public void decline(SchemaChangePolicies.Kind kind, TableId table, String what) {
        decline(kind, table, what, LEFT_AS_IT_IS);
    }

    private void decline(SchemaChangePolicies.Kind kind, TableId table, String what, String leftAs) {
        SchemaChangePolicies.Policy policy = policies.of(kind);
        switch (policy) {
            case ERROR -> {
                // Recorded as the table's schema change first; the task's failure then carries the reason.
                reports.declined(table, kind, policy, what + " (" + kind.setting + " policy: error, the task stops)", false);
                throw new TaskProblem(what + ", and the task's " + kind.setting + " policy is error. Set schemaChanges "
                        + "to another policy for " + kind.setting + ", or undo the change on the source, and restart the task.");
            }
            case ALERT -> reports.declined(table, kind, policy, what + "; " + leftAs + " (" + kind.setting + " policy: alert)", true);
            default -> {
                LOG.info("Task '{}': {}; {} ({} policy: ignore)", task, what, leftAs, kind.setting);
                reports.declined(table, kind, policy, what + "; " + leftAs + " (" + kind.setting + " policy: ignore)", false);
            }
        }
    }
}
