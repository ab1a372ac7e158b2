package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs generate and docs serve as a user runs them. */
class DocsCommandTest extends ProjectTest {
    @Test
    void generateThenServeOnLoopback() throws Exception {
        CliHarness p = copy("shop");
        assertEquals(0, p.run("build").exitCode());
        CliHarness.Result r = p.run("docs", "generate");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("target/docs/index.html"), r.out());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        Thread server = new Thread(() -> Main.run(new String[]{"docs", "serve", "--port", "0", "--project-dir",
                p.dir.toString()}, ps, ps));
        server.setDaemon(true);
        server.start();
        Pattern url = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/)");
        Matcher m = url.matcher("");
        for (int i = 0; i < 100 && !m.find(); i++) {
            Thread.sleep(100);
            m = url.matcher(out.toString(StandardCharsets.UTF_8));
        }
        assertTrue(m.find(0), "server announced its address: " + out);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(m.group(1))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<html"), page.body());
        HttpResponse<String> data = client.send(HttpRequest.newBuilder(URI.create(m.group(1) + "data.js")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(data.body().contains("model.shop.customers"), "the site's data has the project's models");
        server.interrupt();
        server.join(5000);
    }
}
