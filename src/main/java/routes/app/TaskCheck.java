package routes.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import routes.capture.SourceDatabase;
import routes.ops.PreflightFindings;
import routes.ops.TaskProblem;
import routes.schema.TableSchema;
import routes.state.TaskRegistry;
import routes.state.TaskSink;

/**
 * {@code check TASK.yaml...}: sets the tasks up as {@code run} does, with no route started, so no capture engine runs
 * and nothing is written (no slot, no publication, no target table, no state). The start-up checks hand their sources
 * over ({@link PreflightFindings}) instead of stopping on the first problem; each task's sink then checks its target
 * and the source, and the source its tables. Every problem is one line saying how to fix it.
 */
final class TaskCheck {

    private final PrintStream out;

    TaskCheck(PrintStream out) {
        this.out = out;
    }

    /** 0 when every task is ready (one line each), 1 when a problem was found (one line each). */
    int check(String routesIncludePattern) {
        PreflightFindings findings = new PreflightFindings();
        Main main = new Main();
        main.configure().withRoutesIncludePattern(routesIncludePattern).withAutoStartup(false);
        main.bind(PreflightFindings.BEAN, findings);
        try {
            return StartedOnce.run(main, 1, context -> report(context, findings));
        } catch (Exception e) {
            findings.problems().forEach(this::print);
            out.println("problem: " + RealtimeSync.explain(e));
            return 1;
        }
    }

    private int report(CamelContext context, PreflightFindings findings) {
        List<TaskProblem> problems = new ArrayList<>(findings.problems());
        List<String> ready = new ArrayList<>();
        if (findings.sources().isEmpty()) {
            problems.add(new TaskProblem("No task found: a task route starts from a realtime-sync source kamelet "
                    + "(e.g. kamelet:postgres-cdc-source, see examples/)."));
        }
        for (Map.Entry<String, SourceDatabase> task : findings.sources().entrySet()) {
            SourceDatabase source = task.getValue();
            TaskSink sink;
            try {
                sink = TaskRegistry.of(context).task(task.getKey()).awaitWriter(5);
            } catch (TimeoutException e) {
                problems.add(new TaskProblem(e.getMessage()));
                continue;
            }
            List<TaskProblem> found = new ArrayList<>(sink.preflight(source));
            List<TableSchema> tables = List.of();
            try {
                tables = source.tables();
                if (tables.isEmpty()) {
                    found.add(new TaskProblem("No table of " + source.describe() + " matches the task's table selection: check the "
                            + "schema and table lists (regular expressions over schema and schema.table)."));
                }
                found.addAll(source.tableProblems(tables));
            } catch (TaskProblem unreadable) {
                if (found.isEmpty()) {
                    found.add(unreadable); // else the source is unreachable, which is said already
                }
            }
            found.forEach(problem -> problems.add(new TaskProblem("task '" + task.getKey() + "': " + problem.getMessage(), problem)));
            if (found.isEmpty()) {
                ready.add("task '" + task.getKey() + "': " + tables.size() + (tables.size() == 1 ? " table" : " tables") + " from "
                        + source.describe() + " into " + sink.describeTarget());
            }
        }
        problems.forEach(this::print);
        if (!problems.isEmpty()) {
            out.println("realtime-sync: " + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                    + " found; nothing was written anywhere");
            return 1;
        }
        ready.forEach(line -> out.println("ready: " + line));
        return 0;
    }

    private void print(TaskProblem problem) {
        out.println("problem: " + problem.getMessage());
    }
}
