package routes.capture;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Checks a source before its capture engine starts: a source kamelet sets it as its route's policy, so it runs when
 * the route is initialised. Debezium validates the connection before it creates our offset store and, when that
 * fails, only logs it; this puts a line that says what to fix in front of the user instead. The settings carry
 * Debezium's names, so the check is the same one the task runs again when the engine starts.
 */
public class SourcePreflight extends RoutePolicySupport {

    private final Map<String, String> config = new HashMap<>();

    @Override
    public void onInit(Route route) {
        SourceDatabase source = SourceDatabases.fromDebeziumConfig(config);
        routes.ops.PreflightFindings findings = routes.ops.PreflightFindings.of(route.getCamelContext());
        if (findings != null) {
            findings.source(config.get(routes.state.TargetOffsetStore.TASK_PROPERTY), source); // the check command checks it whole
            return;
        }
        if (route.getEndpoint() instanceof org.apache.camel.DelegateEndpoint) {
            // Under leader election (master:) a standby must not fail on the slot its leader holds: the source is checked
            // when this instance takes the lead, before it writes anything (TaskWriter#open).
            return;
        }
        source.check(false);
    }

    /** The Debezium connector class the task runs (it tells the kind of source). */
    public void setConnector(String connector) {
        config.put("connector.class", connector);
    }

    /** For MySQL-family sources: mysql or mariadb. */
    public void setFlavour(String flavour) {
        config.put(MySqlFamilyConnector.FLAVOUR, flavour);
    }

    public void setTask(String task) {
        config.put(routes.state.TargetOffsetStore.TASK_PROPERTY, task);
    }

    public void setHostname(String hostname) {
        config.put("database.hostname", hostname);
    }

    public void setPort(String port) {
        config.put("database.port", port);
    }

    public void setDatabase(String database) {
        config.put("database.dbname", database);
    }

    public void setUser(String user) {
        config.put("database.user", user);
    }

    public void setPassword(String password) {
        config.put("database.password", password);
    }

    public void setSlotName(String slotName) {
        config.put("slot.name", slotName);
    }

    /** PostgreSQL: the task's tables, whose privileges and publication are checked. */
    public void setSchemaIncludeList(String schemaIncludeList) {
        config.put("schema.include.list", schemaIncludeList);
    }

    public void setTableIncludeList(String tableIncludeList) {
        config.put("table.include.list", tableIncludeList);
    }

    public void setPublicationName(String publicationName) {
        config.put("publication.name", publicationName);
    }

    /** The kamelet's publicationAutocreateMode: filtered, all_tables or disabled. */
    public void setPublicationMode(String publicationMode) {
        config.put(PostgresSource.PUBLICATION_MODE, publicationMode);
    }
}
