package routes.it;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import routes.demo.EmbeddedPostgresServer;

/**
 * A live source workload in a thread of its own: multi-statement transactions over two tables (inserts, updates,
 * deletes, primary-key changes, transfers between accounts). It survives a source restart by reconnecting.
 */
final class Workload implements AutoCloseable {

    private final EmbeddedPostgresServer source;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong nextId = new AtomicLong(10_000_000);
    private final Thread thread;

    Workload(EmbeddedPostgresServer source) {
        this.source = source;
        this.thread = new Thread(this::loop, "workload");
        thread.start();
    }

    static String[] schema(int orders, int accounts) {
        return new String[] {
            "CREATE TABLE orders (id bigint PRIMARY KEY, status varchar(16), amount numeric(12,2), qty int, updated_at timestamp, note text)",
            "INSERT INTO orders SELECT i, 'new', i * 0.01, i % 9, timestamp '2024-01-01' + i * interval '1 second', md5(i::text) FROM generate_series(1, " + orders + ") i",
            "CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL)",
            "INSERT INTO accounts SELECT i, 1000 FROM generate_series(1, " + accounts + ") i"
        };
    }

    private void loop() {
        while (running.get()) {
            try (Connection c = source.connect("shop")) {
                c.setAutoCommit(false);
                while (running.get()) {
                    oneTransaction(c);
                    c.commit();
                    transactions.incrementAndGet();
                }
            } catch (SQLException e) {
                pause(200); // the source is restarting: reconnect
            }
        }
    }

    private void oneTransaction(Connection c) throws SQLException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (Statement s = c.createStatement()) {
            long id = nextId.incrementAndGet();
            s.execute("INSERT INTO orders VALUES (" + id + ", 'new', " + random.nextInt(100000) / 100.0 + ", 1, now(), 'w" + id + "')");
            long existing = 1 + random.nextLong(Math.max(1, id - 10_000_000 + 50_000));
            s.execute("UPDATE orders SET status = 'paid', qty = qty + 1, updated_at = now(), note = NULL WHERE id = " + existing);
            if (random.nextInt(4) == 0) {
                s.execute("DELETE FROM orders WHERE id = " + (1 + random.nextLong(50_000)));
            }
            if (random.nextInt(20) == 0) {
                s.execute("UPDATE orders SET id = " + nextId.incrementAndGet() + " WHERE id = " + (1 + random.nextLong(50_000)));
            }
            int from = 1 + random.nextInt(100);
            int to = 1 + random.nextInt(100);
            s.execute("UPDATE accounts SET balance = balance - 7 WHERE id = " + from);
            s.execute("UPDATE accounts SET balance = balance + 7 WHERE id = " + to);
        }
        pause(2);
    }

    long transactions() {
        return transactions.get();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }
}
