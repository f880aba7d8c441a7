package routes.sink;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The idempotent consumer's repository for the append log, keyed by source position ({@code position|table}). It is
 * persistent because it is the target itself: a change is known when its rows are in the target table, committed in
 * the same transaction as the source position. A change the capture delivers again after a crash is thus recognised
 * exactly, and nothing is remembered that the target does not hold.
 */
public class AppendLogPositions extends ServiceSupport implements IdempotentRepository {

    private JdbcMergeWriter writer;

    public void setWriter(JdbcMergeWriter writer) {
        this.writer = writer;
    }

    @Override
    public boolean add(String key) {
        return !writer.hasAppended(key);
    }

    @Override
    public boolean contains(String key) {
        return writer.hasAppended(key);
    }

    /** Nothing to undo: a change is known only once the target holds it. */
    @Override
    public boolean remove(String key) {
        return true;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        // the target's rows are the memory: they are not cleared from here
    }
}
