package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A source transaction is never visible in part on the target. Client threads each run transactions that set their
 * two accounts to k and insert ledger row k, while the target is sampled every 100 ms in one statement (one consistent
 * read); in between the sync is killed with kill -9, started again, stopped with SIGTERM and started again. No sample may show a thread's two accounts
 * apart, or its accounts and its last ledger row apart; at the end the target equals the source.
 */
class TransactionBoundaryIT {

    private static final int THREADS = 3;
    /** Threads whose accounts and ledger disagree: a partly applied transaction. */
    private static final String BROKEN_THREADS = "SELECT a.thread, a.low, a.high, l.last FROM (SELECT thread, min(v) AS low, max(v) AS high FROM accounts "
            + "GROUP BY thread) a LEFT JOIN (SELECT thread, max(id) AS last FROM ledger GROUP BY thread) l ON l.thread = a.thread "
            + "WHERE a.low <> a.high OR a.high <> coalesce(l.last, 0)";

    /** What happened when, the sampler's broken samples among the sync's starts and stops: the failure's story. */
    private static final List<String> timeline = java.util.Collections.synchronizedList(new ArrayList<>());
    private static volatile long started = System.nanoTime();

    private static PostgresPair postgres;
    private static EmbeddedMariaDb mariaSource;
    private static EmbeddedMariaDb mariaTarget;

    interface Database {
        Connection connect() throws SQLException;
    }

    /** What the source does once the sync was killed. */
    interface AfterKill {
        void accept(Database source) throws SQLException;
    }

    /**
     * PostgreSQL keeps a killed client's replication connection, and so its slot, busy until its TCP timeout; the
     * restarted sync would wait for the slot (ten seconds a try). End it now, as the server would later.
     */
    private static void endReplicationOfKilledSync(Database source) throws SQLException {
        try (Connection c = source.connect(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE active_pid IS NOT NULL").close();
        }
    }

    @BeforeAll
    static void servers() throws Exception {
        // The three servers start side by side: each takes seconds, most of them spent waiting.
        ExecutorService starting = Executors.newFixedThreadPool(3);
        try {
            Future<PostgresPair> pair = starting.submit(() -> {
                PostgresPair started = new PostgresPair("txboundary");
                started.target.createDatabase("from_maria");
                return started;
            });
            Future<EmbeddedMariaDb> source = starting.submit(() -> {
                EmbeddedMariaDb started = new EmbeddedMariaDb();
                started.execute("", "CREATE DATABASE to_postgres", "CREATE DATABASE to_maria");
                return started;
            });
            Future<EmbeddedMariaDb> target = starting.submit(() -> {
                EmbeddedMariaDb started = new EmbeddedMariaDb("--skip-log-bin");
                started.execute("", "CREATE DATABASE warehouse");
                return started;
            });
            ExecutionException failed = null;
            try {
                postgres = pair.get();
            } catch (ExecutionException e) {
                failed = e;
            }
            try {
                mariaSource = source.get();
            } catch (ExecutionException e) {
                failed = failed == null ? e : failed;
            }
            try {
                mariaTarget = target.get();
            } catch (ExecutionException e) {
                failed = failed == null ? e : failed;
            }
            if (failed != null) {
                throw new IllegalStateException("A test server did not start", failed.getCause());
            }
        } finally {
            starting.shutdown();
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
        if (mariaSource != null) {
            mariaSource.close();
        }
        if (mariaTarget != null) {
            mariaTarget.close();
        }
    }

    @Test
    void postgresToPostgres() throws Exception {
        Map<String, String> env = postgres.environment();
        check("pg-pg", env, "examples/postgres-to-postgres.yaml", () -> postgres.source.connect("shop"),
                () -> postgres.target.connect("warehouse"), TransactionBoundaryIT::endReplicationOfKilledSync);
    }

    @Test
    void mariaDbToPostgres() throws Exception {
        Map<String, String> env = mariaSource.sourceEnvironment("to_postgres");
        env.put("TARGET_JDBC_URL", postgres.target.jdbcUrl("from_maria"));
        env.put("TARGET_USER", "postgres");
        env.put("TARGET_PASSWORD", PostgresPair.PASSWORD);
        check("maria-pg", env, "examples/mysql-to-postgres.yaml", () -> mariaSource.connect("to_postgres"),
                () -> postgres.target.connect("from_maria"), source -> { });
    }

    @Test
    void mariaDbToMariaDb() throws Exception {
        Map<String, String> env = mariaSource.sourceEnvironment("to_maria");
        env.put("TARGET_JDBC_URL", mariaTarget.url("warehouse"));
        env.put("TARGET_USER", EmbeddedMariaDb.ADMIN);
        env.put("TARGET_PASSWORD", EmbeddedMariaDb.ADMIN_PASSWORD);
        check("maria-maria", env, "examples/mysql-to-mysql.yaml", () -> mariaSource.connect("to_maria"),
                () -> mariaTarget.connect("warehouse"), source -> { });
    }

    private static void check(String name, Map<String, String> env, String task, Database source, Database target, AfterKill afterKill)
            throws Exception {
        try (Connection c = source.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE accounts (id int PRIMARY KEY, thread int NOT NULL, v bigint NOT NULL)");
            s.execute("CREATE TABLE ledger (id bigint PRIMARY KEY, thread int NOT NULL)");
            s.execute("CREATE TABLE probe (id int PRIMARY KEY)");
            for (int t = 0; t < THREADS; t++) {
                s.execute("INSERT INTO accounts VALUES (" + (2 * t) + ", " + t + ", 0), (" + (2 * t + 1) + ", " + t + ", 0)");
            }
        }
        timeline.clear();
        started = System.nanoTime();
        SyncProcess sync = SyncProcess.start(postgres.work.resolve(name + "-1.log"), env, "run", task);
        try {
            awaitAccounts(sync, target);
            // Only then do the clients start: a full load is not a source transaction, and a table copied after the
            // clients began would hold rows whose companions in a table copied before arrive only with the stream.
            sync.awaitOutput("full load done", Duration.ofMinutes(1));
            timeline.add(at() + " full load done; clients start");
            List<Thread> clients = new ArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong next = new AtomicLong();
            AtomicLong transactions = new AtomicLong();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                clients.add(started(() -> transfers(source, thread, running, next, transactions)));
            }
            Sampler sampler = new Sampler(target);
            Thread sampling = started(sampler);

            Thread.sleep(5_000);
            sync.kill9(); // in the middle of the stream; sampling goes on
            timeline.add(at() + " killed with kill -9");
            afterKill.accept(source);
            sync = SyncProcess.start(postgres.work.resolve(name + "-2.log"), env, "run", task);
            timeline.add(at() + " started again");
            awaitProgress(sync, target);
            timeline.add(at() + " writes again");
            Thread.sleep(2_000);
            sync.stop(); // SIGTERM in the middle of the stream: the capture stops, likely inside a transaction
            timeline.add(at() + " stopped with SIGTERM");
            sync = SyncProcess.start(postgres.work.resolve(name + "-3.log"), env, "run", task);
            timeline.add(at() + " started again");
            awaitProgress(sync, target);
            timeline.add(at() + " writes again");
            Thread.sleep(2_000);
            running.set(false);
            timeline.add(at() + " clients stop");
            for (Thread client : clients) {
                client.join();
            }
            long catchUp = System.nanoTime();
            List<String> differing = awaitSameRows(sync, source, target, Duration.ofMinutes(2));
            catchUp = System.nanoTime() - catchUp;
            sampler.stop();
            sampling.join();
            System.out.printf("%s: %d source transactions, %d target samples, %d showed a transaction in part; backlog caught up "
                    + "in %d ms; commit-to-visible of single-row transactions on an idle source: %s ms%n", name, transactions.get(),
                    sampler.samples.get(), sampler.broken.get(), catchUp / 1_000_000, visibleAfter(source, target));
            timeline.forEach(line -> System.out.println(name + ": " + line));
            assertEquals(List.of(), differing, sync.output());
            assertTrue(transactions.get() > 200, "the clients ran: " + transactions.get());
            assertTrue(sampler.samples.get() > 100, "the target was sampled: " + sampler.samples.get());
            assertEquals(0, sampler.broken.get(), name + ": samples that showed a transaction in part, of " + sampler.samples.get()
                    + "\n" + String.join("\n", timeline.subList(0, Math.min(timeline.size(), 40))));
        } finally {
            sync.close();
        }
    }

    /** One client: each transaction sets its thread's two accounts to k and inserts ledger row k. */
    private static void transfers(Database source, int thread, AtomicBoolean running, AtomicLong next, AtomicLong transactions) {
        try (Connection c = source.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            while (running.get()) {
                long k = next.incrementAndGet();
                s.executeUpdate("UPDATE accounts SET v = " + k + " WHERE id = " + (2 * thread));
                s.executeUpdate("UPDATE accounts SET v = " + k + " WHERE id = " + (2 * thread + 1));
                s.executeUpdate("INSERT INTO ledger VALUES (" + k + ", " + thread + ")");
                c.commit();
                transactions.incrementAndGet();
                Thread.sleep(5); // a busy source, not a backlog that outruns the sync on a shared machine
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the invariant on the target every 100 ms, in one statement. */
    private static final class Sampler implements Runnable {
        private final Database target;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong samples = new AtomicLong();
        final AtomicLong broken = new AtomicLong();

        Sampler(Database target) {
            this.target = target;
        }

        @Override
        public void run() {
            try (Connection c = target.connect(); Statement s = c.createStatement()) {
                while (running.get()) {
                    try (ResultSet rs = s.executeQuery(BROKEN_THREADS)) {
                        samples.incrementAndGet();
                        StringBuilder threads = new StringBuilder();
                        while (rs.next()) {
                            threads.append(" thread ").append(rs.getInt(1)).append(" accounts ").append(rs.getLong(2)).append('/')
                                    .append(rs.getLong(3)).append(" ledger ").append(rs.getLong(4));
                        }
                        if (threads.length() > 0) {
                            broken.incrementAndGet();
                            timeline.add(at() + " broken:" + threads);
                        }
                    }
                    Thread.sleep(100);
                }
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        void stop() {
            running.set(false);
        }
    }

    /** Milliseconds since this check began. */
    private static String at() {
        return String.format("%6d ms", (System.nanoTime() - started) / 1_000_000);
    }

    private static Thread started(Runnable body) {
        Thread thread = new Thread(body);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void awaitAccounts(SyncProcess sync, Database target) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(sync.isAlive(), sync.output());
            try (Connection c = target.connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM ledger)")) {
                rs.next();
                if (rs.getLong(1) == 2 * THREADS) {
                    return;
                }
            } catch (SQLException e) {
                // the tables are not there yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the full load never reached the target:\n" + sync.output());
    }

    /** Milliseconds from the source's commit until the target shows the row, for ten single-row transactions (sorted). */
    private static List<Long> visibleAfter(Database source, Database target) throws Exception {
        List<Long> millis = new ArrayList<>();
        try (Connection s = source.connect(); Connection t = target.connect(); Statement onSource = s.createStatement();
                Statement onTarget = t.createStatement()) {
            for (int i = 1; i <= 10; i++) {
                onSource.executeUpdate("INSERT INTO probe VALUES (" + i + ")");
                long committed = System.nanoTime();
                while (true) {
                    try (ResultSet rs = onTarget.executeQuery("SELECT count(*) FROM probe WHERE id = " + i)) {
                        rs.next();
                        if (rs.getLong(1) == 1) {
                            break;
                        }
                    } catch (SQLException e) {
                        // the table is not there yet
                    }
                    if (System.nanoTime() - committed > Duration.ofSeconds(30).toNanos()) {
                        throw new AssertionError("probe row " + i + " never reached the target");
                    }
                    Thread.sleep(2);
                }
                millis.add((System.nanoTime() - committed) / 1_000_000);
                Thread.sleep(100);
            }
        }
        millis.sort(null);
        return millis;
    }

    /** Waits until the target's ledger grows: the restarted sync streams again. */
    private static void awaitProgress(SyncProcess sync, Database target) throws Exception {
        long before = ledgerRows(target);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (ledgerRows(target) <= before) {
            assertTrue(sync.isAlive() && System.nanoTime() < deadline, "the restarted sync never wrote:\n" + sync.output());
            Thread.sleep(200);
        }
    }

    private static long ledgerRows(Database target) throws SQLException {
        try (Connection c = target.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM ledger")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> awaitSameRows(SyncProcess sync, Database source, Database target, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            assertTrue(sync.isAlive(), sync.output());
            List<String> differing = new ArrayList<>();
            for (String query : List.of("SELECT id, thread, v FROM accounts ORDER BY id", "SELECT id, thread FROM ledger ORDER BY id")) {
                List<String> onSource = rows(source, query);
                List<String> onTarget = rows(target, query);
                if (!onSource.equals(onTarget)) {
                    differing.add(query + ": source has " + onSource.size() + " rows, target " + onTarget.size());
                }
            }
            if (differing.isEmpty() || System.nanoTime() > deadline) {
                return differing;
            }
            Thread.sleep(500);
        }
    }

    private static List<String> rows(Database database, String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(rs.getLong(i)).append(',');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
