package routes.capture;

import org.apache.camel.CamelContext;
import org.apache.camel.component.debezium.configuration.ConfigurationValidation;
import org.apache.camel.component.debezium.mysql.DebeziumMySqlComponent;
import org.apache.camel.component.debezium.mysql.configuration.MySqlConnectorEmbeddedDebeziumConfiguration;
import org.apache.camel.component.debezium.postgres.DebeziumPostgresComponent;
import org.apache.camel.component.debezium.postgres.configuration.PostgresConnectorEmbeddedDebeziumConfiguration;
import org.apache.camel.spi.ContextServicePlugin;

/**
 * The debezium-postgres and debezium-mysql components our source kamelets use, taking an empty password: Camel's own
 * refuse one ("Required field 'databasePassword' must be set."), though trust, peer and certificate authentication
 * need none and Debezium's connectors accept it. Bound under the components' names, which Camel looks up first; loaded
 * by Camel itself for every context (META-INF/services).
 */
public class CaptureComponents implements ContextServicePlugin {

    @Override
    public void load(CamelContext camelContext) {
        DebeziumPostgresComponent postgres = new DebeziumPostgresComponent();
        postgres.setConfiguration(new PostgresConfiguration());
        camelContext.getRegistry().bind("debezium-postgres", postgres);
        DebeziumMySqlComponent mysql = new DebeziumMySqlComponent();
        mysql.setConfiguration(new MySqlConfiguration());
        camelContext.getRegistry().bind("debezium-mysql", mysql);
    }

    /** The topic prefix stays required (the kamelets set it to the task name); the password may be empty. */
    static ConfigurationValidation topicPrefixSet(String topicPrefix) {
        return topicPrefix == null || topicPrefix.isEmpty() ? ConfigurationValidation.notValid("Required field 'topicPrefix' must be set.")
                : ConfigurationValidation.valid();
    }

    public static class PostgresConfiguration extends PostgresConnectorEmbeddedDebeziumConfiguration {

        @Override
        protected ConfigurationValidation validateConnectorConfiguration() {
            return topicPrefixSet(getTopicPrefix());
        }
    }

    public static class MySqlConfiguration extends MySqlConnectorEmbeddedDebeziumConfiguration {

        @Override
        protected ConfigurationValidation validateConnectorConfiguration() {
            return topicPrefixSet(getTopicPrefix());
        }
    }
}
