package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import routes.change.TableId;
import routes.demo.EmbeddedPostgresServer;
import routes.ops.TaskEvent;
import routes.ops.TaskEvents;
import routes.state.SyncTask;
import routes.state.TableState;
import routes.state.TaskPhase;
import routes.state.TaskRegistry;

/**
 * Two tasks in one JVM, in one CamelContext and in two CamelContexts under the same task name: each has its own
 * state in its context's task registry, and when one fails (its target stops taking its rows) the other goes on
 * syncing, its registry showing it streaming while the failed one shows why it stopped.
 */
class TwoTasksInOneJvmIT {

    private static Path work;
    private static EmbeddedPostgresServer source;
    private static EmbeddedPostgresServer target;
    private final List<CamelContext> contexts = new ArrayList<>();

    @BeforeAll
    static void servers() throws Exception {
        work = Files.createTempDirectory("rs-it-two-tasks");
        source = EmbeddedPostgresServer.start(work.resolve("source"));
        target = EmbeddedPostgresServer.start(work.resolve("target"));
        source.createDatabase("shop");
        sql(source, "shop", "CREATE TABLE alpha_items (id int PRIMARY KEY, v text)", "CREATE TABLE beta_items (id int PRIMARY KEY, v text)",
                "CREATE TABLE orders (id int PRIMARY KEY, v text)",
                "INSERT INTO alpha_items SELECT i, 'a' || i FROM generate_series(1, 100) i",
                "INSERT INTO beta_items SELECT i, 'b' || i FROM generate_series(1, 100) i",
                "INSERT INTO orders SELECT i, 'o' || i FROM generate_series(1, 100) i");
        // The targets that will fail belong to a user without superuser rights, so that a revoked privilege binds it.
        sql(target, "postgres", "CREATE ROLE sync_writer LOGIN");
        for (String database : List.of("alpha", "beta", "first", "second")) {
            target.createDatabase(database);
        }
        sql(target, "postgres", "ALTER DATABASE beta OWNER TO sync_writer", "ALTER DATABASE second OWNER TO sync_writer");
    }

    @AfterAll
    static void stopServers() throws Exception {
        target.close();
        source.close();
    }

    @AfterEach
    void stopContexts() {
        contexts.forEach(CamelContext::stop);
    }

    @Test
    void aFailedTaskLeavesTheOtherTaskOfItsContextSyncing() throws Exception {
        List<TaskEvent> events = new CopyOnWriteArrayList<>();
        CamelContext context = start(events, task("alpha", "alpha_items", "alpha", "postgres"), task("beta", "beta_items", "beta", "sync_writer"));
        TaskRegistry registry = TaskRegistry.of(context);
        SyncTask alpha = registry.find("alpha");
        SyncTask beta = registry.find("beta");
        await("both full loads", () -> count("alpha", "alpha_items") == 100 && count("beta", "beta_items") == 100
                && alpha.phase() == TaskPhase.STREAMING && beta.phase() == TaskPhase.STREAMING);
        assertEquals(Map.of(new TableId("public", "alpha_items"), TableState.SYNCING), states(alpha));
        assertEquals(Map.of(new TableId("public", "beta_items"), TableState.SYNCING), states(beta));

        sql(target, "beta", "REVOKE INSERT, UPDATE ON public.beta_items FROM sync_writer");
        sql(source, "shop", "INSERT INTO beta_items VALUES (101, 'refused')", "INSERT INTO alpha_items VALUES (101, 'a101')");
        await("beta to fail", () -> beta.phase() == TaskPhase.FAILED);
        String captureOfBeta = beta.captureRoute();
        await("beta's capture to stop", () -> context.getRouteController().getRouteStatus(captureOfBeta) == ServiceStatus.Stopped);

        sql(source, "shop", "INSERT INTO alpha_items SELECT i, 'a' || i FROM generate_series(102, 150) i", "UPDATE alpha_items SET v = 'changed' WHERE id <= 10");
        await("alpha to go on", () -> count("alpha", "alpha_items") == 150 && count("alpha", "alpha_items WHERE v = 'changed'") == 10);

        assertTrue(beta.failure().contains("permission denied for table beta_items"), beta.failure());
        assertEquals(Map.of(new TableId("public", "beta_items"), TableState.TASK_STOPPED), states(beta));
        assertNull(alpha.failure());
        assertEquals(TaskPhase.STREAMING, alpha.phase());
        assertEquals(Map.of(new TableId("public", "alpha_items"), TableState.SYNCING), states(alpha));
        // The full load copied its 100 rows in chunks, outside the route, counted as their chunk committed; the 60
        // changes since went through the route.
        await("alpha's commit counted", () -> alpha.rowsWritten() == 160);
        assertEquals(160, alpha.rowsRead());
        assertEquals(new SyncTask.TableLoad(1, 1, 100), alpha.loads().get(new TableId("public", "alpha_items")));
        assertEquals(100, beta.rowsWritten(), "its full load, before it failed");
        assertNotNull(alpha.position());
        assertNotNull(alpha.commitLatency());
        assertNotEquals(captureOfBeta, alpha.captureRoute());
        assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus(alpha.captureRoute()));
        assertEquals(Map.of("task-alpha", HealthCheck.State.UP, "task-beta", HealthCheck.State.DOWN), health(context));

        await("beta's failure event", () -> events.stream().anyMatch(e -> e instanceof TaskEvent.TaskFailed));
        assertEquals(List.of("beta"), events.stream().filter(e -> e instanceof TaskEvent.TaskFailed).map(TaskEvent::task).toList());
    }

    @Test
    void twoContextsRunTasksOfTheSameNameApart() throws Exception {
        CamelContext first = start(new ArrayList<>(), task("orders", "orders", "first", "postgres", "orders_first"));
        CamelContext second = start(new ArrayList<>(), task("orders", "orders", "second", "sync_writer", "orders_second"));
        SyncTask inFirst = TaskRegistry.of(first).find("orders");
        SyncTask inSecond = TaskRegistry.of(second).find("orders");
        assertNotEquals(inFirst.key(), inSecond.key());
        await("both full loads", () -> count("first", "orders") == 100 && count("second", "orders") == 100
                && inFirst.phase() == TaskPhase.STREAMING && inSecond.phase() == TaskPhase.STREAMING);

        sql(target, "second", "REVOKE INSERT, UPDATE ON public.orders FROM sync_writer");
        sql(source, "shop", "INSERT INTO orders SELECT i, 'o' || i FROM generate_series(101, 120) i");
        await("the second context's task to fail", () -> inSecond.phase() == TaskPhase.FAILED);
        await("the first context's task to go on", () -> count("first", "orders") == 120);
        sql(source, "shop", "INSERT INTO orders VALUES (121, 'after')");
        await("the first context's task to go on after", () -> count("first", "orders") == 121);

        assertNull(inFirst.failure());
        assertEquals(TaskPhase.STREAMING, inFirst.phase());
        assertEquals(Map.of(new TableId("public", "orders"), TableState.SYNCING), states(inFirst));
        assertTrue(inSecond.failure().contains("permission denied for table orders"), inSecond.failure());
        assertEquals(Map.of(new TableId("public", "orders"), TableState.TASK_STOPPED), states(inSecond));
        assertEquals(100, count("second", "orders"), "nothing after the failure reached the second target");
        assertEquals(Map.of("task-orders", HealthCheck.State.UP), health(first));
        assertEquals(Map.of("task-orders", HealthCheck.State.DOWN), health(second));
    }

    /** A task from source table {@code table} into target database {@code database}, with a slot of its own. */
    private static RouteBuilder task(String task, String table, String database, String user) {
        return task(task, table, database, user, task);
    }

    private static RouteBuilder task(String task, String table, String database, String user, String slot) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:postgres-cdc-source?task=" + task + "&databaseHostname=localhost&databasePort=" + source.port()
                        + "&databaseDbname=shop&databaseUser=postgres&tableIncludeList=public." + table + "&slotName=" + slot
                        + "&publicationName=" + slot)
                        .routeId(task + "-" + database)
                        .to("kamelet:jdbc-merge-sink?task=" + task + "&jdbcUrl=RAW(" + target.jdbcUrl(database) + ")&username=" + user);
            }
        };
    }

    private CamelContext start(List<TaskEvent> events, RouteBuilder... tasks) throws Exception {
        CamelContext context = new DefaultCamelContext();
        contexts.add(context);
        for (RouteBuilder task : tasks) {
            context.addRoutes(task);
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(TaskEvents.ENDPOINT).routeId("events").process(exchange -> events.add(exchange.getMessage().getBody(TaskEvent.class)));
            }
        });
        context.start();
        return context;
    }

    private static Map<TableId, TableState> states(SyncTask task) {
        Map<TableId, TableState> states = new java.util.TreeMap<>(java.util.Comparator.comparing(TableId::toString));
        task.tables().forEach((table, status) -> states.put(table, status.state()));
        return states;
    }

    private static Map<String, HealthCheck.State> health(CamelContext context) {
        Map<String, HealthCheck.State> states = new java.util.TreeMap<>();
        HealthCheckRegistry.get(context).stream().filter(check -> "realtime-sync".equals(check.getGroup()))
                .forEach(check -> states.put(check.getId(), check.call().getState()));
        return states;
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up waiting for " + what);
            }
            Thread.sleep(300);
        }
    }

    private static long count(String database, String table) throws Exception {
        try (Connection c = target.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return -1;
            }
            throw e;
        }
    }

    private static void sql(EmbeddedPostgresServer server, String database, String... statements) throws Exception {
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
