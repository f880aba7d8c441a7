package routes.capture;

import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.connect.connector.Task;

import io.debezium.connector.postgresql.PostgresConnector;

/**
 * Debezium's PostgreSQL connector, taking the postgres-cdc-source kamelet's per-table full-load settings
 * ({@link FullLoadSettings}), whose Debezium property names a kamelet cannot write, and streaming with a task that reads
 * non-ASCII names right ({@link PostgresSourceTask}).
 */
public class PostgresSourceConnector extends PostgresConnector {

    @Override
    public Config validate(Map<String, String> props) {
        return super.validate(FullLoadSettings.adapt(props, '"'));
    }

    @Override
    public Class<? extends Task> taskClass() {
        return PostgresSourceTask.class;
    }

    @Override
    public void start(Map<String, String> props) {
        super.start(FullLoadSettings.adapt(props, '"'));
    }
}
