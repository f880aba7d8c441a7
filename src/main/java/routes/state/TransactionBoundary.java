package routes.state;

/**
 * Whether a task's capture stands inside a source transaction or between two, as the capture engine's thread reports
 * the transaction markers the route has processed. The target commits only between transactions, so none is ever
 * visible in part; rows outside transactions (full load, heartbeats) are boundaries of their own.
 */
public final class TransactionBoundary {

    private volatile boolean open;

    /** The route has processed a transaction's BEGIN marker. */
    public void begun() {
        open = true;
    }

    /** The route has processed a transaction's END marker. */
    public void ended() {
        open = false;
    }

    /** The capture starts (again) at the position the target committed, which is a boundary. */
    public void restarted() {
        open = false;
    }

    /** Whether the records processed so far end outside any source transaction, so that committing them cuts none. */
    public boolean atBoundary() {
        return !open;
    }
}
