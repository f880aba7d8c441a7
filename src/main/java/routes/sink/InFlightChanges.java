package routes.sink;

/**
 * Counts row changes handed to the aggregator that the writer has not applied yet. A commit waits until it is zero,
 * so a batch that the aggregator's timeout thread completed concurrently is never left out of the commit that
 * records its source position.
 */
public final class InFlightChanges {

    private long count;

    public synchronized void added(int changes) {
        count += changes;
    }

    public synchronized void applied(int changes) {
        count -= changes;
        if (count <= 0) {
            notifyAll();
        }
    }

    /** Waits up to the given time for every change handed over to be applied; true when none is left. */
    public synchronized boolean awaitNone(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (count > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}
