package routes.app;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.core.filter.AbstractFilterable;

import routes.ops.TaskProblem;

/**
 * Keeps a {@link TaskProblem} to the one line the task's status reports for it. Debezium's engine logs the exception
 * that stopped it twice more, each with its stack trace, and Camel a failed close of that stopped engine; those events
 * are dropped unless the log level is DEBUG.
 */
final class ReportedProblemFilter extends AbstractFilter {

    private ReportedProblemFilter() {
    }

    /** Adds the filter to the console appender of our log configuration, if it is the one in use. */
    static void install() {
        if (!(LogManager.getContext(false) instanceof LoggerContext context)
                || context.getRootLogger().isDebugEnabled()) {
            return;
        }
        Appender console = context.getConfiguration().getAppender("console");
        if (console instanceof AbstractFilterable filterable) {
            ReportedProblemFilter filter = new ReportedProblemFilter();
            filter.start();
            filterable.addFilter(filter);
        }
    }

    @Override
    public Filter.Result filter(LogEvent event) {
        for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
            if (t instanceof TaskProblem || closedStoppedEngine(t)) {
                return Filter.Result.DENY;
            }
        }
        return Filter.Result.NEUTRAL;
    }

    /**
     * Camel's Debezium consumer closes its engine when the route stops, also when the engine already stopped (or is
     * stopping) on the error the task reported; Debezium then throws ("Engine has been already shut down", "Cannot
     * change engine state to 'STOPPING'"), and Camel logs it with its stack trace. The engine is down either way.
     */
    private static boolean closedStoppedEngine(Throwable t) {
        StackTraceElement[] stack = t.getStackTrace();
        return t instanceof IllegalStateException && stack.length > 0
                && stack[0].getClassName().startsWith("io.debezium.embedded.async.AsyncEmbeddedEngine")
                && java.util.Arrays.stream(stack).anyMatch(frame -> frame.getMethodName().equals("close"));
    }
}
