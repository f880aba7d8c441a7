package routes.alerting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every alert and recovery the alert routes sent, one JSON line each in {@code <directory>/<task>.alerts.jsonl}, and
 * the suppression it implies: an alert passes when no alert of the same rule and table was sent within the minimum
 * interval, a recovery when its alert was sent and not yet recovered. The file is read back on start, so suppression
 * and history survive a restart.
 * <p>
 * A file beside the process rather than the task's own state on its target: alerts matter most when the target is
 * down or slow (the latency alert of a stopped target), and writing their history there would wait on that target;
 * the targets also keep their state in different stores (a JDBC schema, a Kafka topic, a state database). The file is
 * written before the notice is delivered, so a crash loses no entry; it holds no secrets.
 */
public final class AlertHistory {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(AlertHistory.class);

    /** What suppression needs of one rule on one table: when its last alert was sent, and whether it is still open. */
    private record Last(Instant alerted, boolean open, Instant began) {
    }

    private Path directory = defaultDirectory();
    private Duration minInterval = Duration.ofMinutes(5);
    private final Map<String, Map<String, Last>> tasks = new HashMap<>();
    /**
     * When this history began. Another rule set of the process may keep its history in the same directory (the example
     * files all default to one): what it sent after this began went to its channels, not to this one's, and must not
     * hold this one's alerts back. What was sent before (a previous run) counts, so suppression survives a restart.
     */
    private final Instant began = Instant.now();

    /** For the rule-set kamelet, which sets directory and interval. */
    public AlertHistory() {
    }

    public AlertHistory(Path directory, Duration minInterval) {
        this.directory = directory;
        this.minInterval = minInterval;
    }

    /** Where alert histories live unless a rule set names another directory: beside the API's token file. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".realtime-sync", "alerts");
    }

    public Path directory() {
        return directory;
    }

    /** The directory of the history files; empty for {@link #defaultDirectory()}. */
    public synchronized void setDirectory(String value) {
        directory = value == null || value.isBlank() ? defaultDirectory() : Path.of(value.trim());
        tasks.clear();
    }

    /** The minimum interval between two alerts of one rule on one table. */
    public Duration minInterval() {
        return minInterval;
    }

    /** The minimum interval between two alerts of one rule on one table. */
    public void setMinIntervalSeconds(long seconds) {
        minInterval = Duration.ofSeconds(seconds);
    }

    /** {@link #admitsAt} now: the rule-set route's suppression filter. */
    public boolean admits(AlertMessage notice) {
        return admitsAt(notice, Instant.now());
    }

    /** {@link #recordAt} now; the notice to deliver (a recovery with the time its condition began). */
    public AlertMessage record(AlertMessage notice) {
        return recordAt(notice, Instant.now());
    }

    /** The suppression: whether {@code notice} goes out now (see the class comment). */
    synchronized boolean admitsAt(AlertMessage notice, Instant now) {
        Last last = last(notice.task()).get(notice.key());
        if (notice.recovery()) {
            return last != null && last.open();
        }
        return last == null || !last.alerted().plus(minInterval).isAfter(now);
    }

    /** Keeps a notice that passed suppression, before it is delivered. */
    synchronized AlertMessage recordAt(AlertMessage notice, Instant sent) {
        Map<String, Last> last = last(notice.task());
        Last before = last.get(notice.key());
        if (notice.recovery() && before != null && before.open()) {
            notice = notice.since(before.began());
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("sent", sent.toString());
        entry.put("task", notice.task());
        entry.put("table", notice.table() == null ? "" : notice.table());
        entry.put("rule", notice.rule());
        entry.put("level", notice.level().name());
        entry.put("recovery", notice.recovery());
        entry.put("value", notice.value() == null ? "" : notice.value());
        entry.put("threshold", notice.threshold() == null ? "" : notice.threshold());
        entry.put("since", notice.since().toString());
        entry.put("action", notice.action() == null ? "" : notice.action());
        try {
            Files.createDirectories(directory);
            Files.writeString(file(directory, notice.task()), JSON.writeValueAsString(entry) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            // The alert still goes out; only its history (and suppression after a restart) misses it.
            LOG.warn("Cannot keep the alert history in {}: {}", directory, e.getMessage());
        }
        last.put(notice.key(), next(before, notice.recovery(), sent, notice.since()));
        return notice;
    }

    /** What the history remembers of a rule on a table after a notice: an alert opens (or goes on with) an episode. */
    private static Last next(Last before, boolean recovery, Instant sent, Instant since) {
        if (recovery) {
            return new Last(before == null ? sent : before.alerted(), false, before == null ? since : before.began());
        }
        return new Last(sent, true, before != null && before.open() ? before.began() : since);
    }

    /** Every alert and recovery sent for {@code task}, oldest first; empty when there is none. */
    public static List<Map<String, Object>> read(Path directory, String task) {
        Path file = file(directory, task);
        List<Map<String, Object>> entries = new ArrayList<>();
        if (!Files.isReadable(file)) {
            return entries;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> entry = JSON.readValue(line, LinkedHashMap.class);
                    entries.add(entry);
                } catch (IOException e) {
                    // A line cut short by a crash: the ones before it stand.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the alert history " + file + ": " + e.getMessage(), e);
        }
        return entries;
    }

    /**
     * Every alert and recovery sent for {@code task} by the rule sets of {@code context} (and any kept in the default
     * directory by an earlier run), oldest first.
     */
    public static List<Map<String, Object>> sent(org.apache.camel.CamelContext context, String task) {
        java.util.Set<Path> directories = new java.util.LinkedHashSet<>();
        context.getRegistry().findByType(AlertHistory.class).forEach(history -> directories.add(history.directory()));
        directories.add(defaultDirectory());
        List<Map<String, Object>> entries = new ArrayList<>();
        directories.forEach(directory -> entries.addAll(read(directory, task)));
        entries.sort(java.util.Comparator.comparing(entry -> String.valueOf(entry.get("sent"))));
        return entries;
    }

    private Map<String, Last> last(String task) {
        return tasks.computeIfAbsent(task, t -> {
            Map<String, Last> last = new HashMap<>();
            for (Map<String, Object> entry : read(directory, t)) {
                JsonNode node = JSON.valueToTree(entry);
                String key = node.path("rule").asText() + "|" + node.path("table").asText();
                Instant sent = Instant.parse(node.path("sent").asText());
                if (sent.isAfter(began)) {
                    continue; // another rule set's, sent while this one runs
                }
                Last before = last.get(key);
                last.put(key, next(before, node.path("recovery").asBoolean(), sent, Instant.parse(node.path("since").asText())));
            }
            return last;
        });
    }

    static Path file(Path directory, String task) {
        return directory.resolve(task.replaceAll("[^A-Za-z0-9_.-]", "_") + ".alerts.jsonl");
    }
}
