package routes.sink;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import routes.ops.TaskProblem;

/**
 * Target table names from a rule with built-in variables, as in {@code ods_${source_database_name}_${table_name}}.
 * A variable may carry a replacement in shell style, {@code ${table_name/^dev_/prd_}} (a regular expression and its
 * replacement); text outside variables is kept; a rule without variables is a constant (every table into one).
 */
public final class TargetNaming {

    /** The variables a rule may use. */
    public static final String DATASOURCE = "source_datasource_name";
    public static final String DATABASE = "source_database_name";
    public static final String SCHEMA = "source_schema_name";
    public static final String TABLE = "table_name";

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-z_]+)(?:/((?:[^/}\\\\]|\\\\.)*)/((?:[^/}\\\\]|\\\\.)*))?}");

    private final String rule;

    public TargetNaming(String rule) {
        this.rule = rule == null || rule.isBlank() ? "${" + TABLE + "}" : rule;
        Matcher m = VARIABLE.matcher(this.rule);
        while (m.find()) {
            if (!Map.of(DATASOURCE, 1, DATABASE, 1, SCHEMA, 1, TABLE, 1).containsKey(m.group(1))) {
                throw new TaskProblem("The target table rule '" + this.rule + "' uses ${" + m.group(1) + "}, which does not exist; "
                        + "use ${" + DATASOURCE + "}, ${" + DATABASE + "}, ${" + SCHEMA + "} or ${" + TABLE + "}.");
            }
        }
    }

    /** The target name for a source table described by the variables' values. */
    public String apply(Map<String, String> values) {
        Matcher m = VARIABLE.matcher(rule);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (m.group(2) != null) {
                value = value.replaceAll(m.group(2).replace("\\/", "/"), m.group(3).replace("\\/", "/"));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
