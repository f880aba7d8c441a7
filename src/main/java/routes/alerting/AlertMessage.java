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

    /** An alert of a rule on a table ("" or null for the whole task); empty texts read as none. */
    public static AlertMessage alert(String task, String table, String rule, Level level, String value, String threshold,
            Instant since, String action) {
        return new AlertMessage(task, orNull(table), rule, level, false, orNull(value), orNull(threshold), since, orNull(action));
    }

    /**
     * The notice that a rule's condition cleared on a table; {@code since} is when it cleared until the history puts
     * the time the condition began in its place ({@link AlertHistory#record}).
     */
    public static AlertMessage recovery(String task, String table, String rule, Level level, String value, String threshold,
            Instant since) {
        return new AlertMessage(task, orNull(table), rule, level, true, orNull(value), orNull(threshold), since, null);
    }

    /** The same notice, its condition having begun at {@code began}. */
    AlertMessage since(Instant began) {
        return new AlertMessage(task, table, rule, level, recovery, value, threshold, began, action);
    }

    /** What suppression and history count as one alert: the rule on one table of one task ("" for the whole task). */
    public String key() {
        return rule + "|" + (table == null ? "" : table);
    }

    private static String orNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    public AlertMessage {
        if (task == null || task.isBlank() || rule == null || rule.isBlank() || level == null || since == null) {
            throw new IllegalArgumentException("An alert needs a task, a rule, a level and the time it began (since)");
        }
    }
}
