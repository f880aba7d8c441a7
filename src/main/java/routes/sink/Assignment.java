package routes.sink;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import routes.ops.TaskProblem;
import routes.schema.Column;

/**
 * One entry of the sink's {@code assignments} setting, {@code name type=value}: an extra target column, its type
 * (written as the source names its types: it goes through the task's type mapping like the source's own columns),
 * and where its value comes from.
 *
 * @param text the constant itself, the variable's name, or the Simple expression
 */
record Assignment(String column, String type, Kind kind, String text) {

    enum Kind { CONSTANT, VARIABLE, SIMPLE }

    static final String EVENT_TIME = "event_time";
    static final String OPERATION = "operation";
    static final String DATABASE = "source_database_name";
    static final String SCHEMA = "source_schema_name";
    static final String TABLE = "table_name";
    static final List<String> VARIABLES = List.of(EVENT_TIME, OPERATION, DATABASE, SCHEMA, TABLE);

    private static final Pattern ENTRY = Pattern.compile("(?s)\\s*(\\S+)\\s+([^=]+?)\\s*=\\s*(.*?)\\s*");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}");

    static Assignment parse(String entry) {
        Matcher m = ENTRY.matcher(entry);
        if (!m.matches()) {
            throw problem(entry, "write name type=value");
        }
        String column = m.group(1);
        String type = m.group(2);
        String value = m.group(3);
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
            return new Assignment(column, type, Kind.CONSTANT, value.substring(1, value.length() - 1).replace("''", "'"));
        }
        if (value.startsWith("simple:") && !value.substring(7).isBlank()) {
            return new Assignment(column, type, Kind.SIMPLE, value.substring(7));
        }
        Matcher variable = VARIABLE.matcher(value);
        if (variable.matches() && VARIABLES.contains(variable.group(1))) {
            return new Assignment(column, type, Kind.VARIABLE, variable.group(1));
        }
        throw problem(entry, "the value must be a constant in single quotes, one of the variables "
                + VARIABLES.stream().map(v -> "${" + v + "}").toList() + ", or simple:EXPRESSION");
    }

    /** The target column to create: nullable, since rows written before it existed hold no value. */
    Column asColumn() {
        return new Column(column, type, true);
    }

    private static TaskProblem problem(String entry, String what) {
        return new TaskProblem("The jdbc-merge-sink setting assignments has a bad entry '" + entry + "': " + what + ".");
    }
}
