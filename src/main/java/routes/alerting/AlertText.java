package routes.alerting;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The words every channel shows, in the order people read them on a phone: a short title (what and where, first, so
 * a lock-screen notification says it), then one labelled line per fact. Each channel's format only dresses these up.
 */
final class AlertText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** One labelled fact, e.g. {@code Table: public.orders}. */
    record Line(String label, String text) {
        @Override
        public String toString() {
            return label + ": " + text;
        }
    }

    private AlertText() {
    }

    /** {@code CRITICAL · latency · shop-sync}, or {@code RECOVERED · latency · shop-sync}. */
    static String title(AlertMessage alert) {
        return status(alert) + " · " + alert.rule() + " · " + alert.task();
    }

    /** CRITICAL, WARNING or RECOVERED. */
    static String status(AlertMessage alert) {
        return alert.recovery() ? "RECOVERED" : alert.level().name();
    }

    /** The facts below the title; a fact the alert does not have is left out rather than shown empty. */
    static List<Line> lines(AlertMessage alert, Instant now) {
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("Task", alert.task()));
        if (alert.table() != null && !alert.table().isBlank()) {
            lines.add(new Line("Table", alert.table()));
        }
        lines.add(new Line("Rule", alert.rule()));
        lines.add(new Line("Level", alert.recovery() ? "recovered (was " + alert.level() + ")" : alert.level().name()));
        if (alert.value() != null && !alert.value().isBlank()) {
            boolean threshold = alert.threshold() != null && !alert.threshold().isBlank();
            lines.add(new Line("Value", alert.value() + (threshold ? " (threshold " + alert.threshold() + ")" : "")));
        } else if (alert.threshold() != null && !alert.threshold().isBlank()) {
            lines.add(new Line("Threshold", alert.threshold()));
        }
        Duration age = Duration.between(alert.since(), now);
        lines.add(alert.recovery()
                ? new Line("Lasted", ago(age) + ", from " + TIME.format(alert.since()))
                : new Line("Since", TIME.format(alert.since()) + " (" + ago(age) + " ago)"));
        if (alert.action() != null && !alert.action().isBlank()) {
            lines.add(new Line("What to do", alert.action()));
        }
        return lines;
    }

    /** Plain text: the title, then one line per fact (mail, and the text of the generic webhook). */
    static String plain(AlertMessage alert, Instant now) {
        StringBuilder text = new StringBuilder(title(alert));
        for (Line line : lines(alert, now)) {
            text.append('\n').append(line);
        }
        return text.toString();
    }

    /** A duration as people say it: 45 s, 12 min, 3 h 5 min, 2 d 4 h. */
    static String ago(Duration age) {
        long seconds = Math.max(0, age.getSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
        }
        return seconds / 86_400 + " d" + (seconds % 86_400 / 3600 == 0 ? "" : " " + seconds % 86_400 / 3600 + " h");
    }
}
