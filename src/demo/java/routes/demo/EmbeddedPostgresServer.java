package routes.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.sql.Connection;
import java.sql.SQLException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from a Maven artifact (io.zonky.test's binaries), with logical decoding on, for the
 * demo and the tests. It can be stopped and started again on the same port and data directory.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private final Path dataDirectory;
    private final String walLevel;
    private int port;
    private EmbeddedPostgres server;

    private EmbeddedPostgresServer(Path dataDirectory, String walLevel) {
        this.dataDirectory = dataDirectory;
        this.walLevel = walLevel;
    }

    /** Starts a new server whose data lives in the given directory (emptied first). */
    public static EmbeddedPostgresServer start(Path dataDirectory) throws IOException {
        return start(dataDirectory, "logical");
    }

    /** The same with another wal_level (a source that cannot be captured, for tests of that error). */
    public static EmbeddedPostgresServer start(Path dataDirectory, String walLevel) throws IOException {
        deleteRecursively(dataDirectory);
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(dataDirectory, walLevel);
        server.startServer();
        return server;
    }

    private void startServer() throws IOException {
        // Never let the library delete the data on stop: a restart must find it again. close() deletes it.
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setServerConfig("wal_level", walLevel)
                .setServerConfig("max_replication_slots", "20")
                .setServerConfig("max_wal_senders", "20")
                .setServerConfig("timezone", "UTC")
                .setServerConfig("fsync", "on")
                // The server's own log beside its data directory (kept after close), for when something goes wrong.
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log").toFile()))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log").toFile()));
        if (port != 0) {
            builder.setPort(port);
        }
        server = builder.start();
        port = server.getPort();
    }

    /** Stops the server, keeping its data (the next {@link #restart} picks it up). */
    public void stop() throws IOException {
        if (server != null) {
            // The library's pg_ctl stop gives up after 5 s, before a large shutdown checkpoint ends: wait for the
            // postmaster to leave (it removes postmaster.pid last) so the data directory can be started again.
            server.close();
            server = null;
            Path pid = dataDirectory.resolve("postmaster.pid");
            for (int i = 0; i < 600 && Files.exists(pid); i++) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("Interrupted while PostgreSQL was stopping", e);
                }
            }
        }
    }

    public void restart() throws IOException {
        stop();
        startServer();
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

    /** Stops the server and deletes its data. */
    @Override
    public void close() throws IOException {
        stop();
        deleteRecursively(dataDirectory);
    }

    /** Deletes a folder and everything in it. */
    public static void deleteRecursively(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
