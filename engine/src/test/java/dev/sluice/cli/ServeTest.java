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
            List<String> paths = List.of("/", "/pages/overview", "/api/pages/overview", "/jobs", "/dag", "/api/dag", "/assets/chart.umd.js", "/nothing",
                    "/pages/customers/drill/1?value=completed", "/api/pages/customers/drill/1?value=completed&page=1&sort=amount&dir=desc");
            for (String p : paths) assertEquals(401, get(f.url(p)).statusCode(), p);
            assertEquals(401, get(f.url("/"), "Authorization", "Bearer wrong").statusCode());
            assertEquals(401, post(f.url("/api/jobs/marts/run"), "", "X-Sluice-Action", "1").statusCode());
            assertEquals(200, get(f.url("/api/pages/overview"), "Authorization", "Bearer t0ken").statusCode());
            assertEquals(200, get(f.url("/api/pages/customers/drill/1?value=completed"), "Authorization", "Bearer t0ken").statusCode());
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
            // Trends: each day's figure, the tile's value (the last day's, when the tile has only a trend), the change.
            JsonNode revenue = tiles.get(3);
            assertEquals(f.revenue(), revenue.get("value").asDouble(), 1e-9);
            java.util.SortedMap<Integer, Double> byDay = f.revenueByDay();
            assertEquals(new ArrayList<>(byDay.keySet()), JSON.convertValue(revenue.get("trend").get("labels"), new com.fasterxml.jackson.core.type.TypeReference<List<Integer>>() { }));
            List<Double> daily = JSON.convertValue(revenue.get("trend").get("values"), new com.fasterxml.jackson.core.type.TypeReference<List<Double>>() { });
            List<Double> expected = new ArrayList<>(byDay.values());
            for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i), daily.get(i), 1e-9, "day " + i);
            int n = expected.size();
            assertTrue(n >= 2, "the seed spans days: " + byDay);
            assertEquals((expected.get(n - 1) - expected.get(n - 2)) / expected.get(n - 2), revenue.get("change").asDouble(), 1e-12);
            JsonNode orders = tiles.get(4);
            assertEquals(f.ordersByDay().get(f.ordersByDay().lastKey()), orders.get("value").asLong(), "a trend-only tile shows its last point");
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

    @Test
    void aTablesDrillDownPagesSortsProfilesAndMasksTheRowsBehindAKey() throws Exception {
        try (ServeFixture f = new ServeFixture(copy("shop"), "127.0.0.1", ServeAuth.forBinding(InetAddress.getLoopbackAddress(), Map.of()))) {
            JsonNode table = JSON.readTree(get(f.url("/api/pages/customers")).body()).get("tables").get(1);
            assertEquals("status", table.get("drill").get("key").asText(), "the table says which column drills down");
            assertEquals(1, table.get("drill").get("index").asInt());
            JsonNode list = JSON.readTree(get(f.url("/api/pages/customers")).body()).get("tables").get(0);
            assertEquals("[\"last_name\"]", list.get("masked").toString());

            List<ServeFixture.Order> completed = f.orders("completed");
            assertTrue(completed.size() >= 3, "the seed has pages of completed orders: " + completed);
            // Every page in the default order (the first column, order_id): the seed's orders, each once.
            List<Long> ids = new ArrayList<>();
            JsonNode first = null;
            for (int page = 0; ; page++) {
                JsonNode d = JSON.readTree(get(f.url("/api/pages/customers/drill/1?value=completed&page=" + page)).body());
                if (first == null) first = d;
                assertEquals(page, d.get("page_no").asInt());
                assertTrue(d.get("rows").size() <= 2, "page_size");
                for (JsonNode r : d.get("rows")) ids.add(r.get(0).asLong());
                if (page + 1 >= d.get("pages").asInt()) break;
            }
            assertEquals(completed.stream().map(ServeFixture.Order::id).toList(), ids);
            assertEquals(completed.size(), first.get("total").asLong());
            assertEquals(List.of("order_id", "order_date", "status", "amount", "first_name", "last_name"),
                    JSON.convertValue(first.get("columns"), new com.fasterxml.jackson.core.type.TypeReference<List<String>>() { }));
            // The profile: the average payment of the status's orders, from the seed files.
            double avg = completed.stream().filter(o -> o.amount() != null).mapToDouble(ServeFixture.Order::amount).average().orElseThrow();
            assertEquals(avg, first.get("profile").get("amount").asDouble(), 1e-9);
            // PII: last_name is tagged pii in the project, so masked; first_name is not.
            JsonNode row = first.get("rows").get(0);
            assertEquals(completed.get(0).firstName(), row.get(4).asText());
            assertEquals(masked(completed.get(0).lastName()), row.get(5).asText());
            assertEquals("[\"last_name\"]", first.get("masked").toString());

            // Sorted by amount, largest first (orders without payments last); a page past the end is the last page.
            JsonNode byAmount = JSON.readTree(get(f.url("/api/pages/customers/drill/1?value=completed&sort=AMOUNT&dir=desc")).body());
            assertEquals("amount", byAmount.get("sort").asText());
            double max = completed.stream().filter(o -> o.amount() != null).mapToDouble(ServeFixture.Order::amount).max().orElseThrow();
            assertEquals(max, byAmount.get("rows").get(0).get(3).asDouble(), 1e-9);
            JsonNode past = JSON.readTree(get(f.url("/api/pages/customers/drill/1?value=completed&page=99")).body());
            assertEquals(past.get("pages").asInt() - 1, past.get("page_no").asInt());

            JsonNode none = JSON.readTree(get(f.url("/api/pages/customers/drill/1?value=no-such-status")).body());
            assertEquals(0, none.get("total").asLong());
            assertEquals(0, none.get("rows").size());
            // Unknown sort columns, tables without a drill-down and bad pages are refused, not guessed at.
            HttpResponse<String> badSort = get(f.url("/api/pages/customers/drill/1?value=completed&sort=secret_column"));
            assertEquals(400, badSort.statusCode());
            assertTrue(badSort.body().contains("cannot sort by 'secret_column'"), badSort.body());
            assertEquals(404, get(f.url("/api/pages/customers/drill/0?value=1")).statusCode());
            assertEquals(400, get(f.url("/api/pages/customers/drill/1?value=completed&page=x")).statusCode());
            assertEquals(200, get(f.url("/pages/customers/drill/1?value=completed")).statusCode());
        }
    }

    /** The dashboard's mask for a value that is not an e-mail: all but the last two characters hidden (at most 8 stars). */
    private static String masked(String v) {
        return "*".repeat(Math.min(8, v.length() - 2)) + v.substring(v.length() - 2);
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

    /**
     * The DAG page's launch: the graph holds the project's nodes and edges; "build it and downstream" runs the
     * selection `stg_orders+`, whose run reports each node (status, times, its own log lines) as it goes; the
     * nodes it ran are the ones `engine ls` selects. A failed node carries its error.
     */
    @Test
    void theDagLaunchesANodeAndWhatDependsOnItWithEachNodesStatusAndLog() throws Exception {
        try (ServeFixture f = new ServeFixture(copy("shop"), "127.0.0.1", ServeAuth.forBinding(InetAddress.getLoopbackAddress(), Map.of()))) {
            JsonNode dag = JSON.readTree(get(f.url("/api/dag")).body());
            Map<String, JsonNode> byId = new java.util.HashMap<>();
            dag.get("nodes").forEach(n -> byId.put(n.get("id").asText(), n));
            assertTrue(byId.keySet().containsAll(List.of("seed.shop.raw_orders", "model.shop.stg_orders", "model.shop.orders")), byId.keySet().toString());
            assertTrue(byId.keySet().stream().noneMatch(id -> id.startsWith("test.")), "tests are not drawn");
            List<String> edges = new ArrayList<>();
            dag.get("edges").forEach(e -> edges.add(e.get(0).asText() + " -> " + e.get(1).asText()));
            assertTrue(edges.contains("model.shop.stg_orders -> model.shop.orders"), edges.toString());
            assertTrue(byId.get("model.shop.orders").get("x").asInt() > byId.get("model.shop.stg_orders").get("x").asInt(), "edges point rightwards");
            assertTrue(get(f.url("/dag")).body().contains("id=\"graph\""));

            // An edit, so stg_orders is rebuilt (unchanged nodes are skipped, and say so).
            f.project.write("models/staging/stg_orders.sql", f.project.read("models/staging/stg_orders.sql") + "\n-- edited\n");
            HttpResponse<String> launched = post(f.url("/api/runs"), "{\"command\":\"build\",\"select\":\"stg_orders+\"}", "X-Sluice-Action", "1");
            String id = JSON.readTree(launched.body()).get("run_id").asText();
            List<String> events = follow(f, id);
            assertEquals("data: success", events.get(events.indexOf("event: end") + 1), events.toString());
            assertTrue(events.contains("event: nodes"), "node updates are streamed");
            assertTrue(events.stream().noneMatch(l -> l.startsWith("data: {\"info\"")), "the page gets the events' text, not their JSON");

            JsonNode run = JSON.readTree(get(f.url("/api/runs/" + id)).body());
            java.util.Set<String> ran = new java.util.TreeSet<>();
            for (JsonNode n : run.get("nodes")) {
                String uid = n.get("unique_id").asText();
                ran.add(uid);
                String name = uid.split("\\.")[2]; // a test's unique id ends in a hash its lines do not show
                List<String> lines = new ArrayList<>();
                n.get("lines").forEach(l -> lines.add(l.asText()));
                assertTrue(!n.get("started_at").asText().isEmpty() && !n.get("finished_at").asText().isEmpty(), n.toString());
                if (n.get("status").asText().equals("skipped")) {
                    assertEquals("unchanged", n.get("reason").asText(), n.toString());
                    assertEquals(1, lines.size(), lines.toString());
                    continue;
                }
                assertTrue(List.of("success", "pass").contains(n.get("status").asText()), n.toString());
                assertTrue(n.get("execution_time").isNumber() && n.get("execution_time").asDouble() >= 0, n.toString());
                assertEquals(2, lines.size(), "its start and result lines: " + lines);
                assertTrue(lines.get(0).contains(" START ") && lines.stream().allMatch(l -> l.contains(name)), lines.toString());
            }
            CliHarness.Result ls = f.project.run("ls", "-s", "stg_orders+", "--output", "json", "--output-keys", "unique_id");
            assertEquals(0, ls.exitCode(), ls.all());
            java.util.Set<String> selected = new java.util.TreeSet<>();
            for (String l : ls.out().split("\n")) if (l.startsWith("{")) selected.add(JSON.readTree(l).get("unique_id").asText());
            assertEquals(selected, ran, "the run's nodes are the selection's");
            assertTrue(ran.contains("model.shop.customers") && !ran.contains("model.shop.stg_customers"), ran.toString());
            JsonNode statuses = JSON.readTree(get(f.url("/api/dag")).body()).get("status");
            assertEquals("success", statuses.get("model.shop.stg_orders").asText(), "the DAG shows the latest status");
            assertEquals("success", run.get("nodes").get(0).get("status").asText(), "stg_orders, edited, was rebuilt first");

            HttpResponse<String> bad = post(f.url("/api/jobs/broken/run"), "", "X-Sluice-Action", "1");
            String badId = JSON.readTree(bad.body()).get("run_id").asText();
            follow(f, badId);
            JsonNode broken = null;
            for (JsonNode n : JSON.readTree(get(f.url("/api/runs/" + badId)).body()).get("nodes")) {
                if (n.get("unique_id").asText().equals("model.shop.broken_model")) broken = n;
            }
            assertTrue(broken != null && broken.get("status").asText().equals("error"), String.valueOf(broken));
            assertTrue(broken.get("message").asText().contains("no_such_column"), broken.toString());
            assertTrue(broken.get("lines").toString().contains("no_such_column"), "the error is in the node's log: " + broken);
        }
    }
}
