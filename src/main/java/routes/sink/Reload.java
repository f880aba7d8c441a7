package routes.sink;

import routes.state.TableState;

/**
 * What an operator's reload of one table copies anew (docs/table-operations.md): all its rows, which then replace the
 * table's rows (a resync), or the rows a filter selects, which are merged into them (a backfill); and whether the
 * table's changes still reach it meanwhile (they are held either way, for the reload's finish).
 *
 * @param where the backfill's filter, a condition on the source table; null for a resync
 * @param rebuild a resync of a stopped table whose source changed its structure since: the staging table takes the
 *     source's current structure and then the table's place
 */
record Reload(boolean live, String where, boolean rebuild) {

    static Reload resync(boolean live) {
        return new Reload(live, null, false);
    }

    static Reload backfill(String where) {
        return new Reload(true, where, false);
    }

    /** A resync of a stopped table that rebuilds it with the source's current structure (its changes are held meanwhile). */
    static Reload rebuildWithNewStructure() {
        return new Reload(false, null, true);
    }

    boolean isBackfill() {
        return where != null;
    }

    TableState state() {
        return isBackfill() ? TableState.BACKFILLING : TableState.RESYNCING;
    }

    /** What the table's state says while the reload runs. */
    String reason() {
        return isBackfill() ? "backfill: the source rows where " + where + " are copied into a staging table, then merged"
                : rebuild ? "resync: the table is rebuilt with the source's current structure in a staging table, which then takes its place"
                : "resync: its rows are copied anew into a staging table, which then replaces them";
    }

    String name() {
        return isBackfill() ? "backfill" : "resync";
    }
}
