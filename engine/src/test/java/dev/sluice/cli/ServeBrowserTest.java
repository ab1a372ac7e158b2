package dev.sluice.cli;

import dev.sluice.serve.ServeAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * engine serve in a real browser (Debian's chromium through its chromedriver, headless): every page opens, the
 * dashboard shows the figures computed from the seed files, and a job launched with its button runs to the end
 * while its page streams the output. Screenshots of each page go to engine/target/screenshots/.
 */
class ServeBrowserTest extends ProjectTest {
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target/screenshots");
    private ChromeDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        if (!Files.isExecutable(DRIVER)) {
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException("CI must install chromium-driver for the browser tests");
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no chromedriver on this machine");
        }
        ChromeOptions options = new ChromeOptions();
        if (Files.isExecutable(Path.of("/usr/bin/chromium"))) options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) browser.quit();
    }

    private void waitFor(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what + " on " + browser.getCurrentUrl());
            Thread.sleep(100);
        }
    }

    /** Under load the driver may answer before the page is there: an element not there yet is a condition not met yet. */
    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException notYet) {
            return false;
        }
    }

    private void shot(String name) throws Exception {
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve("serve-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(SHOTS.resolve("serve-" + name + ".png")) > 1000, "a real screenshot");
    }

    private String tile(String title) {
        return browser.findElement(By.cssSelector(".tile[data-title='" + title + "'] .value")).getAttribute("data-raw");
    }

    @Test
    void everyPageOpensTheFiguresMatchAndALaunchedJobRunsToTheEnd() throws Exception {
        try (ServeFixture f = new ServeFixture(copy("shop"), "127.0.0.1", ServeAuth.forBinding(InetAddress.getLoopbackAddress(), Map.of()))) {
            browser.get(f.url("/"));
            // Two dashboard pages, the DAG and the jobs (waited for: under load the driver has answered before the list was there).
            waitFor("the home page's four links", () -> browser.findElements(By.cssSelector("#pages li")).size() == 4, Duration.ofSeconds(30));
            shot("home");

            browser.get(f.url("/pages/overview"));
            waitFor("the overview's data", () -> "loaded".equals(browser.findElement(By.id("loaded")).getText()), Duration.ofSeconds(30));
            assertEquals(f.customers(), Long.parseLong(tile("Customers")));
            assertEquals(f.revenue(), Double.parseDouble(tile("Revenue")), 1e-9);
            assertEquals(f.returnedShare(), Double.parseDouble(tile("Returned share")), 1e-9);
            // The trend tile: its points, its change and its last value are the seed files' figures, day by day.
            List<Double> byDay = new java.util.ArrayList<>(f.revenueByDay().values());
            Object trend = browser.executeScript("return Chart.getChart(document.querySelector(\".tile[data-title='Revenue by day'] canvas\")).data.datasets[0].data");
            List<?> points = (List<?>) trend;
            assertEquals(byDay.size(), points.size(), "one point per day");
            for (int i = 0; i < byDay.size(); i++) assertEquals(byDay.get(i), ((Number) points.get(i)).doubleValue(), 1e-9, "day " + i);
            int n = byDay.size();
            double change = (byDay.get(n - 1) - byDay.get(n - 2)) / byDay.get(n - 2);
            WebElement changeEl = browser.findElement(By.cssSelector(".tile[data-title='Revenue by day'] .change"));
            assertEquals(change, Double.parseDouble(changeEl.getAttribute("data-raw")), 1e-12);
            assertTrue(changeEl.getText().endsWith(String.format(java.util.Locale.US, "%.1f%% vs %d", Math.abs(change) * 100,
                    new java.util.ArrayList<>(f.revenueByDay().keySet()).get(n - 2))), changeEl.getText());
            assertEquals(f.ordersByDay().get(f.ordersByDay().lastKey()), Long.parseLong(tile("Orders on the last day")));
            String shownRevenue = browser.findElement(By.cssSelector(".tile[data-title='Revenue'] .value")).getText();
            assertEquals(String.format(java.util.Locale.US, "%,.2f", f.revenue()), shownRevenue, "money as the page shows it");
            assertEquals(1, browser.findElements(By.cssSelector(".chart[data-title='Orders by status'] canvas")).size());
            Object drawn = browser.executeScript("return Chart.getChart(document.querySelector('.chart canvas')).data.datasets[0].data");
            long total = ((List<?>) drawn).stream().mapToLong(v -> ((Number) v).longValue()).sum();
            assertEquals(f.ordersByStatus().values().stream().mapToLong(Long::longValue).sum(), total, "the chart holds every order");
            shot("overview");

            browser.get(f.url("/pages/customers"));
            waitFor("the customer table", () -> "loaded".equals(browser.findElement(By.id("loaded")).getText()), Duration.ofSeconds(30));
            List<WebElement> rows = browser.findElements(By.cssSelector("table.data[data-title='Customer list'] tr"));
            assertEquals(6, rows.size(), "header and five rows");
            assertEquals("******ce", rows.get(1).findElements(By.tagName("td")).get(2).getText(), "last names masked");
            shot("customers");

            // Drill-down: a status's orders behind the table's link, profiled, sorted by a header click, paged.
            List<ServeFixture.Order> completed = f.orders("completed");
            browser.findElement(By.cssSelector("table.data[data-title='Orders by status'] a.drill[href$='value=completed']")).click();
            waitFor("the drill-down", () -> browser.findElement(By.id("loaded")).getText().equals("loaded 0 order_id asc"), Duration.ofSeconds(30));
            assertEquals(completed.size(), Long.parseLong(tile("Rows")));
            double avg = completed.stream().filter(o -> o.amount() != null).mapToDouble(ServeFixture.Order::amount).average().orElseThrow();
            assertEquals(avg, Double.parseDouble(tile("Average amount")), 1e-9);
            List<WebElement> drill = browser.findElements(By.cssSelector("#drill tr"));
            assertEquals(3, drill.size(), "header and a page of two");
            assertEquals(String.valueOf(completed.get(0).id()), drill.get(1).findElements(By.tagName("td")).get(0).getText());
            assertEquals("Page 1 of " + (completed.size() + 1) / 2 + " (" + completed.size() + " rows)", browser.findElement(By.id("pageinfo")).getText());
            assertTrue(browser.findElement(By.id("masked")).getText().contains("last_name"), "the pii-tagged column is masked");
            browser.findElement(By.cssSelector("#drill th[data-col='amount']")).click();
            waitFor("sorted by amount", () -> browser.findElement(By.id("loaded")).getText().equals("loaded 0 amount asc"), Duration.ofSeconds(30));
            browser.findElement(By.cssSelector("#drill th[data-col='amount']")).click();
            waitFor("sorted by amount, largest first", () -> browser.findElement(By.id("loaded")).getText().equals("loaded 0 amount desc"), Duration.ofSeconds(30));
            double max = completed.stream().filter(o -> o.amount() != null).mapToDouble(ServeFixture.Order::amount).max().orElseThrow();
            assertEquals(max, Double.parseDouble(browser.findElements(By.cssSelector("#drill tr")).get(1).findElements(By.tagName("td")).get(3).getText()), 1e-9);
            browser.findElement(By.id("next")).click();
            waitFor("the second page", () -> browser.findElement(By.id("loaded")).getText().equals("loaded 1 amount desc"), Duration.ofSeconds(30));
            shot("drill");

            browser.get(f.url("/jobs"));
            waitFor("the jobs page's two jobs", () -> browser.findElements(By.cssSelector("#jobs button.run")).size() == 2, Duration.ofSeconds(30));
            shot("jobs");
            browser.findElement(By.cssSelector("button.run[data-job='marts']")).click();
            waitFor("the run page", () -> browser.getCurrentUrl().contains("/runs/"), Duration.ofSeconds(30));
            waitFor("the run to end", () -> !List.of("queued", "running").contains(browser.findElement(By.id("run-status")).getText()),
                    Duration.ofMinutes(3));
            assertEquals("success", browser.findElement(By.id("run-status")).getText());
            assertTrue(browser.findElement(By.id("log")).getText().contains("Completed successfully"));
            shot("run");

            browser.get(f.url("/jobs"));
            assertTrue(browser.findElements(By.cssSelector("#history td.success")).size() >= 1, "the run is in the history");
            assertTrue(browser.findElements(By.cssSelector("#live td.success")).size() >= 1, "and among the runs started here");
        }
    }

    @Test
    void theRetailDashboardsPagesOpenWithTheWarehousesFigures() throws Exception {
        CliHarness p = CliHarness.copyOf(Path.of("..", "project").toAbsolutePath().normalize(), "retail", tmp, Warehouse.DUCKDB);
        CliHarness.Result built = p.run("build", "--vars", RetailProjectTest.SIZE);
        assertEquals(0, built.exitCode(), built.all());
        try (ServeFixture f = ServeFixture.serving(p, "127.0.0.1", ServeAuth.forBinding(InetAddress.getLoopbackAddress(), Map.of()), "retail")) {
            browser.get(f.url("/"));
            waitFor("the home page's links", () -> browser.findElements(By.cssSelector("#pages li")).size() >= 5, Duration.ofSeconds(30));
            for (String page : List.of("overview", "segments", "churn", "transactions", "campaigns")) {
                browser.get(f.url("/pages/" + page));
                waitFor("the " + page + " page's data", () -> "loaded".equals(browser.findElement(By.id("loaded")).getText()),
                        Duration.ofSeconds(60));
                assertTrue(browser.findElements(By.cssSelector(".error")).isEmpty(), page + ": " + browser.findElements(By.cssSelector(".error")));
                shot("retail-" + page);
                switch (page) {
                    case "overview" -> {
                        // Customers as the generator's raw table has them, once each person's records are unified.
                        assertEquals(p.count("main_gold.dim_customer"), Long.parseLong(tile("Customers")));
                        assertEquals(p.count("main_gold.customer_lifecycle where lifecycle_stage = 'active'"), Long.parseLong(tile("Active customers")));
                    }
                    case "churn" -> {
                        double threshold = Double.parseDouble(tile("Decision threshold"));
                        assertEquals(((Number) p.scalar("select value from main_ml.churn_metrics where metric = 'threshold' and model = "
                                + "(select model from main_ml.churn_metrics where metric = 'chosen' and value = 1)")).doubleValue(), threshold, 1e-9);
                        // At risk by the model's own decisions, not by the page's comparison with the threshold.
                        assertEquals(p.count("main_gold.customer_scores where churn_predicted = 1"), Long.parseLong(tile("At-risk customers")));
                    }
                    case "campaigns" -> assertEquals(p.count("main.sluice_activation_log"), Long.parseLong(tile("Exports logged")));
                    default -> assertTrue(browser.findElements(By.cssSelector(".chart canvas, table.data")).size() > 0, page + " shows charts or tables");
                }
            }
        }
    }

    private void click(WebElement e) {
        // SVG groups take a dispatched click: WebDriver's own click aims at the element's centre, which may be text.
        browser.executeScript("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", e);
    }

    private String endStatus() throws InterruptedException {
        waitFor("the run to end", () -> !List.of("queued", "running").contains(browser.findElement(By.id("run-status")).getText()),
                Duration.ofMinutes(3));
        return browser.findElement(By.id("run-status")).getText();
    }

    private java.util.Set<String> ls(ServeFixture f, String... args) throws Exception {
        List<String> a = new java.util.ArrayList<>(List.of("ls", "--output", "json", "--output-keys", "unique_id"));
        a.addAll(List.of(args));
        CliHarness.Result r = f.project.run(a.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.all());
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (String l : r.out().split("\n")) {
            if (l.startsWith("{")) ids.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(l).get("unique_id").asText());
        }
        return ids;
    }

    /**
     * From the DAG page: pick a node, build it and what depends on it, watch each node's status, time and log
     * fill in; a failing job's node shows its error, sends one e-mail and one webhook naming it, and is retried
     * from the browser once fixed.
     */
    @Test
    void theDagLaunchesANodeAndItsDescendantsAndAFailureIsRetriedFromTheBrowser() throws Exception {
        com.icegreen.greenmail.util.GreenMail smtp = new com.icegreen.greenmail.util.GreenMail(com.icegreen.greenmail.util.ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        List<String> hooks = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer hookServer = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        hookServer.createContext("/hook", ex -> {
            hooks.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hookServer.start();
        try (ServeFixture f = new ServeFixture(copy("shop"), "127.0.0.1", ServeAuth.forBinding(InetAddress.getLoopbackAddress(), Map.of()))) {
            f.project.write("jobs.yml", ServeFixture.JOBS + "    notify:\n      on: [failure]\n"
                    + "      email: {to: [crm@example.com], from: sluice@example.com, host: 127.0.0.1, port: " + smtp.getSmtp().getPort() + "}\n"
                    + "      webhook: {url: 'http://127.0.0.1:" + hookServer.getAddress().getPort() + "/hook'}\n");
            // An edit, so stg_orders is rebuilt rather than skipped as unchanged.
            f.project.write("models/staging/stg_orders.sql", f.project.read("models/staging/stg_orders.sql") + "\n-- edited\n");

            browser.get(f.url("/dag"));
            waitFor("the DAG", () -> "loaded".equals(browser.findElement(By.id("loaded")).getText()), Duration.ofSeconds(30));
            assertEquals(ls(f, "--resource-types", "model", "seed", "snapshot").size(), browser.findElements(By.cssSelector("#graph g.node")).size(),
                    "every model, seed and snapshot is drawn");
            click(browser.findElement(By.cssSelector("#graph g.node[data-name='stg_orders']")));
            java.util.Set<String> downstream = ls(f, "-s", "stg_orders+", "--resource-types", "model", "seed", "snapshot");
            java.util.Set<String> marked = new java.util.TreeSet<>();
            for (WebElement g : browser.findElements(By.cssSelector("#graph g.node.down"))) marked.add(g.getAttribute("data-id"));
            assertEquals(downstream, marked, "the selection is the node and what depends on it");
            assertEquals("build -s stg_orders+", browser.findElement(By.id("selection-text")).getText());
            shot("dag");

            browser.findElement(By.id("build-down")).click();
            waitFor("the run page", () -> browser.getCurrentUrl().contains("/runs/"), Duration.ofSeconds(30));
            assertEquals("success", endStatus());
            java.util.Set<String> shown = new java.util.TreeSet<>();
            for (WebElement tr : browser.findElements(By.cssSelector("#nodes tr.node"))) shown.add(tr.getAttribute("data-node"));
            assertEquals(ls(f, "-s", "stg_orders+"), shown, "one row per node the selection ran, tests included");
            WebElement row = browser.findElement(By.cssSelector("#nodes tr.node[data-node='model.shop.stg_orders']"));
            List<WebElement> cells = row.findElements(By.tagName("td"));
            assertEquals("success", cells.get(2).getText());
            assertTrue(cells.get(4).getText().matches("\\d+\\.\\d\\d"), "seconds: " + cells.get(4).getText());
            row.findElement(By.cssSelector("button.lines")).click();
            WebElement log = browser.findElement(By.cssSelector("#nodes tr.nodelog[data-node='model.shop.stg_orders'] pre"));
            assertTrue(log.isDisplayed());
            assertTrue(log.getText().contains("START sql view model main.stg_orders") && log.getText().contains("OK created sql view model main.stg_orders"),
                    log.getText());
            shot("run-nodes");

            browser.get(f.url("/dag"));
            waitFor("the DAG", () -> "loaded".equals(browser.findElement(By.id("loaded")).getText()), Duration.ofSeconds(30));
            assertEquals("success", browser.findElement(By.cssSelector("#graph g.node[data-name='stg_orders'] circle.status")).getAttribute("data-status"),
                    "the DAG shows the latest run's status");
            browser.findElement(By.cssSelector("button.run[data-job='broken']")).click();
            waitFor("the run page", () -> browser.getCurrentUrl().contains("/runs/"), Duration.ofSeconds(30));
            String failedUrl = browser.getCurrentUrl();
            assertEquals("failure", endStatus());
            WebElement broken = browser.findElement(By.cssSelector("#nodes tr.node[data-node='model.shop.broken_model']"));
            assertEquals("error", broken.findElements(By.tagName("td")).get(2).getText());
            broken.findElement(By.cssSelector("button.lines")).click();
            assertTrue(browser.findElement(By.cssSelector("#nodes tr.nodelog[data-node='model.shop.broken_model'] pre")).getText().contains("no_such_column"));
            assertEquals(1, smtp.getReceivedMessages().length, "one e-mail");
            assertEquals("[sluice] job broken FAILED: model.shop.broken_model", smtp.getReceivedMessages()[0].getSubject());
            assertTrue(com.icegreen.greenmail.util.GreenMailUtil.getBody(smtp.getReceivedMessages()[0]).contains("no_such_column"));
            assertEquals(1, hooks.size(), "one webhook");
            assertTrue(hooks.get(0).contains("model.shop.broken_model") && hooks.get(0).contains("no_such_column"), hooks.get(0));
            assertTrue(browser.findElement(By.id("retry")).isDisplayed());
            shot("run-failed");

            f.project.write("models/broken_model.sql", "select id from {{ ref('raw_orders') }}\n");
            browser.findElement(By.id("retry")).click();
            waitFor("the retry's page", () -> browser.getCurrentUrl().contains("/runs/") && !browser.getCurrentUrl().equals(failedUrl), Duration.ofSeconds(30));
            assertEquals("success", endStatus());
            assertEquals(List.of("model.shop.broken_model"), browser.findElements(By.cssSelector("#nodes tr.node")).stream()
                    .map(e -> e.getAttribute("data-node")).toList(), "retry re-runs only the failed node");
            shot("retry");
        } finally {
            smtp.stop();
            hookServer.stop(0);
        }
    }

    /** Bound off loopback with a token: a page without it is refused, a link with it signs the browser in. */
    @Test
    void offLoopbackTheBrowserNeedsTheToken() throws Exception {
        ServeAuth auth = ServeAuth.forBinding(InetAddress.getByName("0.0.0.0"), Map.of("SLUICE_SERVE_TOKEN", "t0ken"));
        try (ServeFixture f = new ServeFixture(copy("shop"), "0.0.0.0", auth)) {
            for (String page : List.of("/", "/pages/overview", "/dag", "/jobs")) {
                browser.get(f.url(page));
                assertTrue(browser.findElement(By.tagName("body")).getText().startsWith("401"), page + ": " + browser.getPageSource());
            }
            shot("unauthorised");
            browser.get(f.url("/dag?token=t0ken"));
            waitFor("the DAG", () -> "loaded".equals(browser.findElement(By.id("loaded")).getText()), Duration.ofSeconds(30));
            assertTrue(browser.findElements(By.cssSelector("#graph g.node")).size() > 0);
            assertTrue(!browser.getCurrentUrl().contains("token"), "the token left the address bar: " + browser.getCurrentUrl());
        }
    }
}
