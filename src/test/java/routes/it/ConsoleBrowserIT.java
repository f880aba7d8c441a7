package routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.change.TableId;
import routes.ops.api.ApiToken;
import routes.ops.api.OperatorApi;
import routes.ops.console.ConsoleRoutes;
import routes.state.SyncTask;
import routes.state.TableState;
import routes.state.TaskRegistry;

/**
 * The web console in a real browser (Debian's headless Chromium through its chromedriver, which .ci/browser installs
 * when missing) against the example PostgreSQL task run as users run it, under a live workload: the sign-in page
 * first, a wrong token refused, the figures shown equal to the API's, a table paused by clicking (the target table
 * stops changing while the other goes on), resumed by keyboard, resynced, and no page ever holding the password.
 * Screenshots go to target/console-screenshots/. A second test fills the tables list with 1,000 tables.
 */
class ConsoleBrowserIT {

    private static final String TASK = "postgres-to-postgres";
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> pagesSeen = new ArrayList<>();
    private WebDriver browser;
    private Path profile;
    private String base;
    private String token;

    @BeforeEach
    void startBrowser() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        profile = Files.createTempDirectory("rs-it-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("console.chromium", "/usr/bin/chromium"));
        // Offline as on a machine without internet: no background traffic, no component or sync downloads.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--window-size=1440,900", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("console.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void signInWatchTheTaskAndPauseResumeAndResyncATableByClicking() throws Exception {
        try (PostgresPair pair = new PostgresPair("console")) {
            pair.source(Workload.schema(5_000, 100));
            Map<String, String> environment = new LinkedHashMap<>(pair.environment());
            environment.put("REALTIME_SYNC_TOKEN_FILE", pair.work.resolve("api-token").toString());
            int port = SyncProcess.freePort();
            base = "http://127.0.0.1:" + port;
            Map<String, String> tables = Map.of("public.orders", "id", "public.accounts", "id");
            // A rule set for the task, which the alerts page lists before any of its rules fires.
            Path alertRules = pair.work.resolve("alert-rules.yaml");
            Files.writeString(alertRules, """
                    - route:
                        id: console-alert-rules
                        from:
                          uri: "kamelet:realtime-sync-alert-rules"
                          parameters:
                            task: %s
                            rules: "latency,table-stopped"
                            latencySeconds: 45
                            stateDirectory: "%s"
                            channels: "log:realtime-sync.alerts"
                          steps:
                            - log: "${body}"
                    """.formatted(TASK, pair.work.resolve("alert-history")));
            try (SyncProcess sync = SyncProcess.start(pair.work.resolve("console.log"), environment, "run",
                    "examples/postgres-to-postgres.yaml", alertRules.toString(), "--http", "127.0.0.1:" + port)) {
                assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(3)));
                token = Files.readString(pair.work.resolve("api-token")).strip();
                // Without sign-in: the API refuses, the console shows its sign-in page.
                assertEquals(401, api("GET", "/api/tasks", null).statusCode());
                browser.get(base + "/console/#/tasks/" + TASK + "/tables");
                await("the sign-in page", () -> present("#sign-in-token"));
                assertEquals(401, fetchStatus("/api/tasks"), "the browser without a session");
                assertEquals(401, fetchStatus("/observe/metrics"), "the browser without a session");
                screenshot("sign-in");

                find("#sign-in-token").sendKeys("wrong-" + token);
                find("#sign-in-submit").click();
                await("the wrong token refused", () -> text("#sign-in-problem").contains("Wrong token"));
                assertTrue(browser.manage().getCookies().isEmpty(), "no cookie for a wrong token");

                find("#sign-in-token").sendKeys(token, Keys.ENTER);
                await("the tables page it was asked for", () -> present("tr[data-table='public.accounts']"));
                Cookie session = browser.manage().getCookieNamed("realtime_sync_session");
                assertTrue(session != null && session.isHttpOnly() && "Strict".equals(session.getSameSite()), String.valueOf(session));
                assertNotEquals(token, session.getValue(), "the cookie is a session id, not the token");
                assertEquals(-1, ((String) ((JavascriptExecutor) browser).executeScript("return document.cookie")).indexOf("realtime_sync_session"),
                        "script cannot read the session");

                find("#nav a[data-page='task']").click();
                await("the task page", () -> text("#task-phase").equals("STREAMING"));
                awaitTheApisCounters();
                assertTrue(Long.parseLong(find("#task-rowsWritten").getAttribute("data-value")) >= 5_100, "the full load's rows at least");
                String restarts = api("GET", "/observe/metrics", token).body().lines()
                        .filter(line -> line.startsWith("realtime_sync_engine_restarts_total{") && line.contains("task=\"" + TASK + "\""))
                        .map(line -> line.substring(line.lastIndexOf(' ') + 1)).findFirst().orElseThrow();
                await("the engine restarts as the metrics count them",
                        () -> find("#task-restarts").getAttribute("data-value").equals(String.valueOf((long) Double.parseDouble(restarts))));

                Workload workload = new Workload(pair.source);
                try {
                    await("the write rate under the workload", () -> !find("#task-writeRate").getAttribute("data-value").isEmpty()
                            && Double.parseDouble(find("#task-writeRate").getAttribute("data-value")) > 0);
                    screenshot("task");
                    find("#nav a[data-page='tables']").click();
                    await("the tables list", () -> present("tr[data-table='public.orders']") && present("tr[data-table='public.accounts']"));
                    for (JsonNode table : json(api("GET", "/api/tasks/" + TASK + "/tables", token), 200)) {
                        String row = "tr[data-table='" + table.get("table").asText() + "'] ";
                        assertEquals(table.get("state").asText(), text(row + "td.state .badge"));
                    }
                    screenshot("tables");

                    // Pause by clicking; Escape first closes the dialog and does nothing.
                    find("button[data-action='pause'][data-table='public.accounts']").click();
                    await("the confirmation", this::dialogOpen);
                    assertTrue(text("#confirm-title").contains("public.accounts"));
                    screenshot("confirm-pause");
                    browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
                    await("Escape to close the dialog", () -> !dialogOpen());
                    assertEquals("SYNCING", tableState("public.accounts"), "Escape does nothing");
                    find("button[data-action='pause'][data-table='public.accounts']").click();
                    await("the confirmation", this::dialogOpen);
                    find("#confirm-ok").click();
                    await("the list to show PAUSED", () -> text("tr[data-table='public.accounts'] td.state .badge").equals("PAUSED"));
                    assertEquals("PAUSED", tableState("public.accounts"));

                    // The paused table's target stays as it was while the other goes on.
                    String accounts = PostgresPair.digest(pair.target, "warehouse", "accounts", "id");
                    String orders = PostgresPair.digest(pair.target, "warehouse", "orders", "id");
                    long before = workload.transactions();
                    await("more source transactions", () -> workload.transactions() > before + 200);
                    await("the other table to move on", () -> !PostgresPair.digest(pair.target, "warehouse", "orders", "id").equals(orders));
                    assertEquals(accounts, PostgresPair.digest(pair.target, "warehouse", "accounts", "id"), "a paused table does not change");
                    screenshot("paused");

                    // Resume by keyboard: Enter on the button, Tab from Cancel to the confirm button, Enter.
                    find("button[data-action='resume'][data-table='public.accounts']").sendKeys(Keys.ENTER);
                    await("the confirmation", this::dialogOpen);
                    assertEquals("confirm-cancel", browser.switchTo().activeElement().getAttribute("id"), "the safe choice has the focus");
                    browser.switchTo().activeElement().sendKeys(Keys.TAB);
                    browser.switchTo().activeElement().sendKeys(Keys.ENTER);
                    await("the list to show SYNCING", () -> text("tr[data-table='public.accounts'] td.state .badge").equals("SYNCING"));
                    await("the held changes to reach the target",
                            () -> !PostgresPair.digest(pair.target, "warehouse", "accounts", "id").equals(accounts));

                    // Backfill with a WHERE condition, then resync; both end SYNCING and the target equals the source.
                    find("button[data-action='backfill'][data-table='public.orders']").click();
                    await("the confirmation", this::dialogOpen);
                    find("#confirm-where").sendKeys("id <= 100");
                    screenshot("confirm-backfill");
                    find("#confirm-ok").click();
                    await("the backfill to be recorded", () -> text("#notice").contains("Backfill of public.orders: recorded"));
                    await("the backfill to end", () -> "SYNCING".equals(tableState("public.orders")));
                    find("button[data-action='resync'][data-table='public.accounts']").click();
                    await("the confirmation", this::dialogOpen);
                    find("#confirm-ok").click();
                    await("the resync to be recorded", () -> text("#notice").contains("Resync of public.accounts: recorded"));
                    await("the resync to end", () -> "SYNCING".equals(tableState("public.accounts"))
                            && text("tr[data-table='public.accounts'] td.state .badge").equals("SYNCING"));

                    find("tr[data-table='public.orders'] th a").click();
                    await("the table page", () -> text("#table-state").startsWith("SYNCING"));
                    await("its latency chart", () -> present("#table-latency-chart svg"));
                    screenshot("table");
                    find("#nav a[data-page='alerts']").click();
                    await("the alerts page", () -> present("#alerts-history"));
                    await("the latency rule with its threshold", () -> text("#alerts-rules").contains("latencySeconds=45"));
                    screenshot("alerts");
                    find("#nav a[data-page='configuration']").click();
                    await("the configuration page", () -> present("#configuration-yaml"));
                    HttpResponse<String> configuration = api("GET", "/api/tasks/" + TASK + "/configuration", token);
                    if (configuration.statusCode() == 200) {
                        String yaml = JSON.readTree(configuration.body()).get("yaml").asText();
                        await("the task's YAML", () -> text("#configuration-yaml").equals(yaml.strip()) || text("#configuration-yaml").contains("postgres-cdc-source"));
                    }
                    screenshot("configuration");
                    find("#nav a[data-page='task']").click();
                    await("the task page", () -> text("#task-phase").equals("STREAMING"));
                    await("its latency chart", () -> present("#task-latency-chart svg path.series"));
                    find("#notice button").click(); // the last operation's notice, dismissed by its button
                    await("the notice to go", () -> !present("#notice p"));
                    screenshot("task-later");
                } finally {
                    workload.close();
                }
                assertEquals(List.of(), pair.awaitSameContents(sync, tables, Duration.ofMinutes(3)));
                awaitTheApisCounters(); // the task page is the last one shown

                // Sign out: the session ends, the API refuses the browser again.
                find("#sign-out").click();
                await("the sign-in page", () -> present("#sign-in-token"));
                assertEquals(401, fetchStatus("/api/tasks"), "after sign-out");
                browser.get(base + "/console/#/tasks/" + TASK + "/configuration");
                await("the sign-in page", () -> present("#sign-in-token"));
                pagesSeen.add(browser.getPageSource());

                for (String page : pagesSeen) {
                    assertFalse(page.contains(PostgresPair.PASSWORD), "a page shows the password:\n" + page);
                    assertFalse(page.contains(token), "a page shows the token:\n" + page);
                }
                assertFalse(sync.output().contains(token), "the log holds the token");
            }
        }
    }

    /** The tables list with 1,000 tables: 50 rows in the document, filtered, sorted and paged at once. */
    @Test
    void aThousandTablesArePagedFilteredAndSorted() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        Main main = new Main();
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", String.valueOf(port));
        ApiToken apiToken = ApiToken.forPort(port);
        token = ApiToken.read(port);
        main.configure().addRoutesBuilder(new OperatorApi(apiToken));
        main.configure().addRoutesBuilder(new ConsoleRoutes(apiToken));
        main.start();
        try {
            SyncTask task = TaskRegistry.of(main.getCamelContext()).task("wide");
            for (int i = 0; i < 1000; i++) {
                task.table(new TableId("public", String.format("t%04d", i)), i % 100 == 7 ? TableState.STOPPED : TableState.SYNCING,
                        i % 100 == 7 ? "stopped for the test" : null);
            }
            browser.get(base + "/console/");
            await("the sign-in page", () -> present("#sign-in-token"));
            find("#sign-in-token").sendKeys(token, Keys.ENTER);
            await("the task page", () -> present("#task-phase"));
            find("#nav a[data-page='tables']").click();
            await("the first page", () -> text("#tables-count").equals("1–50 of 1,000"));
            assertEquals(50, browser.findElements(By.cssSelector("#tables-body tr")).size(), "one page of rows in the document");
            assertEquals("public.t0000", text("#tables-body tr:first-child th"));
            find("#tables-next").click();
            await("the second page", () -> text("#tables-count").equals("51–100 of 1,000"));
            assertEquals("public.t0050", text("#tables-body tr:first-child th"));
            screenshot("tables-1000");

            find("#tables-filter").sendKeys("t0999");
            await("the filter", () -> text("#tables-count").startsWith("1–1 of 1"));
            assertEquals("public.t0999", text("#tables-body tr:first-child th"));
            find("#tables-filter").clear();
            find("#tables-filter").sendKeys("stopped");
            await("the filter on state and reason", () -> text("#tables-count").startsWith("1–10 of 10"));
            find("#tables-filter").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
            await("all again", () -> text("#tables-count").equals("1–50 of 1,000"));
            find("button[data-sort='state']").click();
            await("sorted by state", () -> text("#tables-body tr:first-child td.state .badge").equals("STOPPED"));
            assertEquals("ascending", find("th[data-key='state']").getAttribute("aria-sort"));
            pagesSeen.add(browser.getPageSource());
        } finally {
            main.stop();
            if (apiToken.file() != null) {
                Files.deleteIfExists(apiToken.file());
            }
        }
    }

    /** The task page shows the API's counters once they settle (the page polls every 2 s). */
    private void awaitTheApisCounters() throws Exception {
        await("the task page to show the API's counters", () -> {
            JsonNode task = json(api("GET", "/api/tasks/" + TASK, token), 200);
            return find("#task-rowsWritten").getAttribute("data-value").equals(task.get("rowsWritten").asText())
                    && find("#task-rowsRead").getAttribute("data-value").equals(task.get("rowsRead").asText())
                    && find("#task-refused").getAttribute("data-value").equals(task.get("rowsRefused").asText())
                    && sameNumber(find("#task-latency").getAttribute("data-value"), task.get("commitLatencySeconds"));
        });
    }

    /** A number as the page holds it (empty for none) and as the API gave it (JSON null for none). */
    private static boolean sameNumber(String shown, JsonNode given) {
        return given == null || given.isNull() ? shown.isEmpty() : !shown.isEmpty() && Double.parseDouble(shown) == given.asDouble();
    }

    private HttpResponse<String> api(String method, String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private String tableState(String table) throws Exception {
        return json(api("GET", "/api/tasks/" + TASK + "/tables/" + table, token), 200).get("state").asText();
    }

    /** The status of a GET the page itself makes (with whatever cookie the browser holds). */
    private int fetchStatus(String path) {
        Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; fetch(arguments[0], {credentials: 'same-origin'}).then(r => done(r.status), e => done(-1));",
                path);
        return ((Number) status).intValue();
    }

    private boolean dialogOpen() {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript("return document.getElementById('confirm').open"));
    }

    private WebElement find(String css) {
        return browser.findElement(By.cssSelector(css));
    }

    private boolean present(String css) {
        return !browser.findElements(By.cssSelector(css)).isEmpty();
    }

    private String text(String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText().strip();
    }

    private void screenshot(String name) throws Exception {
        pagesSeen.add(browser.getPageSource());
        Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Polls until the condition holds (the console updates every 2 s); fails with what was awaited and the page. */
    private void await(String what, Check condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    pagesSeen.add(browser.getPageSource());
                    return;
                }
            } catch (StaleElementReferenceException e) {
                last = e; // the page replaced the element meanwhile: look again
            }
            Thread.sleep(200);
        }
        screenshot("failed-" + what.replaceAll("[^a-zA-Z0-9]+", "-"));
        throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + (last == null ? "" : " (" + last + ")")
                + "; the page:\n" + browser.findElement(By.tagName("body")).getText());
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }
}
