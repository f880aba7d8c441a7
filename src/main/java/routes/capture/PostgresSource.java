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

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PostgresSource.class);

    /** The task's publicationAutocreateMode; Debezium's own setting is always disabled (see {@link #publicationMode}). */
    static final String PUBLICATION_MODE = "realtimesync.publication.mode";

    private final Map<String, String> config;
    private final String url;

    PostgresSource(Map<String, String> config) {
        this.config = config;
        this.url = url(config);
    }

    @Override
    public boolean skipsFullLoad(routes.change.TableId table) {
        return FullLoadSettings.skips(config, table);
    }

    @Override
    public java.util.Optional<routes.fullload.ChunkSource> chunkSource() {
        return java.util.Optional.of(new PostgresChunkSource(config, this));
    }

    @Override
    public String describe() {
        return "PostgreSQL " + config.get("database.hostname") + ":" + config.getOrDefault("database.port", "5432") + "/"
                + config.get("database.dbname");
    }

    @Override
    public boolean capturesNewTables() {
        // Only a FOR ALL TABLES publication holds a table from its creation on.
        return "all_tables".equals(publicationMode());
    }

    /**
     * The task's publication mode (the kamelet's publicationAutocreateMode). Debezium itself is told the publication
     * is managed elsewhere: its own check reads pg_publication_tables inside the replication session, after which a
     * PostgreSQL 18.6 walsender crashed (signal 11) decoding a table rewrite from the backlog.
     */
    private String publicationMode() {
        return config.getOrDefault(PUBLICATION_MODE, "filtered");
    }

    @Override
    public void prepareCapture(List<TableSchema> tables) {
        String publication = publicationName();
        String name = quote(publication);
        try (Connection c = connect(); java.sql.Statement s = c.createStatement()) {
            java.util.Set<String> published = new java.util.TreeSet<>();
            boolean exists = false;
            try (ResultSet rs = s.executeQuery("SELECT p.puballtables, t.schemaname, t.tablename FROM pg_publication p "
                    + "LEFT JOIN pg_publication_tables t ON t.pubname = p.pubname WHERE p.pubname = " + literal(publication))) {
                while (rs.next()) {
                    exists = true;
                    if (rs.getString(2) != null) {
                        published.add(quote(rs.getString(2)) + "." + quote(rs.getString(3)));
                    }
                }
            }
            // Tables without a primary key are not synced; publishing them would make the source refuse their UPDATEs.
            java.util.Set<String> wanted = new java.util.TreeSet<>();
            tables.stream().filter(TableSchema::hasPrimaryKey).forEach(t -> wanted.add(quote(t.id().schema()) + "." + quote(t.id().table())));
            // check() has refused a publication that does not fit the mode, and a user who may not change it.
            switch (publicationMode()) {
                case "all_tables" -> {
                    if (!exists) {
                        s.execute("CREATE PUBLICATION " + name + " FOR ALL TABLES");
                    }
                }
                case "filtered" -> {
                    if (!exists && wanted.isEmpty()) {
                        s.execute("CREATE PUBLICATION " + name);
                    } else if (!wanted.isEmpty() && !wanted.equals(published)) {
                        s.execute((exists ? "ALTER PUBLICATION " + name + " SET TABLE " : "CREATE PUBLICATION " + name + " FOR TABLE ")
                                + String.join(", ", wanted));
                    }
                }
                default -> {
                    // disabled: the existing publication is used as it is
                }
            }
        } catch (SQLException e) {
            throw new TaskProblem("Cannot prepare publication '" + publication + "' on " + describe() + ": " + e.getMessage()
                    + " (creating a publication needs the owner of the tables, FOR ALL TABLES a superuser).", e);
        }
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    @Override
    public String databaseOf(routes.change.TableId table) {
        return config.get("database.dbname");
    }

    @Override
    public void check(boolean resuming) {
        List<TaskProblem> problems = problems(resuming);
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
    }

    /** Each check on its own, so that one refusal does not hide the next; an unreachable server is the only one. */
    @Override
    public List<TaskProblem> problems(boolean resuming) {
        List<TaskProblem> problems = new java.util.ArrayList<>();
        try (Connection connection = connect()) {
            String walLevel = single(connection, "SHOW wal_level");
            if (!"logical".equals(walLevel)) {
                problems.add(new TaskProblem(describe() + " has wal_level=" + walLevel + ", but change capture needs logical decoding: run "
                        + "ALTER SYSTEM SET wal_level = logical; on the source and restart the server."));
            }
            String user = config.get("database.user");
            String canReplicate = single(connection, "SELECT (rolreplication OR rolsuper)::text FROM pg_roles WHERE rolname = current_user");
            if (!"true".equals(canReplicate)) {
                problems.add(new TaskProblem("Source user '" + user + "' may not stream changes: run ALTER ROLE \"" + user
                        + "\" REPLICATION; on " + describe() + "."));
            }
            collect(problems, () -> checkSlot(connection, resuming));
            List<TableSchema> tables = PostgresCatalog.tables(connection, filter());
            PostgresPrivileges privileges = new PostgresPrivileges(connection, user, describe());
            collect(problems, () -> privileges.checkReadable(tables));
            collect(problems, () -> privileges.checkPublication(publicationName(), publicationMode(), config.get("database.dbname"), tables));
        } catch (SQLException e) {
            problems.add(new TaskProblem("Cannot use source " + describe() + ": " + e.getMessage(), e));
        } catch (TaskProblem problem) {
            problems.add(problem); // unreachable: nothing else can be checked
        }
        return problems;
    }

    /** A check that throws its {@link TaskProblem}, collected instead. */
    private interface Check {
        void run() throws SQLException;
    }

    private static void collect(List<TaskProblem> problems, Check check) throws SQLException {
        try {
            check.run();
        } catch (TaskProblem problem) {
            problems.add(problem);
        }
    }

    /**
     * Tables without a primary key are left out. A table whose replica identity is NOTHING makes the source refuse
     * its UPDATEs and DELETEs once it is published; FULL works but writes whole rows into the WAL.
     */
    @Override
    public List<TaskProblem> tableProblems(List<TableSchema> tables) {
        List<TaskProblem> problems = new java.util.ArrayList<>();
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement("""
                SELECT c.relreplident FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?""")) {
            for (TableSchema table : tables) {
                String name = quote(table.id().schema()) + "." + quote(table.id().table());
                if (!table.hasPrimaryKey()) {
                    problems.add(new TaskProblem("Table " + name + " on " + describe() + " has no primary key, so the task leaves it out: "
                            + "run ALTER TABLE " + name + " ADD PRIMARY KEY (...); with its key columns, or take it out of the task's "
                            + "table selection."));
                    continue;
                }
                statement.setString(1, table.id().schema());
                statement.setString(2, table.id().table());
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next() && "n".equals(rs.getString(1))) {
                        problems.add(new TaskProblem("Table " + name + " on " + describe() + " has REPLICA IDENTITY NOTHING: once "
                                + "published, the source refuses its UPDATEs and DELETEs: run ALTER TABLE " + name + " REPLICA IDENTITY DEFAULT;"));
                    }
                }
            }
        } catch (SQLException e) {
            problems.add(new TaskProblem("Cannot read the tables of " + describe() + ": " + e.getMessage(), e));
        } catch (TaskProblem problem) {
            problems.add(problem);
        }
        return problems;
    }

    private void checkSlot(Connection connection, boolean resuming) throws SQLException {
        if (Boolean.parseBoolean(config.get(routes.state.CaptureRegistration.LEADER_ELECTION))) {
            awaitSlotReleased(connection);
        }
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

    /**
     * An instance taking the lead waits while the slot is still held: by the leader it replaces, whose connection ends
     * when that process dies or, when it is frozen or cut off, after the server's wal_sender_timeout. The slot's single
     * reader is the second fence against a deposed leader (docs/scale-out.md).
     */
    private void awaitSlotReleased(Connection connection) throws SQLException {
        String slot = config.getOrDefault("slot.name", "debezium");
        boolean told = false;
        while (true) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT active_pid FROM pg_replication_slots WHERE slot_name = ? AND active")) {
                statement.setString(1, slot);
                try (ResultSet rs = statement.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                    if (!told) {
                        LOG.info("Replication slot '{}' on {} is still read by the previous leader (pid {}): waiting until "
                                + "its connection ends (at most the server's wal_sender_timeout)", slot, describe(), rs.getInt(1));
                        told = true;
                    }
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskProblem("Stopped while waiting for replication slot '" + slot + "' on " + describe());
            }
        }
    }

    @Override
    public List<TableSchema> tables() {
        try (Connection connection = connect()) {
            return PostgresCatalog.tables(connection, filter());
        } catch (SQLException e) {
            throw new TaskProblem("Cannot read the tables of " + describe() + ": " + e.getMessage(), e);
        }
    }

    private TableFilter filter() {
        return new TableFilter(config.get("schema.include.list"), config.get("table.include.list"));
    }

    private String publicationName() {
        return config.getOrDefault("publication.name", "dbz_publication");
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

    @Override
    public routes.schema.ColumnFill fillOfAddedColumn(routes.change.TableId table, String column) {
        try (Connection connection = connect()) {
            return PostgresCatalog.fillOfAddedColumn(connection, table, column);
        } catch (SQLException e) {
            throw new TaskProblem("Cannot read column " + column + " of " + table + " on " + describe() + ": " + e.getMessage(), e);
        }
    }

    static String url(Map<String, String> config) {
        return "jdbc:postgresql://" + config.get("database.hostname") + ":" + config.getOrDefault("database.port", "5432")
                + "/" + config.get("database.dbname");
    }

    /** The source user's credentials as the Debezium connector has them, and a name to tell the sessions apart. */
    static Properties connectionProperties(Map<String, String> config, String applicationName) {
        Properties properties = new Properties();
        properties.setProperty("user", config.getOrDefault("database.user", ""));
        properties.setProperty("password", config.getOrDefault("database.password", ""));
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("ApplicationName", applicationName);
        return properties;
    }

    private Connection connect() {
        try {
            return DriverManager.getConnection(url, connectionProperties(config, "realtime-sync check"));
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
