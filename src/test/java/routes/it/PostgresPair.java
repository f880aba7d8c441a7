package routes.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import routes.demo.EmbeddedPostgresServer;

/**
 * A source and a target PostgreSQL server (real binaries, logical decoding on the source) and the environment the
 * example task reads its connections from.
 */
final class PostgresPair implements AutoCloseable {

    /** Given to both servers (they trust local connections); the tests check it never shows up in any output. */
    static final String PASSWORD = "S3cr3t+&%pw=x";

    final Path work;
    final EmbeddedPostgresServer source;
    final EmbeddedPostgresServer target;

    PostgresPair(String name) throws IOException, SQLException {
        work = Files.createTempDirectory("rs-it-" + name);
        source = EmbeddedPostgresServer.start(work.resolve("source"));
        target = EmbeddedPostgresServer.start(work.resolve("target"));
        source.createDatabase("shop");
        target.createDatabase("warehouse");
    }

    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SOURCE_HOST", "localhost");
        env.put("SOURCE_PORT", String.valueOf(source.port()));
        env.put("SOURCE_DATABASE", "shop");
        env.put("SOURCE_USER", "postgres");
        env.put("SOURCE_PASSWORD", PASSWORD);
        env.put("TARGET_JDBC_URL", target.jdbcUrl("warehouse"));
        env.put("TARGET_USER", "postgres");
        env.put("TARGET_PASSWORD", PASSWORD);
        return env;
    }

    SyncProcess startSync(String logName) throws IOException {
        return SyncProcess.start(work.resolve(logName + ".log"), environment(), "run", "examples/postgres-to-postgres.yaml");
    }

    /** The example task with more source kamelet parameters ({@code name: value} lines). */
    SyncProcess startSync(String logName, String... sourceParameters) throws IOException {
        return startSync(logName, environment(), sourceParameters);
    }

    /** The example task capturing other schemas ({@code schemaIncludeList}: comma-separated regular expressions). */
    SyncProcess startSyncOfSchemas(String logName, String schemaIncludeList) throws IOException {
        String example = Files.readString(Path.of("examples/postgres-to-postgres.yaml"));
        String task = example.replace("        schemaIncludeList: public\n", "        schemaIncludeList: \"" + schemaIncludeList + "\"\n");
        Path file = work.resolve(logName + ".yaml");
        Files.writeString(file, task);
        return SyncProcess.start(work.resolve(logName + ".log"), environment(), "run", file.toString());
    }

    /** The same with another environment (e.g. another target). */
    SyncProcess startSync(String logName, Map<String, String> environment, String... sourceParameters) throws IOException {
        String example = Files.readString(Path.of("examples/postgres-to-postgres.yaml"));
        String anchor = "        schemaIncludeList: public\n";
        String task = example.replace(anchor, anchor + String.join("", java.util.Arrays.stream(sourceParameters)
                .map(p -> "        " + p + "\n").toList()));
        Path file = work.resolve(logName + ".yaml");
        Files.writeString(file, task);
        return SyncProcess.start(work.resolve(logName + ".log"), environment, "run", file.toString());
    }

    void source(String... statements) throws SQLException {
        try (Connection c = source.connect("shop"); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    long count(boolean onSource, String table) throws SQLException {
        try (Connection c = onSource ? source.connect("shop") : target.connect("warehouse");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return -1; // not created yet
            }
            throw e;
        }
    }

    /** Row count and a digest of every row's full text, in key order: equal digests mean equal contents and types. */
    static String digest(EmbeddedPostgresServer server, String database, String table, String orderBy) throws SQLException {
        String sql = "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY " + orderBy + ")), '-') FROM " + table + " t";
        try (Connection c = server.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return "missing";
            }
            throw e;
        }
    }

    /**
     * Waits until every table (name -> key ordering) holds the same rows on both sides; returns the mismatches left.
     * Gives up at once if the sync process ended.
     */
    List<String> awaitSameContents(SyncProcess sync, Map<String, String> tables, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!sync.isAlive()) {
                throw new AssertionError("The sync process ended:\n" + sync.output());
            }
            List<String> differing = new java.util.ArrayList<>();
            for (Map.Entry<String, String> table : tables.entrySet()) {
                String onSource = digest(source, "shop", table.getKey(), table.getValue());
                String onTarget = digest(target, "warehouse", table.getKey(), table.getValue());
                if (!onSource.equals(onTarget)) {
                    differing.add(table.getKey() + " source=" + onSource + " target=" + onTarget);
                }
            }
            if (differing.isEmpty() || System.nanoTime() > deadline) {
                return differing;
            }
            Thread.sleep(500);
        }
    }

    @Override
    public void close() throws IOException {
        source.close();
        target.close();
    }
}
