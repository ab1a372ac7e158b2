package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.error.ConfigException;
import dev.sluice.serve.ServeAuth;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * engine serve over HTTP: credentials on a non-loopback address, the dashboard's figures against the seed files,
 * launching a job and following its output as server-sent events, and retry from failure.
 */
class ServeTest extends ProjectTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAddressOtherThanLoopbackNeedsCredentials() throws Exception {
        InetAddress any = InetAddress.getByName("0.0.0.0");
        ConfigException e = assertThrows(ConfigException.class, () -> ServeAuth.forBinding(any, Map.of()));
        assertTrue(e.getMessage().contains("SLUICE_SERVE_TOKEN"), e.getMessage());
        assertThrows(ConfigException.class, () -> ServeAuth.forBinding(any, Map.of("SLUICE_SERVE_USER", "ops")));
        ServeAuth auth = ServeAuth.forBinding(any, Map.of("SLUICE_SERVE_TOKEN", "t0ken", "SLUICE_SERVE_USER", "ops", "SLUICE_SERVE_PASSWORD", "pw"));
        try (ServeFixture f = new ServeFixture(copy("shop"), "0.0.0.0", auth)) {
            assertEquals(200, get(f.url("/health")).statusCode());
            List<String> paths = List.of("/", "/pages/overview", "/api/pages/overview", "/jobs", "/assets/chart.umd.js", "/nothing");
            for (String p : paths) assertEquals(401, get(f.url(p)).statusCode(), p);
            assertEquals(401, get(f.url("/"), "Authorization", "Bearer wrong").statusCode());
            assertEquals(401, post(f.url("/api/jobs/marts/run"), "", "X-Sluice-Action", "1").statusCode());
            assertEquals(200, get(f.url("/api/pages/overview"), "Authorization", "Bearer t0ken").statusCode());
            String basic = java.util.Base64.getEncoder().encodeToString("ops:pw".getBytes());
            assertEquals(200, get(f.url("/jobs"), "Authorization", "Basic " + basic).statusCode());
            // A link with the token signs a browser in with a cookie, and takes the token out of the address.
            HttpResponse<String> signIn = get(f.url("/jobs?token=t0ken"));
            assertEquals(303, signIn.statusCode());
            String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            assertEquals(200, get(f.url("/jobs"), "Cookie", cookie).statusCode());
            assertTrue(ServeAuth.forBinding(InetAddress.getLoopbackAddress(), Map.of()).principal(null).isPresent(),
                    "loopback without credentials is open to the local user");
        }
    }

    @Test
    void dashboardFiguresEqualTheSeedFiles() throws Exception {
        try (ServeFixture f = new ServeFixture(copy("shop"), "127.0.0.1", ServeAuth.forBinding(InetAddress.getLoopbackAddress(), Map.of()))) {
            JsonNode page = JSON.readTree(get(f.url("/api/pages/overview")).body());
            JsonNode tiles = page.get("tiles");
            assertEquals(f.customers(), tiles.get(0).get("value").asLong());
            assertEquals(f.revenue(), tiles.get(1).get("value").asDouble(), 1e-9);
            assertEquals(f.returnedShare(), tiles.get(2).get("value").asDouble(), 1e-9);
            JsonNode chart = page.get("charts").get(0);
            Map<String, Long> byStatus = f.ordersByStatus();
            assertEquals(byStatus.size(), chart.get("labels").size());
            for (int i = 0; i < chart.get("labels").size(); i++) {
                assertEquals(byStatus.get(chart.get("labels").get(i).asText()), chart.get("series").get(0).get("data").get(i).asLong());
            }
            JsonNode table = JSON.readTree(get(f.url("/api/pages/customers")).body()).get("tables").get(0);
            assertEquals(5, table.get("rows").size(), "the table's limit");
            assertEquals("Ada", table.get("rows").get(0).get(1).asText());
            assertEquals("******ce", table.get("rows").get(0).get(2).asText(), "last_name is masked");
            assertEquals(200, get(f.url("/assets/chart.umd.js")).statusCode(), "Chart.js is served from the jar");
        }
    }

    private List<String> follow(ServeFixture f, String runId) throws Exception {
        HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(f.url("/api/runs/" + runId + "/events"))).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        List<String> lines = new ArrayList<>();
        r.body().forEach(lines::add);
        return lines;
    }

    @Test
    void aLaunchedJobStreamsItsOutputAndAFailureCanBeRetried() throws Exception {
        try (ServeFixture f = new ServeFixture(copy("shop"), "127.0.0.1", ServeAuth.forBinding(InetAddress.getLoopbackAddress(), Map.of()))) {
            assertEquals(403, post(f.url("/api/jobs/marts/run"), "").statusCode(), "an action needs its header");
            HttpResponse<String> launched = post(f.url("/api/jobs/marts/run"), "", "X-Sluice-Action", "1");
            assertEquals(202, launched.statusCode(), launched.body());
            String id = JSON.readTree(launched.body()).get("run_id").asText();
            List<String> events = follow(f, id);
            assertTrue(events.stream().anyMatch(l -> l.startsWith("data: ") && l.endsWith("Completed successfully")), events.toString());
            int end = events.indexOf("event: end");
            assertTrue(end > 0 && events.get(end + 1).equals("data: success"), events.toString());
            JsonNode run = JSON.readTree(get(f.url("/api/runs/" + id)).body());
            assertEquals("success", run.get("status").asText());
            assertTrue(run.get("summary").asText().startsWith("job marts succeeded"), run.toString());

            HttpResponse<String> bad = post(f.url("/api/jobs/broken/run"), "", "X-Sluice-Action", "1");
            String badId = JSON.readTree(bad.body()).get("run_id").asText();
            List<String> badEvents = follow(f, badId);
            assertEquals("data: failure", badEvents.get(badEvents.indexOf("event: end") + 1));
            JsonNode failed = JSON.readTree(get(f.url("/api/runs/" + badId)).body());
            assertEquals("model.shop.broken_model", failed.get("failures").get(0).get("node").asText());
            // Fixed in the project, "retry from failure" re-runs just the failed node.
            f.project.write("models/broken_model.sql", "select id from {{ ref('raw_orders') }}\n");
            HttpResponse<String> retry = post(f.url("/api/runs/" + badId + "/retry"), "", "X-Sluice-Action", "1");
            String retryId = JSON.readTree(retry.body()).get("run_id").asText();
            List<String> retryEvents = follow(f, retryId);
            assertEquals("data: success", retryEvents.get(retryEvents.indexOf("event: end") + 1), retryEvents.toString());
            assertTrue(retryEvents.stream().anyMatch(l -> l.contains("OK created sql view model main.broken_model")), retryEvents.toString());

            HttpResponse<String> selection = post(f.url("/api/runs"), "{\"command\":\"run\",\"select\":\"customers\"}", "X-Sluice-Action", "1");
            String selId = JSON.readTree(selection.body()).get("run_id").asText();
            List<String> selEvents = follow(f, selId);
            assertEquals("data: success", selEvents.get(selEvents.indexOf("event: end") + 1), selEvents.toString());
            String jobsPage = get(f.url("/jobs")).body();
            assertTrue(jobsPage.contains("<td class=\"failure\">failure</td>") && jobsPage.contains("<td class=\"success\">success</td>"),
                    "the history from the warehouse");
        }
    }
}
