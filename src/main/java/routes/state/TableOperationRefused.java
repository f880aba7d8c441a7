package routes.state;

/**
 * An operation on a table that cannot be done in the table's present state or on this target; the message says why in
 * one line. Nothing was changed.
 */
public class TableOperationRefused extends Exception {

    public TableOperationRefused(String message) {
        super(message);
    }
}
