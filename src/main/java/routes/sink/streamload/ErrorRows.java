package routes.sink.streamload;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rows a failed Stream Load refused, read from the text its ErrorURL serves: one line per row, the reason first,
 * then the row as it was sent ({@code Reason: ... . src line [{...}]; }). A line in another shape is kept whole as
 * its own reason, so nothing the target said is lost.
 */
public final class ErrorRows {

    private static final Pattern LINE = Pattern.compile("^\\s*Reason:\\s*(.*?)\\.?\\s*src line \\[(.*)];?\\s*$");

    /** One refused row: why, and the row's text as the load sent it (empty when the line does not show it). */
    public record Refused(String reason, String row) {
    }

    private ErrorRows() {
    }

    public static List<Refused> parse(String text) {
        List<Refused> rows = new ArrayList<>();
        if (text == null) {
            return rows;
        }
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            rows.add(m.matches() ? new Refused(m.group(1).trim(), m.group(2).trim()) : new Refused(line.trim(), ""));
        }
        return rows;
    }
}
