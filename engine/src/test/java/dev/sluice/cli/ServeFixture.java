package dev.sluice.cli;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Adapters;
import dev.sluice.adapter.Session;
import dev.sluice.job.JobHistory;
import dev.sluice.job.JobRunner;
import dev.sluice.job.JobsFile;
import dev.sluice.project.Target;
import dev.sluice.serve.Dashboard;
import dev.sluice.serve.DashboardFile;
import dev.sluice.serve.LiveRuns;
import dev.sluice.serve.OpsServer;
import dev.sluice.serve.ProjectGraph;
import dev.sluice.serve.ServeAuth;
import dev.sluice.task.Invocation;
import dev.sluice.task.Workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shop project built, with a dashboard.yml and a jobs.yml, served by the operations app as `engine serve`
 * wires it; and the figures its dashboard should show, computed straight from the seed CSV files.
 */
final class ServeFixture implements AutoCloseable {
    static final String DASHBOARD = """
            pages:
              - name: overview
                title: Overview
                description: The shop at a glance.
                tiles:
                  - {title: Customers, sql: "select count(*) from {{ ref('customers') }}", format: integer}
                  - {title: Revenue, sql: "select sum(amount) from {{ ref('orders') }}", format: money}
                  - {title: Returned share, sql: "select avg(case when status = 'returned' then 1.0 else 0 end) from {{ ref('orders') }}", format: percent}
                  - title: Revenue by day
                    description: Total, with its trend by day
                    sql: "select sum(amount) from {{ ref('orders') }}"
                    format: money
                    trend: "select cast(extract(year from order_date) * 10000 + extract(month from order_date) * 100 + extract(day from order_date) as integer) as day, sum(amount) as revenue from {{ ref('orders') }} group by 1 order by 1"
                  - title: Orders on the last day
                    format: integer
                    trend: "select cast(extract(year from order_date) * 10000 + extract(month from order_date) * 100 + extract(day from order_date) as integer) as day, count(*) as orders from {{ ref('orders') }} group by 1 order by 1"
                charts:
                  - {title: Orders by status, type: bar, sql: "select status, count(*) as orders from {{ ref('orders') }} group by 1 order by 1"}
              - name: customers
                title: Customers
                tables:
                  - {title: Customer list, sql: "select customer_id, first_name, last_name, number_of_orders from {{ ref('customers') }} order by 1", limit: 5, mask: [last_name]}
                  - title: Orders by status
                    sql: "select status, count(*) as orders from {{ ref('orders') }} group by 1 order by 1"
                    drill:
                      key: status
                      title: Orders
                      page_size: 2
                      profile: [amount]
                      sql: >
                        select o.order_id, o.order_date, o.status, o.amount, c.first_name, c.last_name
                        from {{ ref('orders') }} o join {{ ref('customers') }} c on c.customer_id = o.customer_id
            """;
    static final String JOBS = """
            jobs:
              - name: marts
                select: [tag:marts]
              - name: broken
                select: [broken_model]
            """;

    final CliHarness project;
    final LiveRuns runs;
    final OpsServer server;

    ServeFixture(CliHarness project, String host, ServeAuth auth) {
        this(shop(project), host, auth, "shop");
    }

    /** The shop with the dashboard, the jobs and a model that fails, built but for that model. */
    private static CliHarness shop(CliHarness project) {
        project.write("dashboard.yml", DASHBOARD);
        project.write("jobs.yml", JOBS);
        // last_name is personal data: tagged pii, it is masked wherever the dashboard shows it, listed or not.
        project.write("models/marts/schema.yml", project.read("models/marts/schema.yml").replace("  - name: orders\n",
                "      - name: last_name\n        tags: [pii]\n  - name: orders\n"));
        project.write("models/broken_model.sql", "select no_such_column from {{ ref('raw_orders') }}\n");
        CliHarness.Result built = project.run("build", "--exclude", "broken_model");
        if (built.exitCode() != 0) throw new IllegalStateException(built.all());
        return project;
    }

    /** A project already built, served with its own dashboard.yml and jobs.yml. */
    static ServeFixture serving(CliHarness built, String host, ServeAuth auth, String name) {
        return new ServeFixture(built, host, auth, name);
    }

    private ServeFixture(CliHarness project, String host, ServeAuth auth, String name) {
        this.project = project;
        Path dir = project.dir;
        Invocation inv = Invocation.of("serve", dir);
        Dashboard dashboard = new Dashboard(inv, DashboardFile.load(dir), false);
        dashboard.compile();
        List<String> base = new java.util.ArrayList<>(List.of("--project-dir", dir.toString(), "--profiles-dir", dir.toString()));
        base.addAll(LiveRuns.EVENT_ARGS);
        JobRunner.CommandLine engine = (a, o, e) -> Main.run(a.toArray(String[]::new), o, e);
        runs = new LiveRuns((job, force, o) -> new JobRunner(inv, base, engine, o, Clock.systemUTC()).run(job, force), () -> { });
        Target target = Workspace.loadTarget(inv, Workspace.loadConfig(inv));
        OpsServer.Context ctx = new OpsServer.Context(name, () -> JobsFile.load(dir, () -> Workspace.yamlRenderer(inv)),
                dashboard, runs, () -> {
            try (Adapter adapter = Adapters.forTarget(target); Session s = adapter.open()) {
                return new JobHistory(adapter, target).runs(s, null);
            }
        }, new ProjectGraph(inv));
        try {
            server = OpsServer.start(new InetSocketAddress(host, 0), auth, ctx);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private List<String[]> csv(String seed) {
        try {
            return Files.readAllLines(project.dir.resolve("seeds/" + seed + ".csv")).stream().skip(1).map(l -> l.split(",")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Customers: the rows of raw_customers.csv. */
    long customers() {
        return csv("raw_customers").size();
    }

    /** Revenue: the payments (in cents) of the orders in raw_orders.csv, in dollars. */
    double revenue() {
        java.util.Set<String> orders = new java.util.HashSet<>();
        for (String[] o : csv("raw_orders")) orders.add(o[0]);
        long cents = 0;
        for (String[] p : csv("raw_payments")) if (orders.contains(p[1])) cents += Long.parseLong(p[3]);
        return cents / 100.0;
    }

    /** Orders per status, from raw_orders.csv. */
    Map<String, Long> ordersByStatus() {
        Map<String, Long> out = new HashMap<>();
        for (String[] o : csv("raw_orders")) out.merge(o[3], 1L, Long::sum);
        return out;
    }

    /** Revenue per day (yyyymmdd) in dollars, from raw_payments.csv and the order dates of raw_orders.csv. */
    java.util.SortedMap<Integer, Double> revenueByDay() {
        Map<String, Integer> dayOf = new HashMap<>();
        for (String[] o : csv("raw_orders")) dayOf.put(o[0], Integer.parseInt(o[2].replace("-", "")));
        java.util.SortedMap<Integer, Long> cents = new java.util.TreeMap<>();
        for (String[] p : csv("raw_payments")) if (dayOf.containsKey(p[1])) cents.merge(dayOf.get(p[1]), Long.parseLong(p[3]), Long::sum);
        java.util.SortedMap<Integer, Double> out = new java.util.TreeMap<>();
        cents.forEach((m, c) -> out.put(m, c / 100.0));
        return out;
    }

    /** Orders per day (yyyymmdd), from raw_orders.csv. */
    java.util.SortedMap<Integer, Long> ordersByDay() {
        java.util.SortedMap<Integer, Long> out = new java.util.TreeMap<>();
        for (String[] o : csv("raw_orders")) out.merge(Integer.parseInt(o[2].replace("-", "")), 1L, Long::sum);
        return out;
    }

    /** An order of raw_orders.csv with its payments (in dollars; null without any) and its customer's names. */
    record Order(long id, String date, String status, Double amount, String firstName, String lastName) {
    }

    /** The orders of a status, from the seed files, by id. */
    List<Order> orders(String status) {
        Map<String, String[]> customers = new HashMap<>();
        for (String[] c : csv("raw_customers")) customers.put(c[0], c);
        Map<String, Long> cents = new HashMap<>();
        for (String[] p : csv("raw_payments")) cents.merge(p[1], Long.parseLong(p[3]), Long::sum);
        List<Order> out = new java.util.ArrayList<>();
        for (String[] o : csv("raw_orders")) {
            if (!o[3].equals(status) || !customers.containsKey(o[1])) continue;
            String[] c = customers.get(o[1]);
            out.add(new Order(Long.parseLong(o[0]), o[2], o[3], cents.containsKey(o[0]) ? cents.get(o[0]) / 100.0 : null, c[1], c[2]));
        }
        out.sort(java.util.Comparator.comparingLong(Order::id));
        return out;
    }

    double returnedShare() {
        Map<String, Long> by = ordersByStatus();
        return by.getOrDefault("returned", 0L) / (double) by.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        server.close();
        runs.close();
    }
}
