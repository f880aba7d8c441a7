package routes.capture;

import java.util.Map;

import org.apache.kafka.common.config.Config;

import io.debezium.connector.postgresql.PostgresConnector;

/**
 * Debezium's PostgreSQL connector, taking the postgres-cdc-source kamelet's per-table full-load settings
 * ({@link FullLoadSettings}), whose Debezium property names a kamelet cannot write.
 */
public class PostgresSourceConnector extends PostgresConnector {

    @Override
    public Config validate(Map<String, String> props) {
        return super.validate(FullLoadSettings.adapt(props, '"'));
    }

    @Override
    public void start(Map<String, String> props) {
        super.start(FullLoadSettings.adapt(props, '"'));
    }
}
