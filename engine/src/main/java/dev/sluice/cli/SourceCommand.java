package dev.sluice.cli;

import dev.sluice.error.ConfigException;
import dev.sluice.task.FreshnessTask;
import dev.sluice.task.Invocation;
import dev.sluice.task.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** engine source freshness, as dbt's `dbt source freshness`. */
@Command(name = "source", description = "Commands on the project's sources: freshness.",
        subcommands = {SourceCommand.Freshness.class})
final class SourceCommand implements Runnable {
    @Override
    public void run() {
        throw new ConfigException("say 'source freshness'");
    }

    @Command(name = "freshness", description = "Check how recently each selected source was loaded (loaded_at_field "
            + "against warn_after/error_after); writes target/sources.json; exit 1 when a source is stale (error).")
    static final class Freshness extends Main.NodeCommand {
        @Mixin
        SelectionOptions selection;

        @Option(names = {"-o", "--output"}, paramLabel = "PATH",
                description = "Where to write the results (default: target/sources.json)")
        Path output;

        @Option(names = "--threads", description = "Sources checked at once (default: the target's threads)")
        Integer threads;

        @Override
        public Integer call() {
            if (threads != null && threads < 1) throw new ConfigException("--threads must be at least 1");
            Invocation inv = selection.apply(invocation("source freshness", threads, null, null, false, false, false, false));
            List<FreshnessTask.Result> results;
            try (Workspace ws = Workspace.open(inv)) {
                results = new FreshnessTask(ws, progress().masking(ws.secrets()::mask)).execute(output);
            }
            return results.stream().anyMatch(FreshnessTask.Result::failed) ? Main.NODE_FAILED : Main.OK;
        }
    }
}
