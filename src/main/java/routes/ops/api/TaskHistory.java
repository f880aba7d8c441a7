package routes.ops.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import routes.change.TableId;
import routes.state.SyncTask;
import routes.state.TaskRegistry;

/**
 * The last hour of each task and of each of its tables, for the console's charts: sampled every
 * {@value #INTERVAL_SECONDS} s from the registry's counters (by {@link TaskHistorySampling}'s timer route, never per
 * change) into rings of {@value #POINTS} points. A task's ring holds the times; each table's ring holds only its
 * latency (int milliseconds) and rows written (a long) per point: 12 bytes x 360 = 4,320 bytes, about 4.4 KB per table with
 * its arrays' and map entry's overhead, so 1,000 tables take about 4.4 MB.
 */
final class TaskHistory {

    static final int INTERVAL_SECONDS = 10;
    static final int POINTS = 360;
    /** A latency not known at a point (no commit yet). */
    private static final int UNKNOWN = -1;

    private final TaskRegistry registry;
    private final Map<String, Ring> tasks = new ConcurrentHashMap<>();

    TaskHistory(TaskRegistry registry) {
        this.registry = registry;
    }

    /** Takes one point of every task and table. */
    void sample() {
        sample(Instant.now());
    }

    void sample(Instant now) {
        for (SyncTask task : registry.tasks().values()) {
            tasks.computeIfAbsent(task.name(), n -> new Ring()).sample(task, now);
        }
    }

    /** The task's points of the last {@code minutes}, oldest first. */
    Map<String, Object> task(String task, int minutes, Instant now) {
        Ring ring = tasks.get(task);
        return answer(ring == null ? List.of() : ring.taskPoints(since(now, minutes)));
    }

    /** The table's points of the last {@code minutes}, oldest first (none before the task counted any of its rows). */
    Map<String, Object> table(String task, TableId table, int minutes, Instant now) {
        Ring ring = tasks.get(task);
        return answer(ring == null ? List.of() : ring.tablePoints(table, since(now, minutes)));
    }

    private static long since(Instant now, int minutes) {
        return now.minus(Duration.ofMinutes(minutes)).toEpochMilli();
    }

    private static Map<String, Object> answer(List<Map<String, Object>> points) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("intervalSeconds", INTERVAL_SECONDS);
        answer.put("points", points);
        return answer;
    }

    /** One task's ring: the sample times and task figures, and a ring per table aligned with it. */
    private static final class Ring {
        private final long[] at = new long[POINTS];
        private final int[] latency = new int[POINTS];
        private final long[] read = new long[POINTS];
        private final long[] written = new long[POINTS];
        private final Map<TableId, TableRing> tables = new HashMap<>();
        /** Points taken so far; point n is at index n % POINTS. */
        private long samples;

        synchronized void sample(SyncTask task, Instant now) {
            int i = (int) (samples % POINTS);
            at[i] = now.toEpochMilli();
            latency[i] = millis(task.commitLatency());
            read[i] = task.rowsRead();
            written[i] = task.rowsWritten();
            for (Map.Entry<TableId, SyncTask.TableCounters> entry : task.counters().entrySet()) {
                TableRing table = tables.computeIfAbsent(entry.getKey(), t -> new TableRing(samples));
                SyncTask.TableCommit last = entry.getValue().lastCommit();
                table.latency[i] = millis(last == null ? null : last.commitLatency());
                table.written[i] = entry.getValue().written();
            }
            samples++;
        }

        synchronized List<Map<String, Object>> taskPoints(long sinceMillis) {
            List<Map<String, Object>> points = new ArrayList<>();
            for (long n = Math.max(0, samples - POINTS); n < samples; n++) {
                int i = (int) (n % POINTS);
                if (at[i] >= sinceMillis) {
                    Map<String, Object> point = point(i, latency[i]);
                    point.put("rowsRead", read[i]);
                    point.put("rowsWritten", written[i]);
                    points.add(point);
                }
            }
            return points;
        }

        synchronized List<Map<String, Object>> tablePoints(TableId name, long sinceMillis) {
            List<Map<String, Object>> points = new ArrayList<>();
            TableRing table = tables.get(name);
            if (table == null) {
                return points;
            }
            for (long n = Math.max(table.first, samples - POINTS); n < samples; n++) {
                int i = (int) (n % POINTS);
                if (at[i] >= sinceMillis) {
                    Map<String, Object> point = point(i, table.latency[i]);
                    point.put("rowsWritten", table.written[i]);
                    points.add(point);
                }
            }
            return points;
        }

        private Map<String, Object> point(int i, int latencyMillis) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("at", Instant.ofEpochMilli(at[i]).toString());
            point.put("commitLatencySeconds", latencyMillis == UNKNOWN ? null : latencyMillis / 1000.0);
            return point;
        }

        private static int millis(Duration duration) {
            return duration == null ? UNKNOWN : (int) Math.min(Integer.MAX_VALUE - 1, duration.toMillis());
        }
    }

    /** A table's figures at each of its task's points since point {@code first}, when the table was first counted. */
    private static final class TableRing {
        private final long first;
        private final int[] latency = new int[POINTS];
        private final long[] written = new long[POINTS];

        TableRing(long first) {
            this.first = first;
        }
    }
}
