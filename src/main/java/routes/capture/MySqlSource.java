package routes.capture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import routes.ops.TaskProblem;
import routes.schema.MySqlCatalog;
import routes.schema.TableFilter;
import routes.schema.TableSchema;

/** A MySQL or MariaDB source, described by the same settings the Debezium connector receives. */
final class MySqlSource implements SourceDatabase {

    private final Map<String, String> config;
    /** What the server said it is (MariaDB or MySQL), once asked. */
    private String serverFlavour;

    MySqlSource(Map<String, String> config) {
        this.config = config;
    }

    /** The flavour the task sets: mysql, mariadb, or auto (unset) for what the server says it is. */
    String configuredFlavour() {
        String flavour = config.getOrDefault(MySqlFamilyConnector.FLAVOUR, "").trim().toLowerCase(Locale.ROOT);
        if (flavour.isEmpty() || flavour.equals("auto")) {
            return "auto";
        }
        if (!flavour.equals("mysql") && !flavour.equals("mariadb")) {
            throw new TaskProblem("The source flavour '" + flavour + "' is none of auto, mysql, mariadb: leave it unset to detect it.");
        }
        return flavour;
    }

    /** Whether the source is MariaDB: as the task sets it, else as the server says (asked once). */
    boolean isMariaDb() {
        String flavour = configuredFlavour();
        if (!flavour.equals("auto")) {
            return flavour.equals("mariadb");
        }
        if (serverFlavour == null) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                serverFlavour = serverFlavour(statement);
            } catch (SQLException e) {
                throw new TaskProblem("Cannot tell whether source " + describe() + " is MySQL or MariaDB: " + e.getMessage(), e);
            }
        }
        return serverFlavour.startsWith("MariaDB");
    }

    /** "MariaDB 11.4.5-MariaDB-log" or "MySQL 8.4.3": MariaDB names itself in its version or version comment. */
    private static String serverFlavour(Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT VERSION(), @@version_comment")) {
            rs.next();
            String version = rs.getString(1);
            String comment = rs.getString(2) == null ? "" : rs.getString(2);
            boolean mariaDb = (version + " " + comment).toLowerCase(Locale.ROOT).contains("mariadb");
            return (mariaDb ? "MariaDB " : "MySQL ") + version;
        }
    }

    private String flavourName() {
        String flavour = configuredFlavour();
        if (flavour.equals("auto")) {
            return serverFlavour == null ? "MySQL/MariaDB" : serverFlavour.substring(0, serverFlavour.indexOf(' '));
        }
        return flavour.equals("mariadb") ? "MariaDB" : "MySQL";
    }

    /** Which server this is, e.g. "MariaDB 11.4.5-MariaDB-log", once the server was asked. */
    String serverDescription() {
        return serverFlavour;
    }

    @Override
    public boolean skipsFullLoad(routes.change.TableId table) {
        return FullLoadSettings.skips(config, table);
    }

    /**
     * MariaDB is read in parallel chunks from a binlog position of its own; MySQL keeps Debezium's snapshot (its
     * consistent-snapshot position needs other statements, and no MySQL server runs in this project's tests).
     */
    @Override
    public java.util.Optional<routes.fullload.ChunkSource> chunkSource() {
        return isMariaDb() ? java.util.Optional.of(new MariaDbChunkSource(config, this)) : java.util.Optional.empty();
    }

    @Override
    public String describe() {
        return flavourName() + " " + config.get("database.hostname") + ":" + config.getOrDefault("database.port", "3306");
    }

    @Override
    public boolean capturesNewTables() {
        return true; // the binlog holds a new table's CREATE and every row after it
    }

    /**
     * Debezium's schema history holds every table of the captured databases (it records their DDL, and so does the
     * chunked full load's watermark), but not a table of a database the task did not capture before, nor one a history
     * written before the watermark covered whole databases lacks: such a table gets its present structure recorded at
     * the resume position, as Debezium's own "recovery" snapshot mode would rebuild it.
     */
    @Override
    public List<String> historyOfAddedTables(java.util.Collection<routes.change.TableId> added, Map<String, String> offsets,
            List<String> history) {
        if (added.isEmpty() || offsets.isEmpty()) {
            return List.of();
        }
        Map<String, Object> partition = Map.of("server", config.get("topic.prefix"));
        java.util.Set<routes.change.TableId> known = SchemaHistoryTables.known(history, partition, isMariaDb());
        List<TableSchema> missing = tables().stream().filter(t -> added.contains(t.id()) && !known.contains(t.id())).toList();
        if (missing.isEmpty()) {
            return List.of();
        }
        try (Connection connection = connect()) {
            return MariaDbChunkSource.schemaHistory(connection, missing, partition, resumePosition(offsets));
        } catch (SQLException e) {
            throw new TaskProblem("Cannot read the structure of " + missing.get(0).id() + " on " + describe() + ": " + e.getMessage(), e);
        }
    }

    /** The binlog position the capture resumes from: the value of the task's one stored offset. */
    private static Map<String, Object> resumePosition(Map<String, String> offsets) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(offsets.values().iterator().next(),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Stored source offset is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Every table of the databases the task captures, selected or not: what Debezium's schema history records. */
    List<TableSchema> tablesOfCapturedDatabases() {
        try (Connection connection = connect()) {
            return MySqlCatalog.tables(connection, new TableFilter(config.get("database.include.list"), null));
        } catch (SQLException e) {
            throw new TaskProblem("Cannot read the tables of " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String databaseOf(routes.change.TableId table) {
        return table.schema();
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
        List<TaskProblem> problems = new ArrayList<>();
        java.util.TimeZone zone = java.util.TimeZone.getDefault();
        if (zone.getRawOffset() != 0 || zone.useDaylightTime()) {
            problems.add(new TaskProblem("This JVM runs in time zone " + zone.getID() + ", but Debezium's MySQL/MariaDB connector reads "
                    + "TIMESTAMP values through the JVM's zone, so they would arrive shifted: start the JVM with -Duser.timezone=UTC."));
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            try {
                checkFlavour(statement);
            } catch (TaskProblem problem) {
                problems.add(problem);
            }
            try (ResultSet rs = statement.executeQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    problems.add(new TaskProblem(describe() + " does not write a binary log, which change capture reads: start it with "
                            + "log_bin (e.g. log-bin=mysql-bin and server-id=1 under [mysqld] in my.cnf) and restart it."));
                }
                if (!"ROW".equalsIgnoreCase(rs.getString(2))) {
                    problems.add(new TaskProblem(describe() + " has binlog_format=" + rs.getString(2) + ", but change capture needs ROW: "
                            + "run SET GLOBAL binlog_format = 'ROW'; and set binlog_format=ROW in my.cnf."));
                }
                if (!"FULL".equalsIgnoreCase(rs.getString(3))) {
                    problems.add(new TaskProblem(describe() + " has binlog_row_image=" + rs.getString(3) + ", but change capture needs "
                            + "FULL: run SET GLOBAL binlog_row_image = 'FULL'; and set binlog_row_image=FULL in my.cnf."));
                }
            }
            try {
                checkPrivileges(statement);
            } catch (TaskProblem problem) {
                problems.add(problem);
            }
        } catch (SQLException e) {
            problems.add(new TaskProblem("Cannot use source " + describe() + ": " + e.getMessage(), e));
        } catch (TaskProblem problem) {
            problems.add(problem); // unreachable (or a flavour setting that is none): nothing else can be checked
        }
        return problems;
    }

    /** Tables without a primary key are left out. */
    @Override
    public List<TaskProblem> tableProblems(List<TableSchema> tables) {
        return tables.stream().filter(table -> !table.hasPrimaryKey())
                .map(table -> new TaskProblem("Table " + table.id() + " on " + describe() + " has no primary key, so the task leaves it "
                        + "out: run ALTER TABLE " + identifier(table.id().schema()) + "." + identifier(table.id().table())
                        + " ADD PRIMARY KEY (...); with its key columns, or take it out of the task's table selection."))
                .toList();
    }

    private static String identifier(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /**
     * Each flavour needs its own Debezium connector (the MySQL one skips rows and stops on MariaDB's DDL), so a task
     * that names the other flavour than the server's is refused.
     */
    private void checkFlavour(Statement statement) throws SQLException {
        String flavour = configuredFlavour();
        serverFlavour = serverFlavour(statement);
        boolean mariaDb = serverFlavour.startsWith("MariaDB");
        if (!flavour.equals("auto") && flavour.equals("mariadb") != mariaDb) {
            throw new TaskProblem("The task sets flavour: " + flavour + ", but source " + config.get("database.hostname") + ":"
                    + config.getOrDefault("database.port", "3306") + " is " + serverFlavour + ": set flavour: "
                    + (mariaDb ? "mariadb" : "mysql") + " (or leave it unset: it is then detected).");
        }
    }

    /** Debezium needs {@link MySqlGrants#CAPTURE}: SELECT, RELOAD (snapshot lock), SHOW DATABASES, REPLICATION SLAVE and CLIENT. */
    private void checkPrivileges(Statement statement) throws SQLException {
        StringBuilder grants = new StringBuilder();
        try (ResultSet rs = statement.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
            while (rs.next()) {
                String grant = rs.getString(1).toUpperCase(Locale.ROOT);
                if (grant.contains(" ON *.* ")) {
                    grants.append(grant).append('\n');
                }
            }
        }
        String global = grants.toString();
        if (global.contains("ALL PRIVILEGES")) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String privilege : List.of("SELECT", "RELOAD", "REPLICATION SLAVE")) {
            if (!global.contains(privilege)) {
                missing.add(privilege);
            }
        }
        // MariaDB 10.5+ names REPLICATION CLIENT "BINLOG MONITOR".
        if (!global.contains("REPLICATION CLIENT") && !global.contains("BINLOG MONITOR")) {
            missing.add("REPLICATION CLIENT");
        }
        if (!missing.isEmpty()) {
            String user = config.get("database.user");
            String account;
            try (ResultSet rs = statement.executeQuery("SELECT CURRENT_USER()")) {
                account = rs.next() ? rs.getString(1) : null;
            }
            throw new TaskProblem("Source user '" + user + "' lacks " + String.join(", ", missing) + " on " + describe()
                    + ": run " + MySqlGrants.statement(account, user));
        }
    }

    @Override
    public List<TableSchema> tables() {
        TableFilter filter = new TableFilter(config.get("database.include.list"), config.get("table.include.list"),
                config.get(MySqlFamilyConnector.TABLE_EXCLUDES));
        try (Connection connection = connect()) {
            return MySqlCatalog.tables(connection, filter);
        } catch (SQLException e) {
            throw new TaskProblem("Cannot read the tables of " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public routes.schema.ColumnFill fillOfAddedColumn(routes.change.TableId table, String column) {
        try (Connection connection = connect()) {
            return MySqlCatalog.fillOfAddedColumn(connection, table, column);
        } catch (SQLException e) {
            throw new TaskProblem("Cannot read column " + column + " of " + table + " on " + describe() + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() {
        try {
            return connect("");
        } catch (SQLException e) {
            throw new TaskProblem("Cannot connect to source " + describe() + " as '" + config.get("database.user") + "': "
                    + e.getMessage().replaceFirst("\\.$", "") + ". Check SOURCE_HOST, SOURCE_PORT, SOURCE_USER and SOURCE_PASSWORD.", e);
        }
    }

    /** A connection to the source server; {@code parameters} are extra driver settings ({@code a=b&c=d}). */
    Connection connect(String parameters) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", config.getOrDefault("database.user", ""));
        properties.setProperty("password", config.getOrDefault("database.password", ""));
        properties.setProperty("connectTimeout", "10000");
        String url = "jdbc:mariadb://" + config.get("database.hostname") + ":" + config.getOrDefault("database.port", "3306") + "/"
                + (parameters.isEmpty() ? "" : "?" + parameters);
        return DriverManager.getConnection(url, properties);
    }
}
