package routes.alerting;

import java.time.Instant;

/**
 * One alert or recovery notice, as every channel delivers it: which task (and table) a rule fired on, how bad, the
 * value against its threshold, since when, and what the person reading it should do.
 *
 * @param task      the task's name
 * @param table     the source table (schema.table), or null for the whole task
 * @param rule      the rule that fired, e.g. {@code latency}
 * @param level     WARNING or CRITICAL (for a recovery: the level it had)
 * @param recovery  true when the condition cleared
 * @param value     the measured value as people read it, e.g. {@code 95 s}; null when the rule has none
 * @param threshold the threshold as people read it, e.g. {@code 60 s}; null when the rule has none
 * @param since     when the condition began (for a recovery: when it began, the notice says how long it lasted)
 * @param action    what to do, one or two sentences; null when there is nothing to do
 */
public record AlertMessage(String task, String table, String rule, Level level, boolean recovery, String value, String threshold,
        Instant since, String action) {

    public enum Level {
        WARNING, CRITICAL
    }

    public AlertMessage {
        if (task == null || task.isBlank() || rule == null || rule.isBlank() || level == null || since == null) {
            throw new IllegalArgumentException("An alert needs a task, a rule, a level and the time it began (since)");
        }
    }
}
