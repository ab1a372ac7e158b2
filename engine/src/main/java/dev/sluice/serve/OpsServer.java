package dev.sluice.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.sluice.error.EngineException;
import dev.sluice.http.DaemonHttpServer;
import dev.sluice.job.JobHistory;
import dev.sluice.job.JobSpec;
import dev.sluice.job.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * engine serve: the operations app. Dashboard pages (from the project's dashboard.yml), the jobs of jobs.yml
 * with their history, launching a job or a selection, and each run's output streamed live (server-sent events).
 * Every request is checked by {@link ServeAuth}; every action (a launch) is logged with who asked. Actions
 * must carry the header X-Sluice-Action, which a page of another site cannot send, so a link or form elsewhere
 * cannot start a run.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("engine.serve");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.5.1/dist/chart.umd.js";
    private static final java.util.Set<String> SELECTION_COMMANDS = java.util.Set.of("build", "run", "test", "seed", "snapshot");

    /** What the server works on: the project's jobs and dashboard, the runs it starts, and the job history. */
    public record Context(String projectName, Supplier<List<JobSpec>> jobs, Dashboard dashboard, LiveRuns runs,
                          Supplier<List<JobHistory.Entry>> history, ProjectGraph graph) {
    }

    private final DaemonHttpServer http;
    private final ServeAuth auth;
    private final Context ctx;

    private OpsServer(InetSocketAddress address, ServeAuth auth, Context ctx) throws IOException {
        this.auth = auth;
        this.ctx = ctx;
        // Started last: its handler reads auth and ctx. A thread per request: event streams stay open.
        this.http = DaemonHttpServer.start(address, "sluice-serve", 0, this::handle);
    }

    public static OpsServer start(InetSocketAddress address, ServeAuth auth, Context ctx) throws IOException {
        return new OpsServer(address, auth, ctx);
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
    }

    private void handle(HttpExchange ex) {
        // Closed in finally, not by try-with-resources: that would close the exchange before a catch could answer.
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/health")) {
                send(ex, 200, "text/plain; charset=utf-8", "ok");
                return;
            }
            Optional<String> who = auth.principal(ex);
            if (who.isEmpty()) {
                String token = query(ex).get("token");
                if (token != null && auth.token() != null && ServeAuth.same(token, auth.token())) {
                    // A link with ?token= signs the browser in: the token moves to a cookie and out of the address bar.
                    ex.getResponseHeaders().add("Set-Cookie", ServeAuth.COOKIE + "=" + token + "; HttpOnly; SameSite=Strict; Path=/");
                    ex.getResponseHeaders().add("Location", path);
                    ex.sendResponseHeaders(303, -1);
                    return;
                }
                LOG.atWarn().addKeyValue("event", "ServeUnauthorized").log("refused {} {} from {}: no valid credentials",
                        method, path, ex.getRemoteAddress().getAddress().getHostAddress());
                if (auth.user() != null) ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"sluice\"");
                send(ex, 401, "text/plain; charset=utf-8", "401: credentials needed (a token or a user and password)");
                return;
            }
            route(ex, method, path, who.get());
        } catch (EngineException e) {
            safeSend(ex, 400, e.userMessage());
        } catch (IOException | RuntimeException e) {
            LOG.atError().setCause(e).log("serve: {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath());
            safeSend(ex, 500, "500: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("internal error"));
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex, String method, String path, String who) throws IOException {
        List<String> parts = new ArrayList<>(List.of(path.replaceAll("^/+|/+$", "").split("/")));
        if (parts.size() == 1 && parts.get(0).isEmpty()) parts.clear();
        if (method.equals("GET")) {
            if (parts.isEmpty()) {
                html(ex, Pages.home(ctx));
            } else if (parts.size() == 2 && parts.get(0).equals("pages") && ctx.dashboard().page(parts.get(1)).isPresent()) {
                html(ex, Pages.dashboardPage(ctx, ctx.dashboard().page(parts.get(1)).get()));
            } else if (parts.size() == 4 && parts.get(0).equals("pages") && parts.get(2).equals("drill") && drillTable(parts.get(1), parts.get(3)).isPresent()) {
                DashboardFile.Page page = ctx.dashboard().page(parts.get(1)).get();
                html(ex, Pages.drill(ctx, page, drillTable(parts.get(1), parts.get(3)).get(), query(ex).getOrDefault("value", "")));
            } else if (parts.size() == 5 && parts.get(0).equals("api") && parts.get(1).equals("pages") && parts.get(3).equals("drill")
                    && drillTable(parts.get(2), parts.get(4)).isPresent()) {
                Map<String, String> q = query(ex);
                int pageNo;
                try {
                    pageNo = Integer.parseInt(q.getOrDefault("page", "0"));
                } catch (NumberFormatException e) {
                    json(ex, 400, Map.of("error", "page must be a whole number"));
                    return;
                }
                json(ex, 200, ctx.dashboard().drill(ctx.dashboard().page(parts.get(2)).get(), drillTable(parts.get(2), parts.get(4)).get(),
                        q.getOrDefault("value", ""), pageNo, q.get("sort"), "desc".equalsIgnoreCase(q.get("dir"))));
            } else if (parts.size() == 1 && parts.get(0).equals("dag")) {
                html(ex, Pages.dag(ctx));
            } else if (parts.size() == 2 && parts.get(0).equals("api") && parts.get(1).equals("dag")) {
                Map<String, Object> dag = new LinkedHashMap<>(ctx.graph().data("1".equals(query(ex).get("fresh"))));
                dag.put("status", lastStatuses());
                json(ex, 200, dag);
            } else if (parts.size() == 1 && parts.get(0).equals("jobs")) {
                html(ex, Pages.jobs(ctx, history()));
            } else if (parts.size() == 2 && parts.get(0).equals("runs") && ctx.runs().get(parts.get(1)).isPresent()) {
                html(ex, Pages.run(ctx, ctx.runs().get(parts.get(1)).get()));
            } else if (parts.size() == 3 && parts.get(0).equals("api") && parts.get(1).equals("pages")
                    && ctx.dashboard().page(parts.get(2)).isPresent()) {
                json(ex, 200, ctx.dashboard().data(ctx.dashboard().page(parts.get(2)).get()));
            } else if (parts.size() == 3 && parts.get(0).equals("api") && parts.get(1).equals("runs") && ctx.runs().get(parts.get(2)).isPresent()) {
                json(ex, 200, runJson(ctx.runs().get(parts.get(2)).get()));
            } else if (parts.size() == 4 && parts.get(0).equals("api") && parts.get(1).equals("runs") && parts.get(3).equals("events")
                    && ctx.runs().get(parts.get(2)).isPresent()) {
                events(ex, ctx.runs().get(parts.get(2)).get());
            } else if (path.equals("/assets/chart.umd.js")) {
                try (InputStream in = OpsServer.class.getClassLoader().getResourceAsStream(CHART_JS)) {
                    if (in == null) throw new IOException("Chart.js is missing from the class path (" + CHART_JS + ")");
                    byte[] body = in.readAllBytes();
                    ex.getResponseHeaders().add("Content-Type", "text/javascript; charset=utf-8");
                    ex.getResponseHeaders().add("Cache-Control", "max-age=86400");
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                }
            } else {
                send(ex, 404, "text/plain; charset=utf-8", "404: no such page");
            }
            return;
        }
        if (method.equals("POST")) {
            if (ex.getRequestHeaders().getFirst("X-Sluice-Action") == null) {
                send(ex, 403, "text/plain; charset=utf-8", "403: actions need the X-Sluice-Action header");
                return;
            }
            if (parts.size() == 4 && parts.get(0).equals("api") && parts.get(1).equals("jobs") && parts.get(3).equals("run")) {
                String name = URLDecoder.decode(parts.get(2), StandardCharsets.UTF_8);
                Optional<JobSpec> job = ctx.jobs().get().stream().filter(j -> j.name().equals(name)).findFirst();
                if (job.isEmpty()) {
                    json(ex, 404, Map.of("error", "no job named '" + name + "'"));
                    return;
                }
                launched(ex, who, ctx.runs().submit(job.get(), who, true), "job " + name);
            } else if (parts.size() == 2 && parts.get(0).equals("api") && parts.get(1).equals("runs")) {
                JsonNode body = JSON.readTree(ex.getRequestBody());
                String command = body.path("command").asText("build");
                String select = body.path("select").asText("").strip();
                if (!SELECTION_COMMANDS.contains(command)) {
                    json(ex, 400, Map.of("error", "unknown command '" + command + "'"));
                    return;
                }
                JobSpec adHoc = new JobSpec("selection", "launched from the browser", command,
                        select.isEmpty() ? List.of() : List.of(select.split("\\s+")), List.of(), null, Map.of(), null, false, null,
                        Map.of("launched_by", who), Optional.empty(), Optional.empty(), 0, Notifications.NONE, null);
                launched(ex, who, ctx.runs().submit(adHoc, who, true), command + (select.isEmpty() ? "" : " -s " + select));
            } else if (parts.size() == 4 && parts.get(0).equals("api") && parts.get(1).equals("runs") && parts.get(3).equals("retry")
                    && ctx.runs().get(parts.get(2)).isPresent()) {
                JobSpec retry = new JobSpec(ctx.runs().get(parts.get(2)).get().job(), "retry from failure", "retry", List.of(), List.of(),
                        null, Map.of(), null, false, null, Map.of("launched_by", who), Optional.empty(), Optional.empty(), 0,
                        Notifications.NONE, null);
                launched(ex, who, ctx.runs().submit(retry, who, true), "retry of run " + parts.get(2));
            } else {
                send(ex, 404, "text/plain; charset=utf-8", "404: no such action");
            }
            return;
        }
        send(ex, 405, "text/plain; charset=utf-8", "405: GET or POST");
    }

    /** The table (by its index on the page) whose drill-down an address names, if it has one. */
    private Optional<DashboardFile.Query> drillTable(String page, String index) {
        if (!index.matches("[0-9]{1,4}")) return Optional.empty();
        return ctx.dashboard().page(page).flatMap(p -> p.table(Integer.parseInt(index))).filter(t -> t.drill() != null);
    }

    private void launched(HttpExchange ex, String who, LiveRuns.LiveRun run, String what) throws IOException {
        LOG.atInfo().addKeyValue("event", "ServeLaunch").log("{} launched {} from {} (run {})", who, what,
                ex.getRemoteAddress().getAddress().getHostAddress(), run.id());
        json(ex, 202, Map.of("run_id", run.id(), "url", "/runs/" + run.id()));
    }

    /** Each node's status in the newest run started here that ran it. */
    private Map<String, String> lastStatuses() {
        Map<String, String> out = new LinkedHashMap<>();
        for (LiveRuns.LiveRun r : ctx.runs().recent()) {
            for (Map<String, Object> n : r.nodes()) out.putIfAbsent((String) n.get("unique_id"), (String) n.get("status"));
        }
        return out;
    }

    private List<JobHistory.Entry> history() {
        try {
            return ctx.history().get();
        } catch (EngineException e) {
            LOG.warn("serve: the job history cannot be read: {}", e.userMessage());
            return List.of();
        }
    }

    static Map<String, Object> runJson(LiveRuns.LiveRun r) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", r.id());
        m.put("job", r.job());
        m.put("status", r.status());
        m.put("done", r.done());
        r.outcome().ifPresent(o -> {
            m.put("summary", o.summary());
            List<Map<String, String>> f = new ArrayList<>();
            for (var p : o.failures()) f.add(Map.of("node", p.uniqueId(), "status", p.status(), "message", p.message()));
            m.put("failures", f);
        });
        m.put("nodes", r.nodes());
        try {
            m.put("lines", r.linesFrom(0, 0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return m;
    }

    /** Server-sent events: each output line as a message, then an "end" event with the run's status. */
    private static void events(HttpExchange ex, LiveRuns.LiveRun run) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        int sent = 0;
        int nodesSent = 0;
        try {
            while (true) {
                boolean doneBefore = run.done();
                List<String> lines = run.linesFrom(sent, 15_000);
                StringBuilder b = new StringBuilder();
                for (String l : lines) b.append("data: ").append(l.replace("\r", "")).append("\n\n");
                sent += lines.size();
                int version = run.nodesVersion();
                if (version != nodesSent) {
                    // The whole node table each time: a few kilobytes, and a page that joins late needs it all anyway.
                    b.append("event: nodes\ndata: ").append(JSON.writeValueAsString(run.nodes())).append("\n\n");
                    nodesSent = version;
                }
                if (lines.isEmpty() && doneBefore) {
                    b.append("event: end\ndata: ").append(run.status()).append("\n\n");
                    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return;
                }
                if (b.isEmpty()) b.append(": waiting\n\n"); // keeps proxies from closing an idle stream
                out.write(b.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException closedByBrowser) {
            // The page went away: nothing to send to.
        }
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) return out;
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) out.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void html(HttpExchange ex, String body) throws IOException {
        ex.getResponseHeaders().add("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'");
        send(ex, 200, "text/html; charset=utf-8", body);
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", JSON.writeValueAsString(body));
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) ex.getResponseBody().write(b);
    }

    private static void safeSend(HttpExchange ex, int status, String message) {
        try {
            send(ex, status, "text/plain; charset=utf-8", message);
        } catch (IOException | RuntimeException alreadySent) {
            // Headers already went out (an event stream): the connection just ends.
        }
    }
}
