package routes.capture;

import java.util.Map;

/** Picks a task's {@link StartPoint} from the Debezium connector it runs, as {@link SourceDatabases} picks its source. */
public final class StartPoints {

    private StartPoints() {
    }

    public static boolean isPostgres(Map<String, String> config) {
        String connector = config.getOrDefault("connector.class", "");
        return connector.equals(PostgresSourceConnector.class.getName()) || connector.contains("postgresql");
    }

    static StartPoint of(Map<String, String> config) {
        return isPostgres(config) ? new PostgresStartPoint(config) : new BinlogStartPoint(config);
    }
}
