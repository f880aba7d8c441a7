package routes.sink.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import routes.ops.TaskProblem;
import routes.sink.TargetNaming;

/**
 * The topic of each source table, from the same rule and variables as the JDBC sink's target table names (see
 * {@link TargetNaming}). Kafka takes topic names of 1 to 249 characters from {@code [a-zA-Z0-9._-]}, not "." or "..".
 * A name with other characters has each replaced by {@code _} (as Debezium does with its topic names), or, with
 * {@code invalidTopicNames=stop}, its table is stopped with the reason; a name still unusable after replacement (too
 * long, empty, "." or "..") stops its table either way: cutting it could send two tables into one topic.
 */
final class TopicNaming {

    /** Debezium's own topic names: topic prefix (the task), schema (MySQL family: database) and table. */
    static final String DEFAULT_RULE = "${" + TargetNaming.DATASOURCE + "}.${" + TargetNaming.SCHEMA + "}.${" + TargetNaming.TABLE + "}";
    static final int MAX_LENGTH = 249;

    private static final Pattern INVALID = Pattern.compile("[^a-zA-Z0-9._-]");

    /** A table's topic, or why the table cannot have one (then {@code topic} is null). */
    record Decision(String topic, String problem) {
    }

    private final TargetNaming naming;
    private final boolean replace;

    TopicNaming(String rule, String invalidTopicNames) {
        this.naming = new TargetNaming(rule == null || rule.isBlank() ? DEFAULT_RULE : rule);
        String mode = invalidTopicNames == null || invalidTopicNames.isBlank() ? "replace" : invalidTopicNames.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("replace") && !mode.equals("stop")) {
            throw new TaskProblem("The kafka-sink setting invalidTopicNames '" + invalidTopicNames + "' does not exist: use replace or stop.");
        }
        this.replace = mode.equals("replace");
    }

    Decision topicFor(Map<String, String> variables) {
        String name = naming.apply(variables);
        Matcher invalid = INVALID.matcher(name);
        if (invalid.find()) {
            if (!replace) {
                return new Decision(null, "its topic name '" + name + "' holds '" + invalid.group() + "', which Kafka does not allow in "
                        + "topic names (only a-z, A-Z, 0-9, '.', '_' and '-'); set invalidTopicNames to replace, or change the "
                        + "topic rule, e.g. ${table_name/[^a-zA-Z0-9._-]/_}");
            }
            name = INVALID.matcher(name).replaceAll("_");
        }
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return new Decision(null, "its topic name would be '" + name + "', which Kafka does not allow; change the topic rule");
        }
        if (name.length() > MAX_LENGTH) {
            return new Decision(null, "its topic name '" + name.substring(0, 40) + "...' has " + name.length() + " characters, more "
                    + "than the " + MAX_LENGTH + " Kafka allows; shorten it with the topic rule, e.g. ${table_name/^(.{0,100}).*$/$1}");
        }
        return new Decision(name, null);
    }
}
