package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.demo.EmbeddedPostgresServer;

/**
 * Object selection and sync modes from a real MariaDB into PostgreSQL: sharded tables merged into one with identity
 * columns, a shard created while the task runs, naming rules with include and exclude lists, and the settings that
 * cannot work (two tables onto one name in mirror mode, a selection that matches nothing).
 */
class MySqlModesIT {

    private static EmbeddedMariaDb source;
    private static EmbeddedPostgresServer target;
    private static Path work;

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("rs-it-modes");
        source = new EmbeddedMariaDb();
        target = EmbeddedPostgresServer.start(work.resolve("target"));
        for (int db = 0; db < 2; db++) {
            source.execute("", "CREATE DATABASE shop_" + db);
            for (int shard = 0; shard < 3; shard++) {
                String extra = db == 1 && shard == 2 ? ", coupon VARCHAR(20)" : ""; // one shard has a column more
                source.execute("shop_" + db,
                        "CREATE TABLE orders_" + shard + " (id INT PRIMARY KEY, status VARCHAR(16), amount DECIMAL(10,2)" + extra + ")",
                        "INSERT INTO orders_" + shard + " (id, status, amount) SELECT seq, 'new', seq + " + (db * 10 + shard) + " / 100 FROM seq_1_to_100");
            }
        }
        source.execute("", "CREATE DATABASE shop");
        source.execute("shop", "CREATE TABLE dev_items (id INT PRIMARY KEY, name VARCHAR(20))", "INSERT INTO dev_items VALUES (1, 'a'), (2, 'b')",
                "CREATE TABLE dev_secrets (id INT PRIMARY KEY)", "CREATE TABLE customers (id INT PRIMARY KEY, name TEXT)",
                "INSERT INTO customers VALUES (7, 'x')");
    }

    @AfterAll
    static void stopServers() throws Exception {
        source.close();
        target.close();
    }

    /** A task file: mysql-cdc-source into jdbc-merge-sink with the given extra parameters on each side. */
    private static Path task(String name, String database, Map<String, String> sourceParams, Map<String, String> sinkParams) throws Exception {
        target.createDatabase(database);
        StringBuilder yaml = new StringBuilder("""
                - route:
                    from:
                      uri: "kamelet:mysql-cdc-source"
                      parameters:
                """ + source.sourceParameters(name, "        "));
        // Regular expressions go in RAW(...): Camel would read a + in them as a space.
        sourceParams.forEach((k, v) -> yaml.append("        ").append(k).append(": 'RAW(").append(v).append(")'\n"));
        yaml.append("""
                      steps:
                        - to:
                            uri: "kamelet:jdbc-merge-sink"
                            parameters:
                              task: %s
                              jdbcUrl: "%s"
                              username: postgres
                              targetSchema: public
                """.formatted(name, target.jdbcUrl(database)));
        sinkParams.forEach((k, v) -> yaml.append("              ").append(k).append(": '").append(v).append("'\n"));
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static SyncProcess run(Path task) throws Exception {
        return SyncProcess.start(work.resolve(task.getFileName() + ".log"), Map.of(), "run", task.toString());
    }

    /** Every shard's rows on the source, as the merged target should hold them (identity columns first). */
    private static List<String> shardRows() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int db = 0; db < 2; db++) {
            try (Connection c = source.connect("shop_" + db)) {
                List<String> tables = new ArrayList<>();
                try (var rs = c.createStatement().executeQuery("SHOW TABLES")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String table : tables) {
                    for (String row : CanonicalRows.of(c, table, "id", Set.of())) {
                        String[] f = row.split("\\|");
                        String coupon = f.length > 3 ? f[3] : "\\N";
                        rows.add("shop_" + db + "|" + table + "|" + f[0] + "|" + f[1] + "|" + f[2] + "|" + coupon);
                    }
                }
            }
        }
        rows.sort(null);
        return rows;
    }

    private static List<String> mergedRows(String database) throws Exception {
        try (Connection c = target.connect(database)) {
            List<String> rows = new ArrayList<>(CanonicalRows.of(c, "public.orders", "1, 2, 3", Set.of()));
            rows.sort(null);
            return rows;
        }
    }

    private static void awaitEqual(SyncProcess sync, String what, java.util.concurrent.Callable<List<String>> expected,
            java.util.concurrent.Callable<List<String>> actual) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            assertTrue(sync.isAlive(), sync.output());
            List<String> e = expected.call();
            List<String> a = actual.call();
            if (e.equals(a)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                assertEquals(e, a, what);
            }
            Thread.sleep(500);
        }
    }

    @Test
    void shardsMergeIntoOneTableWithIdentityColumns() throws Exception {
        Path task = task("merge-shards", "merged", Map.of("databaseIncludeList", "shop_[0-9]+", "tableIncludeList", "shop_[0-9]+\\.orders_[0-9]+"),
                Map.of("targetTable", "orders", "mode", "merge", "identityColumns", "source_database_name,source_table_name"));
        try (SyncProcess sync = run(task)) {
            awaitEqual(sync, "full load of 6 shards with colliding keys", MySqlModesIT::shardRows, () -> mergedRows("merged"));
            assertEquals(600, mergedRows("merged").size());

            source.execute("shop_1", "UPDATE orders_2 SET coupon = 'SAVE5', status = 'paid' WHERE id <= 10", "DELETE FROM orders_0 WHERE id > 90");
            source.execute("shop_0", "UPDATE orders_1 SET amount = amount * 2 WHERE id = 1");
            // a shard created while the task runs is picked up: created on the target, then streamed
            source.execute("shop_0", "CREATE TABLE orders_3 (id INT PRIMARY KEY, status VARCHAR(16), amount DECIMAL(10,2))",
                    "INSERT INTO orders_3 VALUES (1, 'late', 1.00), (2, 'late', 2.00)");
            awaitEqual(sync, "changes and a new shard", MySqlModesIT::shardRows, () -> mergedRows("merged"));
        }
    }

    @Test
    void namingRuleWithIncludeAndExcludeLists() throws Exception {
        Path task = task("naming", "named", Map.of("databaseIncludeList", "shop", "tableExcludeList", "shop\\.dev_secrets"),
                Map.of("targetTable", "ods_${source_database_name}_${table_name/^dev_/prd_}"));
        try (SyncProcess sync = run(task); Connection t = target.connect("named")) {
            awaitEqual(sync, "renamed tables", () -> List.of("1|a", "2|b", "7|x"), () -> {
                List<String> rows = new ArrayList<>(CanonicalRows.of(t, "public.ods_shop_prd_items", "id", Set.of()));
                rows.addAll(CanonicalRows.of(t, "public.ods_shop_customers", "id", Set.of()));
                return rows;
            });
            assertEquals(List.of("missing"), CanonicalRows.of(t, "public.ods_shop_prd_secrets", "id", Set.of()), "excluded table");
        }
    }

    @Test
    void settingsThatCannotWorkStopWithTheFix() throws Exception {
        Path clash = task("clash", "clash", Map.of("databaseIncludeList", "shop_0"), Map.of("targetTable", "orders"));
        try (SyncProcess sync = run(clash)) {
            assertEquals(1, sync.awaitExit(Duration.ofMinutes(1)), sync.output());
            assertTrue(sync.output().contains("all map to target table public.orders: in mirror mode"), sync.output());
        }
        Path none = task("nothing", "nothing", Map.of("databaseIncludeList", "shop", "tableIncludeList", "shop\\.no_such_.*"), Map.of());
        try (SyncProcess sync = run(none)) {
            assertEquals(1, sync.awaitExit(Duration.ofMinutes(1)), sync.output());
            assertTrue(sync.output().contains("No table of MariaDB 127.0.0.1:" + source.port() + " matches"), sync.output());
        }
    }
}
