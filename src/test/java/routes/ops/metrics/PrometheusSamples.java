package routes.ops.metrics;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample out of Prometheus text, for tests that check what /observe/metrics shows. */
public final class PrometheusSamples {

    private static final Pattern VALUE = Pattern.compile("} (\\S+)$");

    private PrometheusSamples() {
    }

    /** The value of the first line of {@code metric} that has every one of {@code labels} (as {@code name="value"}); NaN when none has. */
    public static double sample(String text, String metric, String... labels) {
        for (String line : text.split("\n")) {
            if (!line.startsWith(metric + "{")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= label == null || line.contains(label);
            }
            Matcher m = VALUE.matcher(line);
            if (all && m.find()) {
                return Double.parseDouble(m.group(1).replace("+Inf", "Infinity"));
            }
        }
        return Double.NaN;
    }
}
