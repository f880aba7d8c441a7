package routes.capture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class MySqlFamilyConnectorTest {

    /**
     * Debezium's MySQL connector loads com.mysql.cj.jdbc.Driver itself when it opens a connection (the jar once lacked
     * it: NoClassDefFoundError before any server was reached). Validating against a port nobody listens on goes that
     * way: what fails must be the connection, not the driver.
     */
    @Test
    void theMySqlConnectorFindsItsJdbcDriver() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Config config = new MySqlFamilyConnector().validate(Map.of(MySqlFamilyConnector.FLAVOUR, "mysql",
                "database.hostname", "127.0.0.1", "database.port", String.valueOf(closedPort), "database.user", "capture",
                "database.password", "secret", "topic.prefix", "driver-check", "database.server.id", "1234"));
        List<String> hostErrors = config.configValues().stream().filter(v -> v.name().equals("database.hostname"))
                .map(ConfigValue::errorMessages).findFirst().orElseThrow();
        assertTrue(hostErrors.stream().anyMatch(e -> e.contains("Unable to connect") && e.contains("Communications link failure")),
                hostErrors.toString());
    }
}
