package routes.ops;

/**
 * A problem a person has to fix (a setting, a server, a privilege). Its message says what is wrong and how to fix
 * it, in one line, and is shown without a stack trace.
 */
public class TaskProblem extends RuntimeException {

    public TaskProblem(String message) {
        super(message);
    }

    public TaskProblem(String message, Throwable cause) {
        super(message, cause);
    }
}
