package routes.sink;

/**
 * Counts row changes handed to the aggregator that the writer has not applied yet. Camel writes completed batches
 * on the aggregator's own single thread, after the route has returned to the capture engine; a commit waits until
 * this count is zero, so no batch still queued there is left out of the commit that records its source position.
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
