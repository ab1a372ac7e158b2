package dev.sluice.docs;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opens the generated site in headless Chromium from file://, the way a user opens it from disk.
 * Skipped (not failed) where Chromium is not installed.
 */
class DocsBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 900;

    @TempDir
    Path dir;
    private Path index;

    @BeforeEach
    void site() throws IOException {
        // CI installs Chromium; there a missing browser is a failure, not a skip.
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(Files.isExecutable(CHROMIUM), "CI must install chromium for the docs browser tests");
        }
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed at " + CHROMIUM);
        index = DocsGenerator.generate(DocsFixture.target(dir), dir.resolve("site")).index();
    }

    /** Runs Chromium with the given action flag; returns what it printed on stdout. */
    private String chromium(String url, String... action) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + dir.resolve("profile"), "--window-size=" + WIDTH + "," + HEIGHT));
        cmd.addAll(List.of(action));
        cmd.add(url);
        Path stdout = dir.resolve("chromium.out");
        Path stderr = dir.resolve("chromium.err");
        // Output goes to files: a full pipe would stall Chromium, and its stderr is noisy (D-Bus and such).
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("chromium did not finish within 60 s");
        }
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    @Test
    void screenshotShowsARenderedPage() throws Exception {
        Path shot = dir.resolve("shot.png");
        chromium(index.toUri().toString(), "--screenshot=" + shot);
        assertTrue(Files.isRegularFile(shot), "no screenshot written");
        BufferedImage img = ImageIO.read(shot.toFile());
        assertNotNull(img, "screenshot is not a readable image");
        assertEquals(WIDTH, img.getWidth());
        assertEquals(HEIGHT, img.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) colours.add(img.getRGB(x, y));
        }
        // Text anti-aliasing, the dark header, badges and the graph give hundreds; a blank or
        // unstyled page gives a handful.
        assertTrue(colours.size() > 50, "only " + colours.size() + " colours: the page looks blank");
    }

    @Test
    void scriptsRenderTheModelListAndKeepTextEscaped() throws Exception {
        String dom = chromium(index.toUri().toString(), "--dump-dom");
        // These come only from app.js: the sidebar entries and the lineage graph nodes.
        assertTrue(dom.contains("id=\"model-list\""), dom);
        assertTrue(dom.contains("data-node-id=\"model.tiny.customers\""), dom);
        assertTrue(dom.contains(">stg_orders</a>") || dom.contains("stg_orders</a>"), dom);
        assertTrue(dom.contains("data-id=\"model.tiny.stg_orders\""), "lineage graph node missing");
        assertFalse(dom.contains("<noscript>"), "the app replaces the no-script fallback");
        // The description with a script tag is shown as text, not turned into an element.
        assertFalse(dom.contains("<script>alert"), dom);
        assertTrue(dom.contains("&lt;script&gt;alert"), dom);
    }

    @Test
    void modelPageShowsColumnsTestsAndSql() throws Exception {
        String dom = chromium(index.toUri() + "#/node/model.tiny.customers", "--dump-dom");
        assertTrue(dom.contains("Primary key"), "column description");
        assertTrue(dom.contains("not_null"), "test on the model");
        assertTrue(dom.contains("badge fail"), "last test status");
        assertTrue(dom.contains("stg_orders.order_id"), "upstream column");
        assertTrue(dom.contains("select 1"), "compiled SQL");
    }

    @Test
    void insightsPageDrawsCharts() throws Exception {
        String dom = chromium(index.toUri() + "#/insights", "--dump-dom");
        assertTrue(dom.contains("aria-label=\"Segment sizes\""), dom);
        assertTrue(dom.contains("aria-label=\"ROC curve\""), dom);
        assertTrue(dom.contains("aria-label=\"Precision / recall\""), dom);
        assertTrue(dom.contains("<polyline"), dom);
        // The chosen threshold is marked on both curves and shown as a card.
        assertEquals(2, dom.split("class=\"threshold\"", -1).length - 1, dom);
        assertTrue(dom.contains("threshold (f1)"), dom);
    }
}
