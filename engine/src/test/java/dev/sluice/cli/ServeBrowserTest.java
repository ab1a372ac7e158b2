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
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what + " on " + browser.getCurrentUrl());
            Thread.sleep(100);
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
            assertEquals(3, browser.findElements(By.cssSelector("#pages li")).size());
            shot("home");

            browser.get(f.url("/pages/overview"));
            waitFor("the overview's data", () -> "loaded".equals(browser.findElement(By.id("loaded")).getText()), Duration.ofSeconds(30));
            assertEquals(f.customers(), Long.parseLong(tile("Customers")));
            assertEquals(f.revenue(), Double.parseDouble(tile("Revenue")), 1e-9);
            assertEquals(f.returnedShare(), Double.parseDouble(tile("Returned share")), 1e-9);
            String shownRevenue = browser.findElement(By.cssSelector(".tile[data-title='Revenue'] .value")).getText();
            assertEquals(String.format(java.util.Locale.US, "%,.2f", f.revenue()), shownRevenue, "money as the page shows it");
            assertEquals(1, browser.findElements(By.cssSelector(".chart[data-title='Orders by status'] canvas")).size());
            Object drawn = browser.executeScript("return Chart.getChart(document.querySelector('.chart canvas')).data.datasets[0].data");
            long total = ((List<?>) drawn).stream().mapToLong(v -> ((Number) v).longValue()).sum();
            assertEquals(f.ordersByStatus().values().stream().mapToLong(Long::longValue).sum(), total, "the chart holds every order");
            shot("overview");

            browser.get(f.url("/pages/customers"));
            waitFor("the customer table", () -> "loaded".equals(browser.findElement(By.id("loaded")).getText()), Duration.ofSeconds(30));
            List<WebElement> rows = browser.findElements(By.cssSelector("table.data tr"));
            assertEquals(6, rows.size(), "header and five rows");
            assertEquals("******ce", rows.get(1).findElements(By.tagName("td")).get(2).getText(), "last names masked");
            shot("customers");

            browser.get(f.url("/jobs"));
            assertEquals(2, browser.findElements(By.cssSelector("#jobs button.run")).size());
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
}
