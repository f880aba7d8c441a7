package routes.fullload;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.change.TableId;

/**
 * Rows copied per table against the source's estimate, reported as rows, rate and time left: logged, and as JMX
 * attributes ({@link FullLoadProgressMXBean}) while the load runs.
 */
final class FullLoadProgress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FullLoadProgress.class);

    private final class Table implements FullLoadProgressMXBean {
        private final long expected;
        private final AtomicLong copied;
        private final long startedWith;

        Table(long expected, long startedWith) {
            this.expected = expected;
            this.copied = new AtomicLong(startedWith);
            this.startedWith = startedWith;
        }

        long expected() {
            return expected;
        }

        AtomicLong copied() {
            return copied;
        }

        long startedWith() {
            return startedWith;
        }

        @Override
        public long getRowsCopied() {
            return copied.get();
        }

        @Override
        public long getRowsExpected() {
            return Math.max(expected, copied.get());
        }

        @Override
        public double getRowsPerSecond() {
            return (copied.get() - startedWith) / Math.max(0.001, (System.nanoTime() - started) / 1e9);
        }

        @Override
        public long getSecondsLeft() {
            double rate = getRowsPerSecond();
            long left = getRowsExpected() - copied.get();
            return left <= 0 ? 0 : rate <= 0 ? -1 : (long) (left / rate);
        }
    }

    private final String task;
    private final long started = System.nanoTime();
    private final Map<TableId, Table> tables = new LinkedHashMap<>();

    FullLoadProgress(String task) {
        this.task = task;
    }

    /** A table to report on: about {@code expected} rows, {@code alreadyCopied} of them by an earlier run. */
    void expect(TableId table, long expected, long alreadyCopied) {
        Table progress = new Table(expected, alreadyCopied);
        tables.put(table, progress);
        try {
            ObjectName name = name(table);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(progress, name);
        } catch (JMException e) {
            LOG.warn("Task '{}': full-load progress of {} is not published over JMX: {}", task, table, e.getMessage());
        }
    }

    ObjectName name(TableId table) throws MalformedObjectNameException {
        return new ObjectName("realtime-sync:type=full-load,task=" + ObjectName.quote(task) + ",table=" + ObjectName.quote(table.toString()));
    }

    /** The load is over: its JMX attributes go away with it. */
    @Override
    public void close() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (TableId table : tables.keySet()) {
            try {
                if (server.isRegistered(name(table))) {
                    server.unregisterMBean(name(table));
                }
            } catch (JMException ignored) {
                // nothing left to clean up
            }
        }
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
