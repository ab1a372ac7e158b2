package dev.sluice.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.error.ConfigException;
import dev.sluice.error.DatabaseException;
import dev.sluice.project.SourceTable;
import dev.sluice.task.Invocation;
import dev.sluice.task.Workspace;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Runs one job: takes the job's lock (a second run of the same job is refused, not queued), checks its
 * trigger (a source's data version against the last good run's), runs its command through the same command
 * line a user types (so a job does exactly what `engine build -s ...` does), retries a failed run from the
 * failure with `engine retry`, records the run in {@link JobHistory} and sends the notifications.
 */
public final class JobRunner {
    /** Runs one engine command line in this process and returns its exit code. */
    @FunctionalInterface
    public interface CommandLine {
        int run(List<String> args, PrintStream out, PrintStream err);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Invocation base;
    private final List<String> baseArgs;
    private final CommandLine engine;
    private final PrintStream out;
    private final Clock clock;
    private final Duration lockTtl;

    /**
     * @param base     the project, profiles and target of the `engine job` invocation
     * @param baseArgs the matching command-line options (--project-dir, --profiles-dir, ...) given to every command
     */
    public JobRunner(Invocation base, List<String> baseArgs, CommandLine engine, PrintStream out, Clock clock) {
        this.base = base;
        this.baseArgs = List.copyOf(baseArgs);
        this.engine = engine;
        this.out = out;
        this.clock = clock;
        this.lockTtl = JobLock.DEFAULT_TTL;
    }

    private JobRunner(JobRunner base, Duration lockTtl) {
        this.base = base.base;
        this.baseArgs = base.baseArgs;
        this.engine = base.engine;
        this.out = base.out;
        this.clock = base.clock;
        this.lockTtl = lockTtl;
    }

    /** The same runner with another lock expiry (a test's short one). */
    public JobRunner withLockTtl(Duration ttl) {
        return new JobRunner(this, ttl);
    }

    /**
     * @param force run even when the trigger finds no new data
     * @throws dev.sluice.error.RunLockedException when the job is already running
     */
    public JobOutcome run(JobSpec job, boolean force) {
        Invocation inv = invocationFor(job);
        String runId = UUID.randomUUID().toString();
        Instant started = clock.instant();
        Secretive mask = new Secretive(job);
        try (Workspace ws = Workspace.open(inv)) {
            UnaryOperator<String> masking = s -> mask.apply(ws.secrets().mask(s));
            JobHistory history = new JobHistory(ws.adapter(), ws.target());
            // DuckDB: no heartbeat, because while this process has the file open no other process can open it.
            JobLock lock = JobLock.acquire(ws.adapter(), ws.target(), job.name(), clock, lockTtl, !ws.adapter().type().equals("duckdb"));
            try {
                String dataVersion = "";
                try (Session s = ws.openSession()) {
                    history.ensure(s);
                    if (job.trigger().isPresent()) {
                        dataVersion = dataVersion(ws, s, job.trigger().get());
                        Optional<String> last = history.lastGoodDataVersion(s, job.name());
                        if (!force && last.isPresent() && last.get().equals(dataVersion)) {
                            String why = "no new data in source " + job.trigger().get().display() + " since the last good run";
                            history.append(s, new JobHistory.Entry(job.name(), runId, "skipped", started, clock.instant(), 0,
                                    dataVersion, why, tags(job)));
                            return new JobOutcome(job.name(), runId, "skipped", 0, Duration.between(started, clock.instant()),
                                    List.of(), why, 0);
                        }
                    }
                    history.append(s, new JobHistory.Entry(job.name(), runId, "running", started, null, 0, dataVersion, "", tags(job)));
                }
                // The warehouse connection is closed while the command runs: DuckDB lets one process open a file once.
                Path log = logFile(job, runId);
                Attempts attempts = execute(job, log);
                JobOutcome outcome = outcome(job, runId, started, attempts, ws, masking);
                try (Session s = ws.openSession()) {
                    history.append(s, new JobHistory.Entry(job.name(), runId, outcome.status(), started, clock.instant(),
                            outcome.attempts(), dataVersion, masking.apply(outcome.failures().isEmpty() ? outcome.message()
                            : outcome.failures().get(0).uniqueId() + ": " + JobOutcome.firstLine(outcome.failures().get(0).message())),
                            tags(job)));
                }
                for (String line : new Notifier(masking).send(job, outcome, log.toString())) out.println(line);
                return outcome;
            } finally {
                lock.close();
            }
        }
    }

    /** The job's invocation: the base one with the job's target and vars. */
    Invocation invocationFor(JobSpec job) {
        Map<String, Object> vars = new java.util.LinkedHashMap<>(base.vars());
        vars.putAll(job.vars());
        return new Invocation("job", base.projectDir(), base.profilesDir(), job.target() != null ? job.target() : base.target(),
                vars, job.threads(), job.select(), job.exclude(), job.fullRefresh(), false, base.indirectSelection(),
                base.lockTimeout(), base.flags());
    }

    /** The command line of the job's first attempt. */
    List<String> commandLine(JobSpec job) {
        List<String> args = new ArrayList<>();
        args.add(job.command());
        args.addAll(baseArgs);
        if (job.target() != null) args.addAll(List.of("--target", job.target()));
        Map<String, Object> vars = new java.util.LinkedHashMap<>(base.vars());
        vars.putAll(job.vars());
        if (!vars.isEmpty()) {
            try {
                args.addAll(List.of("--vars", JSON.writeValueAsString(vars)));
            } catch (IOException e) {
                throw new ConfigException("job " + job.name() + ": vars cannot be written as JSON: " + e.getMessage());
            }
        }
        if (!job.select().isEmpty()) {
            args.add("--select");
            args.addAll(job.select());
        }
        if (!job.exclude().isEmpty()) {
            args.add("--exclude");
            args.addAll(job.exclude());
        }
        if (job.selector() != null) args.addAll(List.of("--selector", job.selector()));
        if (job.fullRefresh()) args.add("--full-refresh");
        if (job.threads() != null) args.addAll(List.of("--threads", job.threads().toString()));
        return args;
    }

    private record Attempts(int count, int exitCode) {
    }

    private Attempts execute(JobSpec job, Path log) {
        try (OutputStream file = Files.newOutputStream(log);
             PrintStream tee = new PrintStream(new Tee(out, file), true, StandardCharsets.UTF_8)) {
            List<String> first = commandLine(job);
            tee.println("job " + job.name() + ": engine " + String.join(" ", first));
            int code = engine.run(first, tee, tee);
            int n = 1;
            // Exit 2 is bad input: trying again cannot help. Exit 1 is a node that failed: retry re-runs from it.
            while (code == 1 && n <= job.retries()) {
                n++;
                List<String> again = new ArrayList<>(List.of("retry"));
                again.addAll(baseArgs);
                if (job.target() != null) again.addAll(List.of("--target", job.target()));
                tee.println("job " + job.name() + ": attempt " + n + " of " + (job.retries() + 1) + ": engine " + String.join(" ", again));
                code = engine.run(again, tee, tee);
            }
            return new Attempts(n, code);
        } catch (IOException e) {
            throw new ConfigException("cannot write the job log " + log + ": " + e.getMessage());
        }
    }

    private JobOutcome outcome(JobSpec job, String runId, Instant started, Attempts a, Workspace ws, UnaryOperator<String> mask) {
        Duration elapsed = Duration.between(started, clock.instant());
        List<JobOutcome.NodeProblem> problems = new ArrayList<>();
        Path results = resultsFile(ws);
        if (a.exitCode() != 2 && Files.isRegularFile(results)) {
            try {
                for (JsonNode r : JSON.readTree(results.toFile()).path("results")) {
                    String status = r.path("status").asText();
                    if (status.equals("error") || status.equals("fail") || status.equals("warn")) {
                        problems.add(new JobOutcome.NodeProblem(r.path("unique_id").asText(), status, mask.apply(r.path("message").asText(""))));
                    }
                }
            } catch (IOException e) {
                throw new ConfigException("cannot read " + results + " after job " + job.name() + ": " + e.getMessage());
            }
        }
        String status = a.exitCode() == 2 ? "error" : a.exitCode() != 0 ? "failure"
                : problems.stream().anyMatch(p -> p.status().equals("warn")) ? "warning" : "success";
        if (status.equals("failure") || status.equals("error")) problems.removeIf(p -> p.status().equals("warn"));
        String message = status.equals("error") ? "the command stopped on bad input (exit 2); see the job log" : "";
        return new JobOutcome(job.name(), runId, status, a.count(), elapsed, problems, message, a.exitCode());
    }

    private Path resultsFile(Workspace ws) {
        String targetPath = base.flags().targetPath();
        Path dir = targetPath != null ? ws.config().root().resolve(targetPath) : ws.config().targetDir();
        return dir.resolve("run_results.json");
    }

    private Path logFile(JobSpec job, String runId) {
        Path dir = base.projectDir().resolve("logs").resolve("jobs").resolve(job.name());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("cannot create " + dir + ": " + e.getMessage());
        }
        return dir.resolve(runId + ".log");
    }

    /** The trigger source's data version: its row count and latest load time (where it declares loaded_at_field). */
    static String dataVersion(Workspace ws, Session s, JobSpec.Trigger t) {
        SourceTable src = ws.project().sources().stream()
                .filter(x -> x.sourceName().equals(t.sourceName()) && x.name().equals(t.tableName())).findFirst()
                .orElseThrow(() -> new ConfigException("the trigger names source " + t.display() + ", which the project does not define",
                        t.location()));
        Relation r = new Relation(src.database(), src.schema(), src.identifier());
        String field = src.freshness().loadedAtField();
        String sql = "select count(*)" + (field == null ? "" : ", max(" + field + ")") + " from " + ws.adapter().render(r);
        try {
            List<String> parts = new ArrayList<>();
            for (Object v : s.query(sql).get(0).values()) parts.add(String.valueOf(v));
            return String.join(" ", parts);
        } catch (DatabaseException e) {
            throw new ConfigException("the trigger cannot read source " + t.display() + ": " + JobOutcome.firstLine(e.getMessage()), t.location());
        }
    }

    private static String tags(JobSpec job) {
        List<String> kv = new ArrayList<>();
        job.tags().forEach((k, v) -> kv.add(k + "=" + v));
        return String.join(",", kv);
    }

    /** Hides the job's own secrets (SMTP password, webhook URL) in anything written out. */
    private record Secretive(JobSpec job) implements UnaryOperator<String> {
        @Override
        public String apply(String s) {
            if (s == null) return null;
            String r = s;
            Notifications n = job.notifications();
            if (n.email().isPresent() && n.email().get().password() != null && !n.email().get().password().isEmpty()) {
                r = r.replace(n.email().get().password(), "*****");
            }
            if (n.webhook().isPresent()) r = r.replace(n.webhook().get().url(), "*****");
            return r;
        }
    }

    /** Writes to the console and the job's log file. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
