package routes.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;

import routes.capture.SourceDatabase;

/**
 * Bound in a CamelContext only by the {@code check} command: the start-up checks then hand over what they would check
 * (each task's source) and what they found (a kamelet parameter no kamelet declares) instead of stopping the start on
 * the first problem, so that the command can report every problem without starting any capture.
 */
public final class PreflightFindings {

    public static final String BEAN = "realtimeSyncPreflightFindings";

    private final Map<String, SourceDatabase> sources = new LinkedHashMap<>();
    private final List<TaskProblem> problems = new ArrayList<>();

    /** The findings of the check under way in this context; null when the context runs its tasks. */
    public static PreflightFindings of(CamelContext context) {
        return context.getRegistry().lookupByNameAndType(BEAN, PreflightFindings.class);
    }

    public synchronized void source(String task, SourceDatabase source) {
        sources.put(task, source);
    }

    public synchronized void problem(TaskProblem problem) {
        problems.add(problem);
    }

    /** Each task's source, by task name, in the order the routes were set up. */
    public synchronized Map<String, SourceDatabase> sources() {
        return new LinkedHashMap<>(sources);
    }

    public synchronized List<TaskProblem> problems() {
        return new ArrayList<>(problems);
    }
}
