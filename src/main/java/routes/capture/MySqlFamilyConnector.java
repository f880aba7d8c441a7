package routes.capture;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debezium.connector.mariadb.MariaDbConnector;
import io.debezium.connector.mysql.MySqlConnector;

/**
 * One connector class for the mysql-cdc-source kamelet that runs Debezium's MySQL or MariaDB connector, chosen by
 * the {@value #FLAVOUR} property (mysql, mariadb, or auto: what the server says it is). The MySQL connector is unsafe against MariaDB (it skipped a row
 * after a restart here, and its DDL parser stops on MariaDB-only syntax), so a MariaDB source must run the MariaDB
 * connector; it also needs its own source-info maker and an SSL mode the MySQL connector does not know.
 */
public class MySqlFamilyConnector extends SourceConnector {

    private static final Logger LOG = LoggerFactory.getLogger(MySqlFamilyConnector.class);

    /** Debezium property naming the source flavour. */
    public static final String FLAVOUR = "realtimesync.flavour";
    /** Tables to leave out (Debezium takes an include or an exclude list, not both: this one is folded in). */
    public static final String TABLE_EXCLUDES = "realtimesync.table.exclude.list";

    private SourceConnector delegate;
    private boolean mariaDb;

    static Map<String, String> adapt(Map<String, String> props, boolean mariaDb) {
        Map<String, String> adapted = FullLoadSettings.adapt(props, '`');
        String excludes = adapted.remove(TABLE_EXCLUDES);
        if (excludes != null && !excludes.isBlank()) {
            String includes = adapted.getOrDefault("table.include.list", "");
            adapted.put("table.include.list", "(?!(?:" + String.join("|", excludes.split("\\s*,\\s*")) + ")$)(?:"
                    + (includes.isBlank() ? ".*" : String.join("|", includes.split("\\s*,\\s*"))) + ")");
        }
        String serverId = adapted.getOrDefault("database.server.id", "0");
        if (serverId.isBlank() || serverId.equals("0")) {
            adapted.put("database.server.id", String.valueOf(defaultServerId(adapted.getOrDefault("topic.prefix", ""))));
        }
        if (mariaDb) {
            adapted.put("sourceinfo.struct.maker", "io.debezium.connector.mariadb.MariaDbSourceInfoStructMaker");
            // Camel's default "preferred" is a MySQL-connector value; the MariaDB connector knows disable/trust/verify.
            if ("preferred".equals(adapted.get("database.ssl.mode"))) {
                adapted.put("database.ssl.mode", "disable");
            }
            // The connector's default driver time zone, "auto", sets the JVM's zone on the session, which fails on a
            // server without time-zone tables when the JVM runs in a named zone. UTC is also the exact choice:
            // TIMESTAMP values arrive as UTC instants and DATETIME values are never converted.
            adapted.putIfAbsent("database.timezone", "+00:00");
        }
        return adapted;
    }

    /**
     * The server id this task's binlog reader announces when none is configured: stable for a task name and
     * different between tasks (a replica id must be unique on the source), away from the small ids servers use.
     */
    static long defaultServerId(String task) {
        return 1_000_000L + Math.floorMod(task.hashCode(), 1_000_000_000);
    }

    private SourceConnector delegateFor(Map<String, String> props) {
        if (delegate == null) {
            MySqlSource source = new MySqlSource(props);
            mariaDb = source.isMariaDb();
            delegate = mariaDb ? new MariaDbConnector() : new MySqlConnector();
            String task = props.getOrDefault("topic.prefix", "");
            if (source.configuredFlavour().equals("auto")) {
                LOG.info("Task '{}': source {} is {}: capturing with Debezium's {} connector", task, source.describe(),
                        source.serverDescription(), mariaDb ? "MariaDB" : "MySQL");
            } else {
                LOG.info("Task '{}': capturing {} with Debezium's {} connector (flavour: {})", task, source.describe(),
                        mariaDb ? "MariaDB" : "MySQL", source.configuredFlavour());
            }
            if (context != null) {
                delegate.initialize(context);
            }
        }
        return delegate;
    }

    @Override
    public void initialize(ConnectorContext ctx) {
        super.initialize(ctx);
        if (delegate != null) {
            delegate.initialize(ctx);
        }
    }

    @Override
    public Config validate(Map<String, String> props) {
        return delegateFor(props).validate(adapt(props, mariaDb));
    }

    @Override
    public void start(Map<String, String> props) {
        delegateFor(props).start(adapt(props, mariaDb));
    }

    @Override
    public Class<? extends Task> taskClass() {
        // Debezium's tasks, with poll batches that end where source transactions end.
        return mariaDb ? MariaDbSourceTask.class : MySqlSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return delegate.taskConfigs(maxTasks);
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
    }

    @Override
    public ConfigDef config() {
        return delegate != null ? delegate.config() : new MySqlConnector().config();
    }

    @Override
    public String version() {
        return delegate != null ? delegate.version() : new MySqlConnector().version();
    }
}
