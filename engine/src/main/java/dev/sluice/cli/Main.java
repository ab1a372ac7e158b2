package dev.sluice.cli;

import dev.sluice.error.EngineException;
import dev.sluice.exec.NodeResult;
import dev.sluice.exec.NodeStatus;
import dev.sluice.exec.Progress;
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
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The `engine` command line. Parses arguments, calls a task and turns the outcome into an exit code:
 * 0 all good, 1 a node failed, 2 bad configuration or input (with one message, no stack trace; the trace goes
 * to logs/engine.log). Parsing is strict: an unknown option or value is an error, never a selector.
 */
@Command(name = "engine", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Main.VersionProvider.class, sortOptions = false,
        description = "SQL-first transformations: compile, run and test templated SQL models.")
public final class Main implements Callable<Integer> {
    /** The commands, in the order `engine --help` lists them (added by {@link #commandLine(Main, String[])}). */
    static final List<Class<?>> COMMANDS = List.of(Main.Seed.class, Main.Run.class, Main.Test.class, Main.Build.class, Main.Snapshot.class,
                Main.Retry.class, Main.Compile.class, Main.Ls.class, Main.Clone.class, Main.Debug.class, Main.Clean.class,
                DocsCommand.class, GenerateCommand.class, DepsCommand.class, ShowCommand.class, RunOperationCommand.class,
                ParseCommand.class,
                InitCommand.class,
                SourceCommand.class,
                DiffCommand.class,
                PlanCommand.class,
                JobCommand.class,
                ServeCommand.class,
                PluginsCommand.class,
                CommandLine.HelpCommand.class);
    public static final int OK = 0;
    public static final int NODE_FAILED = 1;
    public static final int BAD_INPUT = 2;
    /**
     * Loggers in a holder of their own: java.util.logging and Logback start only when a command runs, not for
     * `engine --version`.
     */
    private static final class Logs {
        /**
         * Tribuo reports every tree it trains through java.util.logging; the CLI prints its own progress. Held
         * here because java.util.logging keeps loggers only weakly, which would drop the level set on them.
         */
        static final java.util.logging.Logger TRIBUO = java.util.logging.Logger.getLogger("org.tribuo");
        static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("engine.cli");
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return BAD_INPUT;
    }

    public static void main(String[] args) {
        // `engine --version` alone is answered before the command line model, logging or anything else starts
        // (the same line picocli would print): it is what scripts call to check an install.
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println(dev.sluice.log.Version.current().line());
            System.exit(OK);
        }
        System.exit(run(args, System.out, System.err, System.getenv(), System.console() != null));
    }

    /** Entry point for tests: runs one command with the given streams. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv(), false);
    }

    /**
     * @param env      the environment flags are read from (ENGINE_*, DBT_*)
     * @param terminal whether the console is a terminal (colours by default)
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        // Logback and Jackson start on a thread of their own while picocli builds its model of the command: their
        // classes take about as long to initialise (together a quarter of `engine ls`'s work on the main thread),
        // and nothing on this thread touches them before the command runs, which waits for them first.
        boolean mapper = mayBindJson(args, env);
        Thread libraries = new Thread(() -> startLibraries(mapper), "sluice-start");
        libraries.setDaemon(true);
        libraries.start();
        Main main = new Main();
        CommandLine cl = commandLine(main, args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        // An unknown --flag after a variable-arity option (-s a b --emtpy) is an error, never a selector.
        cl.setUnmatchedOptionsAllowedAsOptionParameters(false);
        cl.setDefaultValueProvider(new EnvDefaults(env));
        cl.setParameterExceptionHandler((e, a) -> {
            err.println(ParseErrors.oneLine(e));
            return BAD_INPUT;
        });
        cl.setExecutionStrategy(parsed -> {
            awaitLibraries(libraries);
            return main.execute(parsed, out, err, terminal);
        });
        Streams.set(cl, out, err);
        return cl.execute(args);
    }

    /**
     * Initialises the logging libraries (java.util.logging for Tribuo, SLF4J with Logback) and, when the command
     * may use it, Jackson's mapper. Only library classes: the engine's own start on the main thread, so no class is
     * initialised by both threads at once.
     */
    private static void startLibraries(boolean mapper) {
        Logs.TRIBUO.setLevel(java.util.logging.Level.WARNING);
        if (mapper) new com.fasterxml.jackson.databind.ObjectMapper();
    }

    /**
     * Whether the command may bind JSON with Jackson's mapper: all but `ls`, which reads the parse cache with the
     * streaming parser and needs a mapper only for JSON (--output json, JSON logs) or --state. The mapper's start
     * (550 classes and the JDK's date-format locale data) was the longest part of an `ls`, and its thread the last
     * one the command waited for. A wrong guess only moves that start to the main thread.
     */
    static boolean mayBindJson(String[] args, Map<String, String> env) {
        boolean ls = false;
        for (String a : args) {
            if (a.equals("ls") || a.equals("list")) ls = true;
            if (a.contains("json") || a.startsWith("--state")) return true;
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().endsWith("LOG_FORMAT") || e.getKey().endsWith("LOG_FORMAT_FILE")) {
                if (e.getValue() != null && e.getValue().contains("json")) return true;
            }
        }
        return !ls;
    }

    /** Waits for {@link #startLibraries}, which the command's logging needs. */
    private static void awaitLibraries(Thread libraries) {
        try {
            libraries.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The whole command line: every command with its options. */
    public static CommandLine commandLine() {
        return commandLine(new Main(), null);
    }

    /**
     * The command line for these arguments: the root with only the commands whose names are among them (a
     * command runs only when its name is an argument), or with every command when none is named or `help` is
     * (usage, help, suggestions for a mistyped name). Building picocli's model of every command, by
     * reflection, cost a third of a short command's time.
     *
     * @param args the arguments, or null for every command
     */
    static CommandLine commandLine(Main main, String[] args) {
        CommandLine cl = new CommandLine(main);
        java.util.Set<String> words = args == null ? java.util.Set.of() : new java.util.HashSet<>(List.of(args));
        List<Class<?>> named = new java.util.ArrayList<>();
        for (Class<?> c : COMMANDS) {
            Command command = c.getAnnotation(Command.class);
            if (words.contains(command.name()) || java.util.Arrays.stream(command.aliases()).anyMatch(words::contains)) named.add(c);
        }
        boolean every = named.isEmpty() || named.contains(CommandLine.HelpCommand.class) || rootHelp(args);
        for (Class<?> c : every ? COMMANDS : named) {
            try {
                cl.addSubcommand(CommandLine.defaultFactory().create(c));
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the command " + c.getName(), e);
            }
        }
        return cl;
    }

    /** Whether --help or -h comes before any command's name: the root's usage, which lists every command. */
    private static boolean rootHelp(String[] args) {
        if (args == null) return false;
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) return true;
            if (!a.startsWith("-")) {
                for (Class<?> c : COMMANDS) {
                    Command command = c.getAnnotation(Command.class);
                    if (a.equals(command.name()) || List.of(command.aliases()).contains(a)) return false;
                }
            }
        }
        return false;
    }

    /**
     * After parsing: sets up the console and the log file for this invocation, runs the command and turns
     * an exception into one line on stderr (its stack trace to the log only).
     */
    private int execute(CommandLine.ParseResult parsed, PrintStream out, PrintStream err, boolean terminal) {
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) return help;
        CommandLine leaf = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
        String invocationId = java.util.UUID.randomUUID().toString();
        dev.sluice.log.EventLog events;
        try {
            events = new dev.sluice.log.EventLog(out, global.settings(terminal), invocationId, new dev.sluice.log.Secrets());
            java.nio.file.Path projectDir = leaf.getCommand() instanceof NodeCommand nc ? nc.common.projectDir : java.nio.file.Path.of(".");
            java.nio.file.Path logDir = global.logPath != null ? global.logPath : projectDir.resolve("logs");
            boolean fileLog = global.logPath != null || java.nio.file.Files.isDirectory(projectDir);
            dev.sluice.log.LogSetup.configure(fileLog ? logDir : null, global.fileFormat(), global.fileLevel(), invocationId, events);
        } catch (EngineException e) {
            err.println(e.userMessage());
            return e.exitCode();
        }
        if (leaf.getCommand() instanceof NodeCommand nc) {
            nc.events = events;
            java.nio.file.Path projectDir = nc.common.projectDir;
            java.nio.file.Path logDir = global.logPath != null ? global.logPath : projectDir.resolve("logs");
            boolean fileLog = global.logPath != null || java.nio.file.Files.isDirectory(projectDir);
            // A long-running command (serve) runs other commands in this process, each configuring the log for
            // itself: this puts the command's own log back.
            nc.relog = () -> dev.sluice.log.LogSetup.configure(fileLog ? logDir : null, global.fileFormat(), global.fileLevel(),
                    invocationId, events);
        }
        long start = System.nanoTime();
        dev.sluice.log.Version v = dev.sluice.log.Version.current();
        events.debug("MainReportArgs", "running " + v.line() + ": engine " + String.join(" ", parsed.originalArgs()),
                Map.of("args", parsed.originalArgs()));
        int code;
        try {
            code = new CommandLine.RunLast().execute(parsed);
        } catch (CommandLine.ExecutionException e) {
            code = failure(e.getCause() == null ? e : e.getCause(), events, err);
        } catch (RuntimeException e) {
            code = failure(e, events, err);
        }
        try {
            // A warning that an adapter logged (it cannot throw through the logger) fails the command once it ends.
            events.raiseDeferred();
        } catch (dev.sluice.error.WarningAsErrorException e) {
            code = Math.max(code, failure(e, events, err));
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        String command = leaf.getCommandSpec().qualifiedName(" ");
        events.debug("CommandCompleted", "Command `" + command + "` " + (code == OK ? "succeeded" : "failed") + " at "
                + java.time.Instant.now() + " after " + String.format("%.2f", elapsed) + " seconds",
                Map.of("command", command, "success", code == OK, "completed_at", java.time.Instant.now().toString(),
                        "elapsed", elapsed));
        dev.sluice.log.LogSetup.close();
        return code;
    }

    private static int failure(Throwable e, dev.sluice.log.EventLog events, PrintStream err) {
        String message = e instanceof EngineException ee ? ee.userMessage()
                : "Internal error: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName())
                + " (details in logs/engine.log)";
        int code = e instanceof EngineException ee ? ee.exitCode() : BAD_INPUT;
        Logs.LOG.atError().addKeyValue("event", "MainEncounteredError").addKeyValue("data", Map.of("exc", String.valueOf(e)))
                .setCause(e).log(message);
        err.println(message);
        if (events.settings().format() == dev.sluice.log.LogFormat.JSON) {
            events.emitConsoleOnly(dev.sluice.log.LogLevel.ERROR, "MainEncounteredError", message, Map.of("exc", message));
        }
        return code;
    }

    /** engine --version: the version and the git commit the jar was built from. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{dev.sluice.log.Version.current().line()};
        }
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
        /** Set by {@link Main} before the command runs. */
        dev.sluice.log.EventLog events;
        /** Set by {@link Main}: configures this command's log file again after a nested command changed it. */
        Runnable relog = () -> { };

        @CommandLine.Spec
        CommandLine.Model.CommandSpec nodeSpec;

        dev.sluice.log.EventLog events() {
            return events != null ? events : dev.sluice.log.EventLog.console(out);
        }

        Progress progress() {
            return new Progress(events());
        }

        /** The flags shared by all commands, set before or after the command's name. */
        GlobalOptions global() {
            return ((Main) nodeSpec.root().userObject()).global;
        }

        /** The invocation with the run-wide flags of this command line. */
        Invocation invocation(String command, Integer threads, List<String> select, List<String> exclude,
                              boolean fullRefresh, boolean storeFailures, boolean failFast, boolean empty) {
            Invocation inv = common.invocation(command, threads, select, exclude, fullRefresh, storeFailures);
            return inv.withFlags(new dev.sluice.task.RunFlags(failFast, empty, global().targetPath, events().invocationId())
                    .withPartialParse(global().partialParse));
        }

        Invocation invocation(String command) {
            return invocation(command, null, null, null, false, false, false, false);
        }
    }

    abstract static class Executing extends NodeCommand {
        @Mixin
        SelectionOptions selection;

        @Mixin
        StateOptions state;

        @Option(names = "--threads", description = "Nodes run at once (default: the target's threads)")
        Integer threads;

        @Option(names = "--full-refresh", description = "Rebuild incremental models and seeds from scratch")
        boolean fullRefresh;

        @Option(names = "--store-failures", description = "Keep failing rows of tests in audit tables")
        boolean storeFailures;

        @Option(names = {"-x", "--fail-fast"}, description = "Stop at the first error or failure (what runs finishes)")
        boolean failFast;

        @Option(names = "--empty", description = "Read zero rows from every ref() and source(): build schemas only")
        boolean empty;

        @Option(names = "--skip-unchanged", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Skip views, tables and seeds whose fingerprint (SQL, config, parents, source data) is "
                        + "unchanged since they were built (default); --no-skip-unchanged rebuilds them")
        boolean skipUnchanged;

        @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "0",
                description = "Wait this long for another run on the same target to finish (default: fail at once)")
        long lockTimeout;

        @Option(names = "--event-time-start", paramLabel = "TIME",
                description = "Microbatch models build their batches from this time (UTC), as in dbt")
        String eventTimeStart;

        @Option(names = "--event-time-end", paramLabel = "TIME",
                description = "Microbatch models build their batches up to this time (UTC), as in dbt")
        String eventTimeEnd;

        @Option(names = "--tag", paramLabel = "KEY=VALUE",
                description = "Label this run (repeatable), e.g. --tag run_type=test --tag version=1.0.0: recorded in "
                        + "run_results.json (metadata.tags), the log and the docs site")
        List<String> tags;

        /** The subcommand's own name: seed, run, test, build or snapshot. */
        String command() {
            return nodeSpec.name();
        }

        @Override
        public Integer call() {
            if (threads != null && threads < 1) throw new dev.sluice.error.ConfigException("--threads must be at least 1");
            if (lockTimeout < 0) throw new dev.sluice.error.ConfigException("--lock-timeout must be 0 or more seconds");
            Invocation inv = state.apply(selection.apply(invocation(command(), threads, null, null, fullRefresh, storeFailures, failFast, empty)))
                    .withLockTimeout(java.time.Duration.ofSeconds(lockTimeout));
            if (eventTimeStart != null || eventTimeEnd != null) {
                java.time.LocalDateTime start = eventTimeStart == null ? null
                        : dev.sluice.materialize.Microbatch.parseTime(eventTimeStart, "--event-time-start", null);
                java.time.LocalDateTime end = eventTimeEnd == null ? null
                        : dev.sluice.materialize.Microbatch.parseTime(eventTimeEnd, "--event-time-end", null);
                if (start != null && end != null && !start.isBefore(end)) {
                    throw new dev.sluice.error.ConfigException("--event-time-start (" + eventTimeStart
                            + ") must be before --event-time-end (" + eventTimeEnd + ")");
                }
                inv = inv.withFlags(inv.flags().withEventTime(start, end));
            }
            if (!skipUnchanged) inv = inv.withFlags(inv.flags().withSkipUnchanged(false));
            inv = inv.withFlags(inv.flags().withTags(dev.sluice.task.RunTags.parse(tags)));
            return execute(inv);
        }

        /** Runs the command's nodes; a subcommand with more to do afterwards (seed --show) overrides it. */
        int execute(Invocation inv) {
            return Main.execute(inv, progress());
        }
    }

    static int execute(Invocation inv, Progress progress) {
        try (Workspace ws = Workspace.open(inv)) {
            List<NodeResult> results = new BuildTask(ws, progress, BuildTask.typesFor(inv.command()), BuiltInOperators.all()).execute();
            boolean failed = results.stream().anyMatch(r -> r.status() == NodeStatus.ERROR || r.status() == NodeStatus.FAIL
                    || r.status() == NodeStatus.PARTIAL_SUCCESS);
            return failed ? NODE_FAILED : OK;
        }
    }

    @Command(name = "snapshot", description = "Record changes of the snapshots' queries as type-2 history tables.")
    static final class Snapshot extends Executing {
    }

    @Command(name = "retry", description = "Re-run what failed or was skipped in the last run (from target/run_results.json).")
    static final class Retry extends NodeCommand {
        @Option(names = "--threads", description = "Nodes run at once (default: the last run's)")
        Integer threads;

        @Option(names = {"-x", "--fail-fast"}, description = "Stop at the first error or failure")
        boolean failFast;

        @Override
        public Integer call() {
            Invocation base = invocation("retry", threads, null, null, false, false, failFast, false);
            java.util.Optional<Invocation> again = new dev.sluice.task.RetryPlan(base).next();
            if (again.isEmpty()) {
                progress().line("Nothing to retry: the last run had no errors, failures or skips.");
                return OK;
            }
            return execute(again.get(), progress());
        }
    }

    @Command(name = "seed", description = "Load CSV files from seeds/ into tables.")
    static final class Seed extends Executing {
        @Option(names = "--show", description = "Print the first rows of each seed loaded, as dbt seed --show")
        boolean show;

        @Override
        int execute(Invocation inv) {
            if (!show) return super.execute(inv);
            try (Workspace ws = Workspace.open(inv)) {
                List<NodeResult> results = new BuildTask(ws, progress(), BuildTask.typesFor(inv.command()), BuiltInOperators.all()).execute();
                dev.sluice.compile.Manifest m = ws.compileForListing();
                try (dev.sluice.adapter.Session s = ws.openSession()) {
                    for (NodeResult r : results) {
                        if (r.status() != NodeStatus.SUCCESS || m.node(r.uniqueId()) == null) continue;
                        dev.sluice.adapter.Relation rel = m.node(r.uniqueId()).relation();
                        // dbt samples the file's first rows; the loaded table's first rows show the types as stored too.
                        out.println("Random sample of table: " + rel.display());
                        out.print(ShowCommand.table(s.query("select * from " + ws.adapter().render(rel) + " limit " + SHOW_ROWS)));
                    }
                }
                boolean failed = results.stream().anyMatch(r -> r.status() == NodeStatus.ERROR || r.status() == NodeStatus.FAIL);
                return failed ? NODE_FAILED : OK;
            }
        }

        /** dbt's seed --show prints at most this many rows of each seed. */
        private static final int SHOW_ROWS = 10;
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
        @Mixin
        SelectionOptions selection;

        @Mixin
        StateOptions state;

        @Option(names = "--inline", paramLabel = "SQL",
                description = "Compile this SQL snippet in the project's context and print it (as a model named inline)")
        String inline;

        @Override
        public Integer call() {
            Invocation inv = state.apply(selection.apply(invocation("compile")));
            if (inline != null) inv = inv.withSelection(List.of("inline"), List.of());
            // A compile of the whole project with nothing changed since the last keeps that one's outputs.
            dev.sluice.task.UnchangedCompile.Inputs inputs = null;
            if (inline == null && state.state == null && !state.defer && inv.flags().partialParse()
                    && inv.selectsEverything()) {
                dev.sluice.project.ProjectConfig config = Workspace.loadConfig(inv);
                java.nio.file.Path logDir = global().logPath != null ? global().logPath : common.projectDir.resolve("logs");
                inputs = dev.sluice.task.UnchangedCompile.mayRecord(config)
                        ? dev.sluice.task.UnchangedCompile.inputs(config, logDir, inv.profilesDir(), optionValues()) : null;
                if (dev.sluice.task.UnchangedCompile.replay(config, inputs, events().invocationId(),
                        java.time.Instant.now(), progress())) {
                    return OK;
                }
            }
            Workspace opened = Workspace.open(inv);
            try (Workspace ws = inline == null ? opened : opened.withInline(inline)) {
                new CompileTask(ws, progress(), BuiltInOperators.all(), inputs).execute(out);
            }
            return OK;
        }

        /** Every option's value, the engine's and this command's, as given or defaulted (from the environment too). */
        private List<String> optionValues() {
            List<String> out = new java.util.ArrayList<>();
            for (CommandLine.Model.CommandSpec spec : List.of(nodeSpec.root(), nodeSpec)) {
                for (CommandLine.Model.OptionSpec o : spec.options()) {
                    Object v = o.getValue();
                    out.add(spec.name() + " " + o.longestName() + "="
                            + (v instanceof Object[] a ? java.util.Arrays.deepToString(a) : String.valueOf(v)));
                }
            }
            return out;
        }
    }

    @Command(name = "ls", aliases = "list", description = "List the selected resources.")
    static final class Ls extends NodeCommand {
        @Mixin
        SelectionOptions selection;
        @Mixin
        StateOptions state;
        @Option(names = {"-o", "--output"}, defaultValue = "selector", description = "selector (default), name, path or json")
        String output;
        @Option(names = "--output-keys", split = ",", paramLabel = "KEY", description = "Keys of each JSON line (with --output json), e.g. name,resource_type")
        List<String> outputKeys;
        @Option(names = {"--resource-type", "--resource-types"}, arity = "1..*", split = ",", paramLabel = "TYPE",
                description = "model, seed, test, snapshot, source, operator, ... (repeatable)")
        List<String> resourceTypes;

        @Override
        public Integer call() {
            List<String> types = resourceTypes == null ? List.of() : resourceTypes;
            List<String> keys = outputKeys == null ? List.of() : outputKeys;
            // Checked before the project is read, so a typo costs nothing.
            ListTask.validate(output, types, keys);
            Invocation inv = state.apply(selection.apply(invocation("ls")));
            try (Workspace ws = Workspace.open(inv)) {
                new ListTask(ws, progress()).execute(out, output, types, keys);
            }
            return OK;
        }
    }

    @Command(name = "clone", description = "Create in the target each selected node's relation of the --state run: a zero-copy clone where the warehouse can, else a view onto it.")
    static final class Clone extends NodeCommand {
        @Mixin
        SelectionOptions selection;

        @Option(names = "--state", paramLabel = "DIR", description = "The target/ folder of the run whose relations are cloned")
        java.nio.file.Path state;

        @Option(names = "--full-refresh", description = "Replace relations the target already has (kept by default)")
        boolean fullRefresh;

        @Override
        public Integer call() {
            if (state == null) throw new dev.sluice.error.ConfigException("clone needs --state DIR (the target/ folder of the run to clone from)");
            Invocation inv = selection.apply(invocation("clone", null, null, null, fullRefresh, false, false, false));
            inv = inv.withFlags(inv.flags().withState(new dev.sluice.state.StateFlags(state, false, false)));
            try (Workspace ws = Workspace.open(inv)) {
                List<NodeResult> results = new dev.sluice.task.CloneTask(ws, progress()).execute();
                return results.stream().anyMatch(r -> r.status() == NodeStatus.ERROR) ? NODE_FAILED : OK;
            }
        }
    }

    @Command(name = "debug", description = "Check the project file, the profile and the warehouse connection.")
    static final class Debug extends NodeCommand {
        @Override
        public Integer call() {
            new DebugTask(invocation("debug")).execute(out);
            return OK;
        }
    }

    @Command(name = "clean", description = "Delete the project's clean-targets (target/ by default).")
    static final class Clean extends NodeCommand {
        @Override
        public Integer call() {
            new CleanTask(Workspace.loadConfig(invocation("clean"))).execute(out);
            return OK;
        }
    }
}
