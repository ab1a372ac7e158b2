package dev.sluice.cli;

import dev.sluice.error.ConfigException;
import dev.sluice.error.EngineException;
import dev.sluice.job.JobHistory;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.JobRunner;
import dev.sluice.job.JobSpec;
import dev.sluice.job.JobsFile;
import dev.sluice.job.Scheduler;
import dev.sluice.project.KnownKeys;
import dev.sluice.task.Invocation;
import dev.sluice.task.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** engine job list | run NAME | history | schedule: the jobs of jobs.yml, run on demand or on their schedules. */
@Command(name = "job", description = "Jobs of jobs.yml: list them, run one, show their history, or run the schedules.",
        subcommands = {JobCommand.ListJobs.class, JobCommand.RunJob.class, JobCommand.History.class, JobCommand.Schedule.class})
final class JobCommand implements Runnable {
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");

    @Override
    public void run() {
        throw new ConfigException("say 'job list', 'job run NAME', 'job history' or 'job schedule'");
    }

    abstract static class JobBase extends Main.NodeCommand {
        List<JobSpec> jobs(Invocation inv) {
            List<JobSpec> jobs = JobsFile.load(inv.projectDir(), () -> Workspace.yamlRenderer(inv));
            if (jobs.isEmpty()) {
                throw new ConfigException("no jobs: " + inv.projectDir().resolve(JobsFile.FILE) + " is missing or lists none");
            }
            return jobs;
        }

        JobSpec job(List<JobSpec> jobs, String name) {
            return jobs.stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow(() -> new ConfigException(
                    "no job named '" + name + "' in " + JobsFile.FILE + KnownKeys.didYouMean(name, jobs.stream().map(JobSpec::name).toList())
                            + " (jobs: " + String.join(", ", jobs.stream().map(JobSpec::name).toList()) + ")"));
        }

        JobRunner runner(Invocation inv) {
            return new JobRunner(inv, baseArgs(), (a, o, e) -> Main.run(a.toArray(String[]::new), o, e), out, Clock.systemUTC());
        }

        /** The project options of this invocation, given to every command a job runs. */
        List<String> baseArgs() {
            List<String> args = new ArrayList<>(List.of("--project-dir", common.projectDir.toString()));
            if (common.profilesDir != null) args.addAll(List.of("--profiles-dir", common.profilesDir.toString()));
            if (common.target != null) args.addAll(List.of("--target", common.target));
            if (global().targetPath != null) args.addAll(List.of("--target-path", global().targetPath));
            return args;
        }

        static String describe(JobSpec j) {
            String sel = j.selector() != null ? "--selector " + j.selector()
                    : (j.select().isEmpty() ? "" : "-s " + String.join(" ", j.select()))
                    + (j.exclude().isEmpty() ? "" : " --exclude " + String.join(" ", j.exclude()));
            return (j.command() + " " + sel).strip();
        }
    }

    @Command(name = "list", description = "List the jobs with their commands, schedules, triggers and next run times.")
    static final class ListJobs extends JobBase {
        @Override
        public Integer call() {
            Invocation inv = invocation("job list");
            List<JobSpec> jobs = jobs(inv);
            Scheduler scheduler = new Scheduler(jobs, Clock.systemUTC());
            for (JobSpec j : jobs) {
                StringBuilder b = new StringBuilder(j.name()).append(": ").append(describe(j));
                if (j.target() != null) b.append(" (target ").append(j.target()).append(')');
                j.schedule().ifPresentOrElse(s -> {
                    b.append("; schedule ").append(s);
                    java.time.Instant next = scheduler.nextTimes().get(j.name());
                    if (next != null) b.append(", next ").append(AT.format(next.atZone(s.zone())));
                }, () -> b.append("; on demand"));
                j.trigger().ifPresent(t -> b.append("; only when source ").append(t.display()).append(" has new data"));
                if (j.retries() > 0) b.append("; retries ").append(j.retries());
                if (!j.notifications().on().isEmpty()) {
                    List<String> to = new ArrayList<>();
                    j.notifications().email().ifPresent(e -> to.add("e-mail"));
                    j.notifications().webhook().ifPresent(w -> to.add("webhook"));
                    b.append("; notifies ").append(String.join("+", to)).append(" on ")
                            .append(String.join(", ", j.notifications().on().stream().map(o -> o.word()).sorted().toList()));
                }
                out.println(b);
            }
            return Main.OK;
        }
    }

    @Command(name = "run", description = "Run one job now (for external orchestrators): exit 0 when it succeeded, warned "
            + "or was skipped for lack of new data, 1 when a node failed, 2 on bad input or when the job is already running.")
    static final class RunJob extends JobBase {
        @Parameters(paramLabel = "NAME", description = "The job's name in jobs.yml")
        String name;

        @Option(names = "--force", description = "Run even when the job's trigger finds no new data")
        boolean force;

        @Override
        public Integer call() {
            Invocation inv = invocation("job run");
            JobSpec job = job(jobs(inv), name);
            JobOutcome outcome = runner(inv).run(job, force);
            out.println(outcome.summary());
            return outcome.exitCode();
        }
    }

    @Command(name = "history", description = "The runs of the jobs (or of one), newest first, from the warehouse.")
    static final class History extends JobBase {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "Only this job's runs")
        String name;

        @Option(names = "--limit", defaultValue = "20", description = "At most this many runs (default 20)")
        int limit;

        @Override
        public Integer call() {
            Invocation inv = invocation("job history");
            if (name != null) job(jobs(inv), name);
            try (Workspace ws = Workspace.open(inv); dev.sluice.adapter.Session s = ws.openSession()) {
                List<JobHistory.Entry> runs = new JobHistory(ws.adapter(), ws.target()).runs(s, name);
                if (runs.isEmpty()) out.println("No job has run on target " + ws.target().name() + " yet.");
                for (JobHistory.Entry e : runs.subList(0, Math.min(limit, runs.size()))) {
                    String took = e.finishedAt() == null ? "running"
                            : String.format(java.util.Locale.ROOT, "%.1fs", java.time.Duration.between(e.startedAt(), e.finishedAt()).toMillis() / 1000.0);
                    out.println(e.startedAt() + "  " + e.job() + "  " + e.status() + "  " + took
                            + (e.attempts() > 1 ? "  attempts " + e.attempts() : "") + "  " + e.runId()
                            + (e.message().isEmpty() ? "" : "  " + e.message()));
                }
            }
            return Main.OK;
        }
    }

    @Command(name = "schedule", description = "Run the scheduled jobs at their cron times until stopped (Ctrl-C); "
            + "`engine serve` runs the same schedules.")
    static final class Schedule extends JobBase {
        @Override
        public Integer call() {
            Invocation inv = invocation("job schedule");
            List<JobSpec> jobs = jobs(inv);
            Clock clock = Clock.systemUTC();
            Scheduler scheduler = new Scheduler(jobs, clock);
            if (scheduler.scheduled().isEmpty()) throw new ConfigException("no job in " + JobsFile.FILE + " has a schedule");
            for (JobSpec j : scheduler.scheduled()) {
                out.println("scheduled " + j.name() + ": " + j.schedule().get() + ", next "
                        + AT.format(scheduler.nextTimes().get(j.name()).atZone(j.schedule().get().zone())));
            }
            JobRunner runner = runner(inv);
            try {
                scheduler.run(Scheduler.sleeping(clock), j -> {
                    try {
                        out.println(runner.run(j, false).summary());
                    } catch (EngineException e) {
                        out.println("job " + j.name() + " did not run: " + e.userMessage());
                    }
                }, Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Main.OK;
        }
    }
}
