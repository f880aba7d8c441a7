package routes.ops.metrics;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Properties;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import routes.state.SyncTask;

/**
 * PostgreSQL: the WAL the task's replication slot keeps on the source (from the slot's restart_lsn to the server's
 * current WAL position), and the slot's {@code safe_wal_size}: how much more WAL may be written before the slot is
 * lost to {@code max_slot_wal_keep_size} (NaN when that is -1, unlimited: then the disk is the limit; 0 once the slot
 * is lost).
 */
final class PostgresSlotProbe extends SourceProbe {

    private static final String QUERY = "SELECT pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() "
            + "ELSE pg_current_wal_lsn() END, restart_lsn)::bigint, safe_wal_size, wal_status FROM pg_replication_slots WHERE slot_name = ?";

    private volatile double retained = Double.NaN;
    private volatile double headroom = Double.NaN;

    PostgresSlotProbe(SyncTask task) {
        super(task);
    }

    @Override
    protected void register(MeterRegistry registry, Tags tags) {
        Gauge.builder(TaskMetrics.PREFIX + "source.retained.bytes", this, p -> p.retained).tags(tags).strongReference(true)
                .description("WAL the task's replication slot keeps on the source").register(registry);
        Gauge.builder(TaskMetrics.PREFIX + "source.retention.headroom.bytes", this, p -> p.headroom).tags(tags).strongReference(true)
                .description("WAL that may still be written before the slot is lost (safe_wal_size)").register(registry);
    }

    @Override
    protected void probe() throws Exception {
        Map<String, String> settings = task.captureSettings();
        String slot = settings.getOrDefault("slot.name", "debezium");
        try (Connection c = connect(settings); PreparedStatement statement = c.prepareStatement(QUERY)) {
            statement.setString(1, slot);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("replication slot '" + slot + "' does not exist on the source");
                }
                long bytes = rs.getLong(1);
                retained = rs.wasNull() ? Double.NaN : bytes;
                long safe = rs.getLong(2);
                boolean unlimited = rs.wasNull();
                headroom = "lost".equals(rs.getString(3)) ? 0 : unlimited ? Double.NaN : Math.max(0, safe);
            }
        }
    }

    @Override
    protected void forget() {
        retained = Double.NaN;
        headroom = Double.NaN;
    }

    private static Connection connect(Map<String, String> settings) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("user", settings.getOrDefault("database.user", ""));
        properties.setProperty("password", settings.getOrDefault("database.password", ""));
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "10");
        properties.setProperty("ApplicationName", "realtime-sync metrics");
        String sslMode = settings.get("database.sslmode");
        if (sslMode != null && !sslMode.isBlank()) {
            properties.setProperty("sslmode", sslMode);
        }
        return DriverManager.getConnection("jdbc:postgresql://" + settings.get("database.hostname") + ":"
                + settings.getOrDefault("database.port", "5432") + "/" + settings.get("database.dbname"), properties);
    }
}
