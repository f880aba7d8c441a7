package routes.change;

/**
 * A table's name on one side of a task: schema (or database, for MySQL) and table, both as the server spells them.
 * Never parsed from a dotted string, so names holding dots, spaces or quotes stay intact.
 */
public record TableId(String schema, String table) {

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
