package routes.capture;

import java.util.Map;

/** Picks the source implementation from the Debezium connector a task runs. */
public final class SourceDatabases {

    private SourceDatabases() {
    }

    public static SourceDatabase fromDebeziumConfig(Map<String, String> config) {
        String connector = config.getOrDefault("connector.class", "");
        if (connector.equals(PostgresSourceConnector.class.getName()) || connector.contains("postgresql")) {
            return new PostgresSource(config);
        }
        if (connector.equals(MySqlFamilyConnector.class.getName()) || connector.contains("mysql") || connector.contains("mariadb")) {
            return new MySqlSource(config);
        }
        throw new IllegalArgumentException("No source support for connector " + connector);
    }
}
