package routes.sink;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

import routes.change.ChangeEvent;
import routes.change.SourceOperation;
import routes.ops.TaskProblem;
import routes.schema.SettingList;

/**
 * The sink's {@code dmlFilter} setting: which captured operations of which tables are written. Entries are
 * {@code table-regex=operations} separated by semicolons; the regular expression must match the whole source
 * {@code schema.table}, operations are insert, update and delete joined by commas, or none; the first matching
 * entry decides and a table no entry matches keeps every operation. Full-load rows always pass: the rule is about
 * changes, not about which rows a table holds. As a {@link Predicate} (the route's filter) it matches the changes
 * to leave out; it is called for every row, so it is checked directly rather than through a bean method call.
 */
public class DmlFilter implements Predicate {

    private record Rule(Pattern table, Set<SourceOperation> operations) {
    }

    private List<Rule> rules = List.of();

    /** Called by Camel with the kamelet parameter; empty keeps every change. */
    public void setRules(String setting) {
        List<Rule> parsed = new ArrayList<>();
        for (String entry : SettingList.entries(setting)) {
            // Operations hold no '=', a regular expression may ("(?=...)").
            int eq = entry.lastIndexOf('=');
            if (eq <= 0) {
                throw problem(entry, "write table-regex=operations");
            }
            parsed.add(new Rule(pattern(entry, entry.substring(0, eq).trim()), operations(entry, entry.substring(eq + 1))));
        }
        rules = List.copyOf(parsed);
    }

    @Override
    public boolean matches(Exchange exchange) {
        return exchange.getMessage().getBody() instanceof ChangeEvent change && rejects(change);
    }

    /** True when the change is a captured operation the task's rules leave out. */
    public boolean rejects(@Body ChangeEvent change) {
        if (rules.isEmpty() || change.sourceOperation() == SourceOperation.FULL_LOAD) {
            return false;
        }
        String table = change.table().toString();
        for (Rule rule : rules) {
            if (rule.table().matcher(table).matches()) {
                return !rule.operations().contains(change.sourceOperation());
            }
        }
        return false;
    }

    private static Pattern pattern(String entry, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw problem(entry, "'" + regex + "' is not a regular expression (" + e.getDescription() + ")");
        }
    }

    private static Set<SourceOperation> operations(String entry, String list) {
        Set<SourceOperation> operations = EnumSet.noneOf(SourceOperation.class);
        for (String name : list.split(",")) {
            String op = name.trim().toLowerCase(Locale.ROOT);
            switch (op) {
                case "insert" -> operations.add(SourceOperation.INSERT);
                case "update" -> operations.add(SourceOperation.UPDATE);
                case "delete" -> operations.add(SourceOperation.DELETE);
                case "none" -> {
                }
                default -> throw problem(entry, "'" + op + "' is not an operation; use insert, update, delete or none");
            }
        }
        return operations;
    }

    private static TaskProblem problem(String entry, String what) {
        return new TaskProblem("The jdbc-merge-sink setting dmlFilter has a bad entry '" + entry + "': " + what + ".");
    }
}
