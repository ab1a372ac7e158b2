package dev.sluice.cli;

import dev.sluice.error.EngineException;
import dev.sluice.exec.NodeResult;
import dev.sluice.exec.NodeStatus;
import dev.sluice.exec.Progress;
import dev.sluice.project.ProjectConfigLoader;
import dev.sluice.task.BuildTask;
import dev.sluice.task.CleanTask;
import dev.sluice.task.CompileTask;
import dev.sluice.task.DebugTask;
import dev.sluice.task.Invocation;
import dev.sluice.task.ListTask;
import dev.sluice.task.Workspace;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The `engine` command line. Parses arguments, calls a task and turns the outcome into an exit code:
 * 0 all good, 1 a node failed, 2 bad configuration or input (with one message, no stack trace).
 */
@Command(name = "engine", mixinStandardHelpOptions = true, version = "sluice 0.1.0",
        description = "SQL-first transformations: compile, run and test templated SQL models.",
        subcommands = {Main.Seed.class, Main.Run.class, Main.Test.class, Main.Build.class, Main.Snapshot.class,
                Main.Retry.class, Main.Compile.class, Main.Ls.class, Main.Debug.class, Main.Clean.class,
                DocsCommand.class, GenerateCommand.class, DepsCommand.class})
public final class Main implements Callable<Integer> {
    public static final int OK = 0;
    public static final int NODE_FAILED = 1;
    public static final int BAD_INPUT = 2;
    /**
     * Tribuo reports every tree it trains through java.util.logging; the CLI prints its own progress. Held
     * here because java.util.logging keeps loggers only weakly, which would drop the level set on them.
     */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return BAD_INPUT;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Entry point for tests: runs one command with the given streams. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof EngineException ee) {
                if (ee.getCause() != null) org.slf4j.LoggerFactory.getLogger(Main.class).error(ee.userMessage(), ee);
                err.println(ee.userMessage());
                return ee.exitCode();
            }
            org.slf4j.LoggerFactory.getLogger(Main.class).error("internal error", e);
            err.println("Internal error: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName())
                    + " (details in logs/engine.log)");
            if (System.getenv("SLUICE_DEBUG") != null) e.printStackTrace(err);
            return BAD_INPUT;
        });
        Streams.set(cl, out, err);
        return cl.execute(args);
    }

    /** The print streams of this invocation, reachable from subcommands without globals. */
    static final class Streams {
        static void set(CommandLine cl, PrintStream out, PrintStream err) {
            for (CommandLine sub : cl.getSubcommands().values()) {
                if (sub.getCommand() instanceof NodeCommand nc) {
                    nc.out = out;
                    nc.err = err;
                }
                set(sub, out, err);
            }
        }
    }

    /** A subcommand with the project options. */
    public abstract static class NodeCommand implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        PrintStream out = System.out;
        PrintStream err = System.err;
    }

    abstract static class Executing extends NodeCommand {
        @Option(names = {"-s", "--select", "-m", "--models"}, arity = "1..*", description = "Nodes to include (dbt selection syntax)")
        List<String> select;

        @Option(names = "--exclude", arity = "1..*", description = "Nodes to leave out")
        List<String> exclude;

        @Option(names = "--threads", description = "Nodes run at once (default: the target's threads)")
        Integer threads;

        @Option(names = "--full-refresh", description = "Rebuild incremental models and seeds from scratch")
        boolean fullRefresh;

        @Option(names = "--store-failures", description = "Keep failing rows of tests in audit tables")
        boolean storeFailures;

        @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "0",
                description = "Wait this long for another run on the same target to finish (default: fail at once)")
        long lockTimeout;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec executingSpec;

        /** The subcommand's own name: seed, run, test, build or snapshot. */
        String command() {
            return executingSpec.name();
        }

        @Override
        public Integer call() {
            if (threads != null && threads < 1) throw new dev.sluice.error.ConfigException("--threads must be at least 1");
            if (lockTimeout < 0) throw new dev.sluice.error.ConfigException("--lock-timeout must be 0 or more seconds");
            Invocation inv = common.invocation(command(), threads, CommonOptions.flatten(select),
                    CommonOptions.flatten(exclude), fullRefresh, storeFailures).withLockTimeout(java.time.Duration.ofSeconds(lockTimeout));
            return execute(inv, out);
        }
    }

    static int execute(Invocation inv, PrintStream out) {
        try (Workspace ws = Workspace.open(inv)) {
            List<NodeResult> results = new BuildTask(ws, new Progress(out), BuildTask.typesFor(inv.command()), BuiltInOperators.all()).execute();
            boolean failed = results.stream().anyMatch(r -> r.status() == NodeStatus.ERROR || r.status() == NodeStatus.FAIL);
            return failed ? NODE_FAILED : OK;
        }
    }

    @Command(name = "snapshot", description = "Record changes of the snapshots' queries as type-2 history tables.")
    static final class Snapshot extends Executing {
    }

    @Command(name = "retry", description = "Re-run what failed or was skipped in the last run (from target/run_results.json).")
    static final class Retry extends NodeCommand {
        @Option(names = "--threads")
        Integer threads;

        @Override
        public Integer call() {
            Invocation base = common.invocation("retry", threads, null, null, false, false);
            java.util.Optional<Invocation> again = new dev.sluice.task.RetryPlan(base).next();
            if (again.isEmpty()) {
                new Progress(out).line("Nothing to retry: the last run had no errors, failures or skips.");
                return OK;
            }
            return execute(again.get(), out);
        }
    }

    @Command(name = "seed", description = "Load CSV files from seeds/ into tables.")
    static final class Seed extends Executing {
    }

    @Command(name = "run", description = "Build the selected models.")
    static final class Run extends Executing {
    }

    @Command(name = "test", description = "Run data tests on the selected models.")
    static final class Test extends Executing {
    }

    @Command(name = "build", description = "Seed, run and test in DAG order; a failing test skips what depends on it.")
    static final class Build extends Executing {
    }

    @Command(name = "compile", description = "Render every model's SQL to target/compiled without running it.")
    static final class Compile extends NodeCommand {
        @Option(names = {"-s", "--select"}, arity = "1..*")
        List<String> select;
        @Option(names = "--exclude", arity = "1..*")
        List<String> exclude;

        @Override
        public Integer call() {
            Invocation inv = common.invocation("compile", null, CommonOptions.flatten(select), CommonOptions.flatten(exclude), false, false);
            try (Workspace ws = Workspace.open(inv)) {
                new CompileTask(ws, new Progress(out)).execute(out);
            }
            return OK;
        }
    }

    @Command(name = "ls", aliases = "list", description = "List the selected resources.")
    static final class Ls extends NodeCommand {
        @Option(names = {"-s", "--select"}, arity = "1..*")
        List<String> select;
        @Option(names = "--exclude", arity = "1..*")
        List<String> exclude;
        @Option(names = {"-o", "--output"}, defaultValue = "selector", description = "selector, name, path or json")
        String output;
        @Option(names = "--resource-type", arity = "1..*", description = "model, seed, test, snapshot, source")
        List<String> resourceTypes;

        @Override
        public Integer call() {
            Invocation inv = common.invocation("ls", null, CommonOptions.flatten(select), CommonOptions.flatten(exclude), false, false);
            try (Workspace ws = Workspace.open(inv)) {
                new ListTask(ws).execute(out, output, resourceTypes == null ? List.of() : resourceTypes);
            }
            return OK;
        }
    }

    @Command(name = "debug", description = "Check the project file, the profile and the warehouse connection.")
    static final class Debug extends NodeCommand {
        @Override
        public Integer call() {
            new DebugTask(common.invocation("debug", null, null, null, false, false)).execute(out);
            return OK;
        }
    }

    @Command(name = "clean", description = "Delete the project's clean-targets (target/ by default).")
    static final class Clean extends NodeCommand {
        @Override
        public Integer call() {
            new CleanTask(new ProjectConfigLoader().load(common.projectDir)).execute(out);
            return OK;
        }
    }
}
