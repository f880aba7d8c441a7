package routes.state;

/**
 * A source table's status as its task records it for people to read: the {@code status} column of
 * {@code realtime_sync.table_status} (JDBC targets, and the state database of Stream Load targets) and the
 * {@code status} field of {@code table:<schema.table>} in a Kafka target's state topic. Every target uses these names.
 */
public enum TableState {
    /** Its changes reach the target while the task runs. */
    SYNCING,
    /**
     * Paused by an operator: its changes are held in the target ({@code realtime_sync.held_changes}), committed with
     * the offsets that pass them, and applied in source order when it is resumed. Stays paused across restarts.
     */
    PAUSED,
    /**
     * Being reloaded while the task streams (an operator's resync): its rows are copied into a staging table, its
     * changes held meanwhile, and the staging table, brought up to date, replaces the table's rows in one commit.
     */
    RESYNCING,
    /**
     * The source rows an operator's filter selects are being copied anew (a backfill) while the table streams: copied
     * into a staging table, then merged into the table, with the changes made meanwhile, in one commit.
     */
    BACKFILLING,
    /** This table stopped, with the reason; the task's other tables go on. Stays stopped across restarts until a reload. */
    STOPPED,
    /** Not synced: no primary key, or a schema-change policy left it out (the reason says which). */
    SKIPPED,
    /**
     * Left the task's selection (its include or exclude lists changed, or it is gone from the source) while the task was
     * away: its target table keeps its rows and gets no more changes. Added back, it is loaded anew.
     */
    DESELECTED,
    /** Dropped on the source. */
    DROPPED,
    /** Renamed on the source; the reason names the new name. */
    RENAMED,
    /**
     * It was syncing when the whole task stopped on an error, the reason: nothing reaches the target until the task
     * starts again, which makes it SYNCING again.
     */
    TASK_STOPPED
}
