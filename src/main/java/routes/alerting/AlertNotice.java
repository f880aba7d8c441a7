package routes.alerting;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One alert, or the notice that its condition cleared, as the alert routes hand it to their channels: which task and
 * table, which rule at which level, the value against its threshold (as text, in the rule's unit), since when, and what
 * to do. Every alert route builds it here and nowhere else.
 */
public record AlertNotice(String task, String table, String rule, Level level, boolean recovery, String value,
        String threshold, Instant since, String action) {

    /** How urgent: WARNING wants a look today, CRITICAL wants someone now. */
    public enum Level {
        WARNING, CRITICAL
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    public static AlertNotice alert(String task, String table, String rule, Level level, String value, String threshold,
            Instant since, String action) {
        return new AlertNotice(task, table, rule, level, false, value, threshold, since, action);
    }

    /** The notice that a rule's condition cleared on a table ({@code since}: when it cleared). */
    public static AlertNotice recovery(String task, String table, String rule, Level level, String value, String threshold,
            Instant since) {
        return new AlertNotice(task, table, rule, level, true, value, threshold, since, "nothing: it cleared on its own");
    }

    /** What suppression and history count as one alert: the rule on one table of one task ("" for the whole task). */
    public String key() {
        return rule + "|" + (table == null ? "" : table);
    }

    /** The message as people read it on a phone: a headline, then one fact a line. */
    public String text() {
        StringBuilder text = new StringBuilder();
        text.append(recovery ? "[RECOVERED] " : "[" + level + "] ").append(rule).append(" - task ").append(task);
        if (table != null && !table.isEmpty()) {
            text.append(", table ").append(table);
        }
        text.append('\n').append(recovery ? "now: " : "value: ").append(value);
        if (threshold != null && !threshold.isEmpty()) {
            text.append(" (threshold ").append(threshold).append(')');
        }
        text.append('\n').append(recovery ? "cleared: " : "since: ").append(TIME.format(since));
        text.append('\n').append("to do: ").append(action);
        return text.toString();
    }

    /** {@link #text()} as a JSON string literal, quotes included: for a webhook body written in YAML. */
    public String textJson() {
        return AlertHistory.JSON.valueToTree(text()).toString();
    }
}
