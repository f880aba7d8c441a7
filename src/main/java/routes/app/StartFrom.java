package routes.app;

import java.util.List;

import routes.state.StartPosition;

/** {@code run}'s {@code --start-from X}: where the tasks start reading their source this once (docs/start-positions.md). */
final class StartFrom {

    private StartFrom() {
    }

    /** The position the arguments name (null when none); removes the option from {@code args}. */
    static StartPosition take(List<String> args) {
        int at = args.indexOf(StartPosition.OPTION);
        if (at < 0) {
            return null;
        }
        if (at + 1 >= args.size()) {
            throw new IllegalArgumentException(StartPosition.OPTION + " needs a value: " + StartPosition.EXAMPLES);
        }
        String value = args.get(at + 1);
        args.remove(at + 1);
        args.remove(at);
        return StartPosition.parse(value);
    }
}
