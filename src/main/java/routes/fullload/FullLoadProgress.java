package routes.fullload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.change.TableId;

/** Rows copied per table against the source's estimate, reported as rows, rate and time left. */
final class FullLoadProgress {

    private static final Logger LOG = LoggerFactory.getLogger(FullLoadProgress.class);

    private record Table(long expected, AtomicLong copied, long startedWith) {
    }

    private final String task;
    private final long started = System.nanoTime();
    private final Map<TableId, Table> tables = new LinkedHashMap<>();

    FullLoadProgress(String task) {
        this.task = task;
    }

    /** A table to report on: about {@code expected} rows, {@code alreadyCopied} of them by an earlier run. */
    void expect(TableId table, long expected, long alreadyCopied) {
        tables.put(table, new Table(expected, new AtomicLong(alreadyCopied), alreadyCopied));
    }

    void copied(TableId table, long rows) {
        tables.get(table).copied().addAndGet(rows);
    }

    /** One line per table still loading, and one for the whole load. */
    void report() {
        double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
        long all = 0;
        long allExpected = 0;
        long allNew = 0;
        for (Map.Entry<TableId, Table> entry : tables.entrySet()) {
            Table t = entry.getValue();
            long copied = t.copied().get();
            all += copied;
            allExpected += Math.max(t.expected(), copied);
            allNew += copied - t.startedWith();
            if (copied > t.startedWith() && copied < t.expected()) {
                LOG.info("Task '{}': full load of {}: {}", task, entry.getKey(), line(copied, t.expected(), (copied - t.startedWith()) / seconds));
            }
        }
        LOG.info("Task '{}': full load: {}", task, line(all, allExpected, allNew / seconds));
    }

    long total() {
        return tables.values().stream().mapToLong(t -> t.copied().get()).sum();
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private static String line(long copied, long expected, double rate) {
        String percent = expected > 0 ? String.format(" (%d%%)", Math.min(100, copied * 100 / expected)) : "";
        String left = rate > 0 && expected > copied ? String.format(", about %d s left", (long) ((expected - copied) / rate)) : "";
        return String.format("%,d of about %,d rows%s, %,.0f rows/s%s", copied, expected, percent, rate, left);
    }
}
