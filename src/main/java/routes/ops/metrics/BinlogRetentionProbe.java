package routes.ops.metrics;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import routes.state.SyncTask;

/**
 * MySQL family: how long until the oldest binlog file the task still needs (the file of the position committed with
 * the target's data) would expire. The server purges a closed file once its modification time is older than
 * {@code binlog_expire_logs_seconds} (or {@code expire_logs_days}); a file is last written when the server switches to
 * the next one, whose first event (its format description) carries that time. Neither MySQL's nor MariaDB's
 * {@code SHOW BINARY LOGS} tells file times, so that one event is read over the replication protocol, once per file.
 * The file still being written cannot expire yet: it has the whole period ahead once it closes. +Inf when the server
 * never expires binlogs; 0 when the file is gone.
 */
final class BinlogRetentionProbe extends SourceProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile double headroom = Double.NaN;
    /** When each closed file began (epoch seconds), by name: it never changes. */
    private final Map<String, Long> fileStarts = new ConcurrentHashMap<>();

    BinlogRetentionProbe(SyncTask task) {
        super(task);
    }

    @Override
    protected void register(MeterRegistry registry, Tags tags) {
        Gauge.builder(TaskMetrics.PREFIX + "binlog.headroom.seconds", this, p -> p.headroom).tags(tags).strongReference(true)
                .description("Seconds until the oldest binlog file the task still needs would expire").register(registry);
    }

    @Override
    protected void probe() throws Exception {
        String needed = neededFile(task.position());
        if (needed == null) {
            headroom = Double.NaN; // nothing committed yet
            return;
        }
        Map<String, String> settings = task.captureSettings();
        List<String> files = new ArrayList<>();
        Map<String, String> variables = new HashMap<>();
        long now;
        try (Connection c = connect(settings); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
                while (rs.next()) {
                    files.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN "
                    + "('binlog_expire_logs_seconds', 'expire_logs_days', 'binlog_expire_logs_auto_purge')")) {
                while (rs.next()) {
                    variables.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT UNIX_TIMESTAMP()")) {
                rs.next();
                now = rs.getLong(1);
            }
        }
        double expire = expireSeconds(variables);
        int at = files.indexOf(needed);
        if (at < 0) {
            headroom = 0;
        } else if (Double.isInfinite(expire) || at == files.size() - 1) {
            headroom = expire;
        } else {
            String next = files.get(at + 1);
            Long closed = fileStarts.get(next);
            if (closed == null) {
                closed = firstEventSeconds(settings, next);
                fileStarts.put(next, closed);
            }
            headroom = Math.max(0, expire - (now - closed));
        }
    }

    @Override
    protected void forget() {
        headroom = Double.NaN;
    }

    /** The binlog file of a committed MySQL-family position (Debezium's offset JSON); null when it names none. */
    static String neededFile(String position) {
        if (position == null || position.isBlank()) {
            return null;
        }
        try {
            JsonNode file = JSON.readTree(position).get("file");
            return file == null || file.asText().isEmpty() ? null : file.asText();
        } catch (Exception e) {
            return null;
        }
    }

    /** The expiry period in seconds, +Inf when the server never purges binlogs by age. */
    static double expireSeconds(Map<String, String> variables) {
        if ("OFF".equalsIgnoreCase(variables.get("binlog_expire_logs_auto_purge"))) {
            return Double.POSITIVE_INFINITY; // MySQL 8.0.29+: expiry switched off
        }
        double seconds = number(variables.get("binlog_expire_logs_seconds"));
        if (seconds > 0) {
            return seconds;
        }
        double days = number(variables.get("expire_logs_days")); // MariaDB takes fractions of days
        return days > 0 ? days * 86_400 : Double.POSITIVE_INFINITY;
    }

    private static double number(String value) {
        try {
            return value == null ? 0 : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The time of a binlog file's format description event, its first: read over the replication protocol. */
    private static long firstEventSeconds(Map<String, String> settings, String file) throws Exception {
        BinaryLogClient client = new BinaryLogClient(settings.get("database.hostname"),
                Integer.parseInt(settings.getOrDefault("database.port", "3306")), settings.getOrDefault("database.user", ""),
                settings.getOrDefault("database.password", ""));
        client.setBinlogFilename(file);
        client.setBinlogPosition(4);
        // A replica id of its own, far from the ones people and Debezium pick; the session lasts one event.
        client.setServerId(0x40000000L + ThreadLocalRandom.current().nextLong(0x3FFFFFFEL));
        client.setKeepAlive(false);
        client.setBlocking(false);
        client.setConnectTimeout(10_000);
        AtomicLong millis = new AtomicLong();
        CountDownLatch seen = new CountDownLatch(1);
        client.registerEventListener(event -> {
            if (event.getHeader().getEventType() == EventType.FORMAT_DESCRIPTION && event.getHeader().getTimestamp() > 0
                    && millis.compareAndSet(0, event.getHeader().getTimestamp())) {
                seen.countDown();
            }
        });
        try {
            client.connect(10_000);
            if (!seen.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("binlog " + file + " sent no format description event within 10 s");
            }
        } finally {
            client.disconnect();
        }
        return millis.get() / 1000;
    }

    private static Connection connect(Map<String, String> settings) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("user", settings.getOrDefault("database.user", ""));
        properties.setProperty("password", settings.getOrDefault("database.password", ""));
        properties.setProperty("connectTimeout", "10000");
        properties.setProperty("socketTimeout", "10000");
        properties.setProperty("allowPublicKeyRetrieval", "true");
        return DriverManager.getConnection("jdbc:mariadb://" + settings.get("database.hostname") + ":"
                + settings.getOrDefault("database.port", "3306") + "/", properties);
    }
}
