package routes.capture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import routes.ops.TaskProblem;
import routes.schema.PostgresCatalog;
import routes.schema.TableFilter;
import routes.schema.TableSchema;

/** A PostgreSQL source, described by the same settings the Debezium connector receives. */
final class PostgresSource implements SourceDatabase {

    private final Map<String, String> config;
    private final String url;

    PostgresSource(Map<String, String> config) {
        this.config = config;
        this.url = "jdbc:postgresql://" + config.get("database.hostname") + ":" + config.getOrDefault("database.port", "5432")
                + "/" + config.get("database.dbname");
    }

    @Override
    public boolean skipsFullLoad(routes.change.TableId table) {
        return FullLoadSettings.skips(config, table);
    }

    @Override
    public java.util.Optional<routes.fullload.ChunkSource> chunkSource() {
        return java.util.Optional.of(new routes.fullload.PostgresChunkSource(config));
    }

    @Override
    public String describe() {
        return "PostgreSQL " + config.get("database.hostname") + ":" + config.getOrDefault("database.port", "5432") + "/"
                + config.get("database.dbname");
    }

    @Override
    public boolean capturesNewTables() {
        // Only a FOR ALL TABLES publication holds a table from its creation on.
        return "all_tables".equals(config.get("publication.autocreate.mode"));
    }

    @Override
    public String databaseOf(routes.change.TableId table) {
        return config.get("database.dbname");
    }

    @Override
    public void check(boolean resuming) {
        try (Connection connection = connect()) {
            String walLevel = single(connection, "SHOW wal_level");
            if (!"logical".equals(walLevel)) {
                throw new TaskProblem(describe() + " has wal_level=" + walLevel + ", but change capture needs logical decoding: run "
                        + "ALTER SYSTEM SET wal_level = logical; on the source and restart the server.");
            }
            String user = config.get("database.user");
            String canReplicate = single(connection, "SELECT (rolreplication OR rolsuper)::text FROM pg_roles WHERE rolname = current_user");
            if (!"true".equals(canReplicate)) {
                throw new TaskProblem("Source user '" + user + "' may not stream changes: run ALTER ROLE \"" + user
                        + "\" REPLICATION; on " + describe() + ".");
            }
            checkSlot(connection, resuming);
        } catch (SQLException e) {
            throw new TaskProblem("Cannot use source " + describe() + ": " + e.getMessage(), e);
        }
    }

    private void checkSlot(Connection connection, boolean resuming) throws SQLException {
        String slot = config.getOrDefault("slot.name", "debezium");
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT active, active_pid, plugin, database FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, slot);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    if (resuming) {
                        throw new TaskProblem("The target holds a position for task '" + config.get(routes.state.TargetOffsetStore.TASK_PROPERTY)
                                + "', but replication slot '" + slot + "' is gone from " + describe()
                                + ", so the changes since then cannot be read. Reload the task: delete its rows from "
                                + "realtime_sync.source_offsets on the target and start it again (a full load follows).");
                    }
                    return;
                }
                if (rs.getBoolean(1)) {
                    throw new TaskProblem("Replication slot '" + slot + "' on " + describe() + " is in use by another connection (pid "
                            + rs.getInt(2) + "), probably another task: give this task its own slotName, or stop the other one.");
                }
                if (!"pgoutput".equals(rs.getString(3)) || !config.get("database.dbname").equals(rs.getString(4))) {
                    throw new TaskProblem("Replication slot '" + slot + "' on " + describe() + " belongs to database '" + rs.getString(4)
                            + "' with plugin '" + rs.getString(3) + "': give this task its own slotName.");
                }
            }
        }
    }

    @Override
    public List<TableSchema> tables() {
        TableFilter filter = new TableFilter(config.get("schema.include.list"), config.get("table.include.list"));
        try (Connection connection = connect()) {
            return PostgresCatalog.tables(connection, filter);
        } catch (SQLException e) {
            throw new TaskProblem("Cannot read the tables of " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<routes.change.TableId, Map<String, Integer>> columnIds() {
        Map<routes.change.TableId, Map<String, Integer>> ids = new java.util.HashMap<>();
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement("""
                SELECT n.nspname, c.relname, a.attname, a.attnum FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema')""");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                ids.computeIfAbsent(new routes.change.TableId(rs.getString(1), rs.getString(2)), t -> new java.util.HashMap<>())
                        .put(rs.getString(3), rs.getInt(4));
            }
        } catch (SQLException e) {
            throw new TaskProblem("Cannot read the columns of " + describe() + ": " + e.getMessage(), e);
        }
        return ids;
    }

    private Connection connect() {
        Properties properties = new Properties();
        properties.setProperty("user", config.getOrDefault("database.user", ""));
        properties.setProperty("password", config.getOrDefault("database.password", ""));
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("ApplicationName", "realtime-sync check");
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            throw new TaskProblem("Cannot connect to source " + describe() + " as '" + config.get("database.user") + "': "
                    + e.getMessage().replaceFirst("\\.$", "") + ". Check SOURCE_HOST, SOURCE_PORT, SOURCE_DATABASE, SOURCE_USER and SOURCE_PASSWORD.", e);
        }
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
