package routes.change;

/**
 * What a captured event is, set as a header by the normaliser so that routes decide with a content-based router.
 */
public enum ChangeKind {
    /** An insert, update, delete or snapshot read of a table with a primary key. */
    ROW,
    /** A row of a table without a primary key: it cannot be synced safely and is reported, not written. */
    NO_KEY,
    /** A schema change statement (MySQL-family sources send them; PostgreSQL sends none). */
    SCHEMA,
    /** A TRUNCATE of a captured table (body: its {@link TableId}). */
    TRUNCATE,
    /** A heartbeat: nothing to write, but its position lets the source release log. */
    HEARTBEAT,
    /** A Kafka-style delete tombstone: nothing to write. */
    TOMBSTONE,
    /**
     * Where a source transaction begins or ends: nothing to write; the capture task commits the target only between
     * transactions (routes.capture.SourceTransactions, routes.state.TransactionBoundary).
     */
    TRANSACTION;

    /** Header carrying the kind. */
    public static final String HEADER = "RealtimeSyncKind";
    /** Header carrying the source table as "schema.table" text, the aggregator's correlation key. */
    public static final String TABLE_HEADER = "RealtimeSyncTable";
}
