package routes.ops;

import java.time.Instant;

import routes.state.TableState;

/**
 * Something that happened to a task, published to {@link TaskEvents#ENDPOINT} for routes to consume (alerting, an
 * API, a console). Those a person should act on carry an alert kind and also go to {@link TaskEvents#ALERTS_ENDPOINT}.
 */
public sealed interface TaskEvent {

    /** The task's name. */
    String task();

    Instant time();

    /** The source table it concerns (schema.table); null when it concerns the whole task. */
    String table();

    /** What happened, in one line for people (an alert's body). */
    String message();

    /** SCHEMA_CHANGE, TABLE_STOPPED or DEAD_LETTER when people should act on it; null otherwise. */
    String alert();

    /** A table's state changed ({@code before} is null for the first state a run records). */
    record TableStateChanged(String task, Instant time, String table, TableState before, TableState state, String reason, String alert)
            implements TaskEvent {
        @Override
        public String message() {
            return reason != null ? reason : "table " + table + " is " + state;
        }
    }

    /**
     * The target followed a schema change of the source; {@code kind} is the change's kind as the task's
     * schemaChanges policies name it in upper case (ADD_COLUMN, DROP_TABLE...), null when none fits.
     */
    record SchemaChangeApplied(String task, Instant time, String table, String change, String kind) implements TaskEvent {
        @Override
        public String message() {
            return change;
        }

        @Override
        public String alert() {
            return null;
        }

        public String policy() {
            return "APPLY";
        }

        public String outcome() {
            return "APPLIED";
        }
    }

    /**
     * The target was left as it is after a schema change of the source (its policy said so, or it cannot follow):
     * {@code kind} as above; {@code policy} IGNORE, ALERT, ERROR (the task stops right after), or APPLY when the target
     * cannot follow; either null when unknown.
     */
    record SchemaChangeDeclined(String task, Instant time, String table, String change, String alert, String kind, String policy)
            implements TaskEvent {
        @Override
        public String message() {
            return change;
        }

        /** STOPPED (the error policy stops the task), ALERTED or IGNORED. */
        public String outcome() {
            return "ERROR".equals(policy) ? "STOPPED" : alert != null ? "ALERTED" : "IGNORED";
        }
    }

    /** The target refused rows, kept aside as dirty rows or dead letters; the task goes on. */
    record RowsRefused(String task, Instant time, String table, long rows, String reason, String alert) implements TaskEvent {
        @Override
        public String message() {
            return reason;
        }
    }

    /** The task stopped on an error. */
    record TaskFailed(String task, Instant time, String reason) implements TaskEvent {
        @Override
        public String table() {
            return null;
        }

        @Override
        public String message() {
            return reason;
        }

        @Override
        public String alert() {
            return null;
        }
    }

    /** The task's capture engine started again within the same run of its CamelContext. */
    record EngineRestarted(String task, Instant time, String message) implements TaskEvent {
        @Override
        public String table() {
            return null;
        }

        @Override
        public String alert() {
            return null;
        }
    }
}
