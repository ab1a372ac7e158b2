package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.adapter.RunLock;
import dev.sluice.error.RunLockedException;
import dev.sluice.job.JobLock;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.JobRunner;
import dev.sluice.job.JobSpec;
import dev.sluice.job.JobsFile;
import dev.sluice.job.Scheduler;
import dev.sluice.task.Invocation;
import dev.sluice.task.Workspace;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jobs.yml through `engine job ...` on the shop project: runs recorded in the warehouse, e-mail (to an in-process
 * SMTP server) and webhook notifications with the failing node, retries, the "only when new data arrived"
 * trigger, the per-job lock, and the schedule driven by a fake clock.
 */
class JobsTest extends ProjectTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private GreenMail smtp;
    private HttpServer hooks;
    private final List<String> hookBodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void servers() throws Exception {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/hook", ex -> {
            hookBodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hooks.start();
    }

    @AfterEach
    void stop() {
        smtp.stop();
        hooks.stop(0);
    }

    private String notify(String on) {
        return "    notify:\n      on: [" + on + "]\n"
                + "      email: {to: [crm@example.com, ops@example.com], from: sluice@example.com, host: 127.0.0.1, port: "
                + smtp.getSmtp().getPort() + "}\n"
                + "      webhook: {url: 'http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook'}\n";
    }

    /** The shop project whose raw orders are also a source, so a trigger can watch them. */
    private CliHarness shop() {
        CliHarness p = copy("shop");
        p.write("models/sources.yml", "version: 2\nsources:\n  - name: shop_raw\n    schema: main\n    tables:\n      - name: raw_orders\n");
        p.write("models/staging/stg_orders.sql", p.read("models/staging/stg_orders.sql").replace("ref('raw_orders')", "source('shop_raw', 'raw_orders')"));
        return p;
    }

    private void execute(CliHarness p, String sql) throws Exception {
        try (Connection c = p.warehouse.connect(p.dir); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private List<Map<String, Object>> history(CliHarness p) {
        return p.query("select job, status, attempts, message from main.sluice_job_runs where finished_at is not null order by started_at");
    }

    @Test
    void successfulJobIsRecordedAndNotified() throws Exception {
        CliHarness p = shop();
        p.write("jobs.yml", "jobs:\n  - name: daily\n    select: [tag:staging]\n    tags: {team: crm}\n" + notify("success, failure"));
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("job", "run", "daily");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("job daily succeeded"), r.out());
        assertEquals("view", p.relationType("main", "stg_orders"));
        assertEquals(null, p.relationType("main", "orders"), "only the job's selection is built");
        List<Map<String, Object>> h = history(p);
        assertEquals(1, h.size(), h.toString());
        assertEquals("success", h.get(0).get("status"));
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertEquals(2, mails.length, "one message to each of the two recipients");
        assertEquals("[sluice] job daily succeeded", mails[0].getSubject());
        assertEquals(1, hookBodies.size());
        JsonNode hook = JSON.readTree(hookBodies.get(0));
        assertEquals("success", hook.get("status").asText());
        assertEquals("crm", hook.get("tags").get("team").asText());
        assertTrue(hook.get("text").asText().contains("job daily succeeded"), hook.toString());
    }

    @Test
    void failingJobRetriesThenSendsOneMailAndOneWebhookNamingTheNode() throws Exception {
        CliHarness p = shop();
        p.write("jobs.yml", "jobs:\n  - name: nightly\n    retries: 1\n    notify:\n      email: {to: [crm@example.com], from: sluice@example.com, host: 127.0.0.1, port: "
                + smtp.getSmtp().getPort() + "}\n      webhook: {url: 'http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook'}\n");
        String original = p.read("models/staging/stg_orders.sql");
        p.write("models/staging/stg_orders.sql", "select no_such_column from {{ source('shop_raw', 'raw_orders') }}\n");
        CliHarness.Result r = p.run("job", "run", "nightly");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("job nightly failed after 2 attempts"), r.out());
        assertTrue(r.out().contains("engine retry"), "the second attempt retries from the failure: " + r.out());
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertEquals(1, mails.length, "one e-mail for the run, not one per attempt");
        assertEquals("[sluice] job nightly FAILED: model.shop.stg_orders", mails[0].getSubject());
        String body = mails[0].getContent().toString();
        assertTrue(body.contains("ERROR model.shop.stg_orders") && body.contains("no_such_column"), body);
        assertEquals(1, hookBodies.size());
        JsonNode hook = JSON.readTree(hookBodies.get(0));
        assertEquals("failure", hook.get("status").asText());
        assertEquals(2, hook.get("attempts").asInt());
        JsonNode failures = hook.get("failures");
        assertEquals("model.shop.stg_orders", failures.get(0).get("node").asText());
        assertTrue(failures.get(0).get("message").asText().contains("no_such_column"), hook.toString());
        List<Map<String, Object>> h = history(p);
        assertEquals("failure", h.get(0).get("status"));
        assertEquals(2, ((Number) h.get(0).get("attempts")).intValue());
        assertTrue(h.get(0).get("message").toString().startsWith("model.shop.stg_orders: "), h.toString());
        try (Stream<Path> logs = Files.list(p.dir.resolve("logs/jobs/nightly"))) {
            List<Path> files = logs.toList();
            assertEquals(1, files.size());
            String log = Files.readString(files.get(0));
            assertTrue(log.contains("attempt 2 of 2") && log.contains("no_such_column"), log);
        }
        // Fixed, the next run succeeds and (notify on failure only) sends nothing more.
        p.write("models/staging/stg_orders.sql", original);
        assertEquals(0, p.run("job", "run", "nightly").exitCode());
        assertEquals(1, smtp.getReceivedMessages().length);
        assertEquals(1, hookBodies.size());
    }

    @Test
    void triggerSkipsWhenNoNewDataArrivedAndRunsWhenItDid() throws Exception {
        CliHarness p = shop();
        p.write("jobs.yml", "jobs:\n  - name: orders\n    command: run\n    select: ['+orders']\n    trigger: {source: shop_raw.raw_orders}\n");
        assertEquals(0, p.run("seed").exitCode());
        assertEquals(0, p.run("job", "run", "orders").exitCode());
        long orders = p.count("main.orders");
        CliHarness.Result again = p.run("job", "run", "orders");
        assertEquals(0, again.exitCode(), again.all());
        assertTrue(again.out().contains("job orders was skipped") && again.out().contains("no new data in source shop_raw.raw_orders"), again.out());
        execute(p, "insert into main.raw_orders select id + 1000, user_id, order_date, status from main.raw_orders where id = 1");
        CliHarness.Result fresh = p.run("job", "run", "orders");
        assertEquals(0, fresh.exitCode(), fresh.all());
        assertTrue(fresh.out().contains("job orders succeeded"), fresh.out());
        assertEquals(orders + 1, p.count("main.orders"), "the new order reached the mart");
        assertTrue(p.run("job", "run", "orders").out().contains("was skipped"));
        assertTrue(p.run("job", "run", "orders", "--force").out().contains("job orders succeeded"));
        List<Object> statuses = history(p).stream().map(m -> m.get("status")).toList();
        assertEquals(List.of("success", "skipped", "success", "skipped", "success"), statuses);
    }

    @Test
    void aRunningJobIsNotStartedTwice() {
        CliHarness p = shop();
        p.write("jobs.yml", "jobs:\n  - name: daily\n    select: [tag:staging]\n");
        assertEquals(0, p.run("seed").exitCode());
        try (Workspace ws = Workspace.open(Invocation.of("test", p.dir));
             JobLock held = JobLock.acquire(ws.adapter(), ws.target(), "daily", Clock.systemUTC(), JobLock.DEFAULT_TTL, false)) {
            CliHarness.Result r = p.run("job", "run", "daily");
            assertEquals(2, r.exitCode(), r.all());
            assertTrue(r.err().contains("job 'daily' is already running since "), r.err());
            assertTrue(r.err().contains(held.owner()) && r.err().contains("sluice_job_locks"), "names the holder and the table: " + r.err());
        }
        assertEquals(0, p.run("job", "run", "daily").exitCode(), "free again once the holder ends");
        try (Workspace ws = Workspace.open(Invocation.of("test", p.dir))) {
            List<JobLock.Row> rows = JobLock.rows(ws.adapter(), ws.target(), "daily");
            assertEquals(1, rows.size(), rows.toString());
            assertEquals(null, rows.get(0).owner(), "the run freed its lock: " + rows);
        }
    }

    /**
     * Schedulers racing for a job's lock (the table not even created yet, then every other round a job never taken
     * before, whose first takers each may add a row): exactly one wins each round, and the others are told who.
     */
    @Test
    void twoSchedulersCollidingGetOneLock() throws Exception {
        CliHarness p = shop();
        assertEquals(0, p.run("seed").exitCode());
        int takers = 8;
        List<Workspace> spaces = new ArrayList<>();
        try {
            for (int i = 0; i < takers; i++) spaces.add(Workspace.open(Invocation.of("test", p.dir)));
            // PostgreSQL: a connection pool each, as on separate machines. DuckDB: one database instance per process.
            boolean duck = spaces.get(0).adapter().type().equals("duckdb");
            for (int round = 0; round < 30; round++) {
                String job = round % 2 == 0 ? "first-" + round : "nightly";
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(takers);
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(takers);
                List<java.util.concurrent.Future<Object>> results = new ArrayList<>();
                for (int i = 0; i < takers; i++) {
                    Workspace ws = spaces.get(duck ? 0 : i);
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            return JobLock.acquire(ws.adapter(), ws.target(), job, Clock.systemUTC(), JobLock.DEFAULT_TTL, false);
                        } catch (RunLockedException e) {
                            return e;
                        }
                    }));
                }
                List<JobLock> won = new ArrayList<>();
                List<String> refused = new ArrayList<>();
                for (var f : results) {
                    Object o = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                    if (o instanceof JobLock l) won.add(l);
                    else refused.add(((RunLockedException) o).getMessage());
                }
                pool.shutdown();
                assertEquals(1, won.size(), "round " + round + ": one owner; refused: " + refused);
                for (String m : refused) assertTrue(m.contains("job '" + job + "' is already running") && m.contains(won.get(0).owner()), m);
                List<JobLock.Row> rows = JobLock.rows(spaces.get(0).adapter(), spaces.get(0).target(), job);
                // The winner holds the lock; a duplicate row a first-ever taker added after the winner read back may stay
                // unowned (a later taker claiming it finds the winner's row and is refused), but no one else holds a row.
                assertTrue(rows.stream().anyMatch(r -> won.get(0).owner().equals(r.owner()))
                        && rows.stream().allMatch(r -> r.owner() == null || won.get(0).owner().equals(r.owner())), rows.toString());
                won.get(0).close();
            }
        } finally {
            for (Workspace ws : spaces) ws.close();
        }
    }

    /**
     * Schedulers in two processes (and threads in each) racing for a job never taken before, 30 rounds: exactly one
     * taker of all wins each round, as the lock table says too, and the others name it. DuckDB lets one process at
     * a time open the file, so there the other process is stopped by that file lock, which names this one.
     */
    @Test
    void schedulersInTwoProcessesGetOneLockARound() throws Exception {
        CliHarness p = shop();
        assertEquals(0, p.run("seed").exitCode());
        int threads = 3;
        int rounds = 30;
        List<Workspace> spaces = new ArrayList<>();
        CliProcess other = null;
        try {
            spaces.add(Workspace.open(Invocation.of("test", p.dir)));
            boolean duck = spaces.get(0).adapter().type().equals("duckdb");
            for (int i = 1; i < threads; i++) spaces.add(duck ? spaces.get(0) : Workspace.open(Invocation.of("test", p.dir)));
            JobLock.acquire(spaces.get(0).adapter(), spaces.get(0).target(), "warm-up", Clock.systemUTC(), JobLock.DEFAULT_TTL, false).close();
            other = CliProcess.startMain(JobLockTakers.class.getName(), p.dir.toString(), "race", String.valueOf(rounds), String.valueOf(threads));
            assertTrue(other.awaitLine("ready", 120), other.output());
            long slot = 300;
            long start = System.currentTimeMillis() + 500;
            other.process.getOutputStream().write((start + " " + slot + "\n").getBytes(StandardCharsets.UTF_8));
            other.process.getOutputStream().flush();
            List<String> lines = new ArrayList<>(JobLockTakers.race(spaces, "race", rounds, start, slot));
            assertEquals(0, other.waitFor(120), other.output());
            List<String> others = other.output().lines().filter(l -> !l.equals("ready") && l.contains("\t")).toList();
            if (duck) {
                // The file is this process's while it is open: the other one cannot reach the lock table at all.
                assertEquals(rounds * threads, others.size(), other.output());
                for (String l : others) assertTrue(l.startsWith("error\t") && l.contains("another process (PID " + ProcessHandle.current().pid() + ")"), l);
                others = List.of();
            }
            lines.addAll(others);
            assertEquals(rounds * threads * (duck ? 1 : 2), lines.size(), String.join("\n", lines));
            for (int r = 0; r < rounds; r++) {
                String job = "race-" + r;
                List<String[]> round = lines.stream().map(l -> l.split("\t", 3)).filter(f -> f[1].equals(job)).toList();
                List<String> winners = round.stream().filter(f -> f[0].equals("won")).map(f -> f[2]).toList();
                assertEquals(1, winners.size(), job + ": " + round.stream().map(f -> String.join(" ", f)).toList());
                for (String[] f : round) {
                    if (f[0].equals("won")) continue;
                    assertTrue(f[0].equals("refused") && f[2].contains("already running") && f[2].contains(winners.get(0)), String.join(" ", f));
                }
                List<JobLock.Row> rows = JobLock.rows(spaces.get(0).adapter(), spaces.get(0).target(), job);
                assertTrue(rows.stream().anyMatch(x -> winners.get(0).equals(x.owner()))
                        && rows.stream().allMatch(x -> x.owner() == null || winners.get(0).equals(x.owner())), job + ": " + rows);
            }
        } finally {
            if (other != null) other.process.destroyForcibly();
            for (Workspace ws : new java.util.LinkedHashSet<>(spaces)) ws.close();
        }
    }

    /** A holder that died stops renewing: its lock is free once it expires, and its late release frees nothing. */
    @Test
    void aStaleLockExpiresAndRenewingKeepsItAlive() throws Exception {
        CliHarness p = shop();
        assertEquals(0, p.run("seed").exitCode());
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        java.time.Duration ttl = java.time.Duration.ofSeconds(60);
        FakeClock clock = new FakeClock(t0);
        try (Workspace ws = Workspace.open(Invocation.of("test", p.dir))) {
            java.util.function.Function<Integer, JobLock> at = s -> {
                clock.now = t0.plusSeconds(s);
                return JobLock.acquire(ws.adapter(), ws.target(), "daily", clock, ttl, false);
            };
            JobLock crashed = at.apply(0); // never renewed, as if its process had been killed
            RunLockedException e = org.junit.jupiter.api.Assertions.assertThrows(RunLockedException.class, () -> at.apply(30));
            assertTrue(e.getMessage().contains("since 2026-03-01 10:00:00 UTC") && e.getMessage().contains("expires at 2026-03-01 10:01:00 UTC")
                    && e.getMessage().contains(crashed.owner()), e.getMessage());
            JobLock next = at.apply(61);
            crashed.close(); // the old holder coming back must not free the new holder's lock
            org.junit.jupiter.api.Assertions.assertThrows(RunLockedException.class, () -> at.apply(62));
            clock.now = t0.plusSeconds(100);
            next.renew(); // now it lasts until +160
            org.junit.jupiter.api.Assertions.assertThrows(RunLockedException.class, () -> at.apply(150));
            JobLock last = at.apply(161);
            assertTrue(JobLock.rows(ws.adapter(), ws.target(), "daily").stream().allMatch(r -> last.owner().equals(r.owner())));
            last.close();
        }
    }

    /** A holder on this machine whose process has ended does not block until expiry; a live one does. */
    @Test
    void aLockOfAProcessThatEndedOnThisMachineIsFreedAtOnce() throws Exception {
        CliHarness p = shop();
        assertEquals(0, p.run("seed").exitCode());
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Process alive = new ProcessBuilder("sleep", "60").start();
        try (Workspace ws = Workspace.open(Invocation.of("test", p.dir))) {
            JobLock.acquire(ws.adapter(), ws.target(), "daily", Clock.systemUTC(), JobLock.DEFAULT_TTL, false).close(); // the table and row
            String table = ws.adapter().render(new dev.sluice.adapter.Relation(null, ws.target().schema(), JobLock.TABLE));
            JobLock probe = JobLock.acquire(ws.adapter(), ws.target(), "probe", Clock.systemUTC(), JobLock.DEFAULT_TTL, false);
            String ns = probe.owner().replaceAll(".*(, ns \\S+), lock .*", "$1");
            probe.close();
            assertTrue(ns.startsWith(", ns "), "this machine's boot and PID namespace are in the owner: " + probe.owner());
            java.util.function.Consumer<Long> heldBy = pid -> {
                try (dev.sluice.adapter.Session s = ws.adapter().open()) {
                    s.execute("update " + table + " set owner = 'pid " + pid + ", host " + RunLock.hostName() + ns + ", lock 0000beef', "
                            + "acquired_at = cast('2026-03-01 10:00:00' as timestamp), expires_at = cast('2999-01-01 00:00:00' as timestamp) where job = 'daily'");
                }
            };
            heldBy.accept(alive.pid());
            RunLockedException e = org.junit.jupiter.api.Assertions.assertThrows(RunLockedException.class,
                    () -> JobLock.acquire(ws.adapter(), ws.target(), "daily", Clock.systemUTC(), JobLock.DEFAULT_TTL, false));
            assertTrue(e.getMessage().contains("pid " + alive.pid()), e.getMessage());
            heldBy.accept(ended.pid());
            try (JobLock taken = JobLock.acquire(ws.adapter(), ws.target(), "daily", Clock.systemUTC(), JobLock.DEFAULT_TTL, false)) {
                assertTrue(JobLock.rows(ws.adapter(), ws.target(), "daily").stream().allMatch(r -> taken.owner().equals(r.owner())));
            }
        } finally {
            alive.destroy();
        }
    }

    /** The heartbeat thread renews a held lock: with a 2 s expiry it is still held after 3 s. */
    @Test
    void theHeartbeatRenewsAHeldLock() throws Exception {
        CliHarness p = shop();
        assertEquals(0, p.run("seed").exitCode());
        try (Workspace ws = Workspace.open(Invocation.of("test", p.dir))) {
            java.time.Duration ttl = java.time.Duration.ofSeconds(2);
            JobLock held = JobLock.acquire(ws.adapter(), ws.target(), "daily", Clock.systemUTC(), ttl, true);
            Thread.sleep(3_000);
            org.junit.jupiter.api.Assertions.assertThrows(RunLockedException.class,
                    () -> JobLock.acquire(ws.adapter(), ws.target(), "daily", Clock.systemUTC(), ttl, false));
            Instant expires = JobLock.rows(ws.adapter(), ws.target(), "daily").get(0).expiresAt();
            assertTrue(expires.isAfter(Instant.now().plusMillis(500)), "renewed: expires at " + expires);
            held.close();
            JobLock.acquire(ws.adapter(), ws.target(), "daily", Clock.systemUTC(), ttl, false).close();
        }
    }

    @Test
    void mistakesInJobsYmlNameTheLine() {
        CliHarness p = shop();
        p.write("jobs.yml", "jobs:\n  - name: daily\n    selct: [tag:staging]\n");
        CliHarness.Result r = p.run("job", "list");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("jobs.yml:3") && r.err().contains("unknown key 'selct'") && r.err().contains("did you mean 'select'"), r.err());
        p.write("jobs.yml", "jobs:\n  - name: daily\n    schedule: '0 25 * * *'\n");
        r = p.run("job", "list");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("jobs.yml:3") && r.err().contains("schedule '0 25 * * *'"), r.err());
        p.write("jobs.yml", "jobs:\n  - name: daily\n    schedule: '30 6 * * 1-5'\n    timezone: Europe/Paris\n");
        r = p.run("job", "list");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("daily: build; schedule 30 6 * * 1-5 (Europe/Paris), next "), r.out());
        r = p.run("job", "run", "dialy");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("no job named 'dialy'") && r.err().contains("did you mean 'daily'"), r.err());
    }

    @Test
    void anUndeliverableNotificationWarnsWithoutItsSecretUrl() throws Exception {
        CliHarness p = shop();
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closed + "/services/T000/B000/s3cr3tT0ken";
        p.write("jobs.yml", "jobs:\n  - name: daily\n    select: [tag:staging]\n    notify:\n      on: [success]\n      webhook: {url: '" + url + "'}\n");
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("job", "run", "daily");
        assertEquals(0, r.exitCode(), "the run's own outcome stands: " + r.all());
        assertTrue(r.out().contains("[WARNING]: could not call the webhook about job daily"), r.out());
        assertFalse(r.all().contains("s3cr3tT0ken"), r.all());
        try (Stream<Path> files = Files.walk(p.dir.resolve("logs"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f).contains("s3cr3tT0ken"), "secret in " + f);
            }
        }
    }

    /** A clock the test moves; the scheduler's sleeper moves it to the time it waits for. */
    private static final class FakeClock extends Clock {
        Instant now;

        FakeClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void scheduleFiresAtCronTimesAndSkipsWhenNoNewData() throws Exception {
        CliHarness p = shop();
        p.write("jobs.yml", "jobs:\n  - name: orders\n    command: run\n    select: ['+orders']\n"
                + "    schedule: '*/5 * * * *'\n    trigger: {source: shop_raw.raw_orders}\n"
                + "  - name: morning\n    command: run\n    select: [stg_customers]\n    schedule: '0 6 * * *'\n    timezone: Europe/Paris\n"
                + "  - name: adhoc\n    select: [stg_payments]\n");
        assertEquals(0, p.run("seed").exitCode());
        Invocation inv = Invocation.of("job", p.dir);
        List<JobSpec> jobs = JobsFile.load(p.dir, () -> Workspace.yamlRenderer(inv));
        // 03:52 UTC on the day Paris moves to summer time: 06:00 in Paris is then 04:00 UTC.
        FakeClock clock = new FakeClock(Instant.parse("2026-03-29T03:52:30Z"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        JobRunner runner = new JobRunner(inv, List.of("--project-dir", p.dir.toString(), "--profiles-dir", p.dir.toString()),
                (a, o, e) -> Main.run(a.toArray(String[]::new), o, e), out, clock);
        Scheduler scheduler = new Scheduler(jobs, clock);
        assertEquals(List.of("orders", "morning"), scheduler.scheduled().stream().map(JobSpec::name).toList());
        List<String> fired = new ArrayList<>();
        scheduler.run(when -> clock.now = when, job -> {
            JobOutcome o = runner.run(job, false);
            fired.add(clock.instant() + " " + job.name() + " " + o.status());
            try {
                if (fired.size() == 3) execute(p, "insert into main.raw_orders select id + 1000, user_id, order_date, status from main.raw_orders where id = 1");
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        }, 5);
        assertEquals(List.of(
                "2026-03-29T03:55:00Z orders success",
                "2026-03-29T04:00:00Z orders skipped",
                "2026-03-29T04:00:00Z morning success",
                "2026-03-29T04:05:00Z orders success",
                "2026-03-29T04:10:00Z orders skipped"), fired);
    }
}
