package dev.sluice.cli;

import dev.sluice.activation.ActivationLog;
import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Adapters;
import dev.sluice.adapter.Session;
import dev.sluice.error.ConfigException;
import dev.sluice.job.JobHistory;
import dev.sluice.job.JobRunner;
import dev.sluice.job.JobSpec;
import dev.sluice.job.JobsFile;
import dev.sluice.job.Scheduler;
import dev.sluice.project.Target;
import dev.sluice.serve.Dashboard;
import dev.sluice.serve.DashboardFile;
import dev.sluice.serve.LiveRuns;
import dev.sluice.serve.OpsServer;
import dev.sluice.serve.ProjectGraph;
import dev.sluice.serve.ServeAuth;
import dev.sluice.task.Invocation;
import dev.sluice.task.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** engine serve: the operations app (dashboard, jobs, live runs) and the job schedules, until stopped. */
@Command(name = "serve", description = "Serve the operations app: the dashboard of dashboard.yml, the jobs of jobs.yml "
        + "(launch, watch live, history) and their schedules. Loopback only unless SLUICE_SERVE_TOKEN (or "
        + "SLUICE_SERVE_USER and SLUICE_SERVE_PASSWORD) is set.")
final class ServeCommand extends JobCommand.JobBase {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default 127.0.0.1)")
    String host;

    @Option(names = "--port", defaultValue = "8580", description = "Port to listen on (default 8580; 0 picks a free one)")
    int port;

    @Option(names = "--show-pii", description = "Show the columns dashboard.yml marks as PII in clear (default: masked)")
    boolean showPii;

    @Option(names = "--no-schedule", description = "Serve without running the job schedules")
    boolean noSchedule;

    @Override
    public Integer call() {
        Invocation inv = invocation("serve");
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (IOException e) {
            throw new ConfigException("--host " + host + " is not an address of this machine: " + e.getMessage());
        }
        ServeAuth auth = ServeAuth.forBinding(address, System.getenv());
        List<JobSpec> jobs = JobsFile.load(inv.projectDir(), () -> Workspace.yamlRenderer(inv));
        Dashboard dashboard = new Dashboard(inv, DashboardFile.load(inv.projectDir()), showPii);
        dashboard.compile(); // a mistake in a dashboard query stops here, before the server starts
        JobRunner.CommandLine engine = (a, o, e) -> Main.run(a.toArray(String[]::new), o, e);
        List<String> baseArgs = new java.util.ArrayList<>(baseArgs());
        baseArgs.addAll(LiveRuns.EVENT_ARGS);
        LiveRuns runs = new LiveRuns((job, force, o) -> new JobRunner(inv, baseArgs, engine, o, Clock.systemUTC()).run(job, force), relog);
        Target target = Workspace.loadTarget(inv, Workspace.loadConfig(inv));
        // The campaigns page reads the activation log: an empty one until the first export, not a missing table.
        try (Adapter adapter = Adapters.forTarget(target); Session s = adapter.open()) {
            new ActivationLog(adapter, target.schema()).ensure(s);
        }
        OpsServer.Context ctx = new OpsServer.Context(Workspace.loadConfig(inv).name(), () -> jobs, dashboard, runs, () -> {
            try (Adapter adapter = Adapters.forTarget(target); Session s = adapter.open()) {
                return new JobHistory(adapter, target).runs(s, null);
            }
        }, new ProjectGraph(inv));
        OpsServer server;
        try {
            server = OpsServer.start(new InetSocketAddress(address, port), auth, ctx);
        } catch (IOException e) {
            throw new ConfigException("cannot serve on " + host + ":" + port + " (--port): " + e.getMessage());
        }
        Scheduler scheduler = new Scheduler(jobs, Clock.systemUTC());
        if (!noSchedule && !scheduler.scheduled().isEmpty()) {
            Thread t = new Thread(() -> {
                try {
                    scheduler.run(Scheduler.sleeping(Clock.systemUTC()), j -> runs.submit(j, "schedule", false), Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sluice-scheduler");
            t.setDaemon(true);
            t.start();
            for (JobSpec j : scheduler.scheduled()) {
                out.println("scheduled " + j.name() + ": " + j.schedule().get() + ", next " + scheduler.nextTimes().get(j.name()));
            }
        }
        String shown = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
        out.println("Serving " + ctx.projectName() + " on http://" + shown + ":" + server.port() + "/"
                + (auth.required() ? " (credentials required)" : "") + "; Ctrl-C to stop");
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            runs.close();
        }
        return Main.OK;
    }
}
