package dev.sluice.cli;

import dev.sluice.task.Invocation;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * --select / --exclude as dbt takes them. A selector list stops at the next thing that starts with "-": an
 * unknown flag there is an error (see Main), never taken for a selector.
 */
public final class SelectionOptions {
    @Option(names = {"-s", "--select", "-m", "--models"}, arity = "1..*", paramLabel = "SELECTOR",
            description = "Nodes to include (dbt selection syntax)")
    List<String> select;

    @Option(names = "--exclude", arity = "1..*", paramLabel = "SELECTOR", description = "Nodes to leave out")
    List<String> exclude;

    Invocation apply(Invocation inv) {
        return inv.withSelection(CommonOptions.flatten(select), CommonOptions.flatten(exclude));
    }
}
