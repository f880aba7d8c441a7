package routes.alerting;

import java.time.Instant;

/** An alert mail: the title as subject (what a phone's mail list shows), the facts one per line as plain text. */
final class MailFormat {

    record Mail(String subject, String body) {
    }

    private MailFormat() {
    }

    static Mail message(AlertMessage alert, Instant now) {
        StringBuilder body = new StringBuilder();
        for (AlertText.Line line : AlertText.lines(alert, now)) {
            body.append(body.isEmpty() ? "" : "\n").append(line);
        }
        return new Mail(AlertText.title(alert), body.toString());
    }
}
