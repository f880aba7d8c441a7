package routes.change;

/**
 * A table's name on one side of a task: schema (or database, for MySQL) and table, both as the server spells them.
 * Never parsed from a dotted string (but see {@link #ofStateName}), so names holding dots, spaces or quotes stay intact.
 */
public record TableId(String schema, String table) {

    /**
     * The table a task's state names by {@link #toString} alone (a table_status row of a table that left the task's
     * selection, which no catalog describes any more): split at the first dot, so its {@code toString} gives that name
     * back, though a schema whose name holds a dot is split wrongly.
     */
    public static TableId ofStateName(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? new TableId("", name) : new TableId(name.substring(0, dot), name.substring(dot + 1));
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
