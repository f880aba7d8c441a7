package routes.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from a Maven artifact (io.zonky.test's binaries), with logical decoding on, for the
 * demo and the tests. It can be stopped and started again on the same port and data directory.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private final Path dataDirectory;
    private int port;
    private EmbeddedPostgres server;

    private EmbeddedPostgresServer(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    /** Starts a new server whose data lives in the given (empty or missing) directory. */
    public static EmbeddedPostgresServer start(Path dataDirectory) throws IOException {
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDirectory);
        server.startServer(true);
        return server;
    }

    private void startServer(boolean clean) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(clean)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "20")
                .setServerConfig("max_wal_senders", "20")
                .setServerConfig("timezone", "UTC")
                .setServerConfig("fsync", "on");
        if (port != 0) {
            builder.setPort(port);
        }
        server = builder.start();
        port = server.getPort();
    }

    /** Stops the server, keeping its data (the next {@link #restart} picks it up). */
    public void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public void restart() throws IOException {
        stop();
        startServer(false);
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    /** A connection as the superuser to the given database. */
    public Connection connect(String database) throws SQLException {
        return server.getDatabase("postgres", database).getConnection();
    }

    public void createDatabase(String database) throws SQLException {
        try (Connection c = connect("postgres"); var statement = c.createStatement()) {
            statement.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
