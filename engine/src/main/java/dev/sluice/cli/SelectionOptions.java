package dev.sluice.cli;

import dev.sluice.error.ConfigException;
import dev.sluice.graph.YamlSelectors;
import dev.sluice.task.Invocation;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * --select / --exclude / --selector as dbt takes them. A selector list stops at the next thing that starts with
 * "-": an unknown flag there is an error (see Main), never taken for a selector.
 */
public final class SelectionOptions {
    @Option(names = {"-s", "--select", "-m", "--models"}, arity = "1..*", paramLabel = "SELECTOR",
            description = "Nodes to include (dbt selection syntax)")
    List<String> select;

    @Option(names = "--exclude", arity = "1..*", paramLabel = "SELECTOR", description = "Nodes to leave out")
    List<String> exclude;

    @Option(names = "--selector", paramLabel = "NAME", description = "A selector defined in selectors.yml (instead of --select/--exclude)")
    String selector;

    /**
     * The selection of this command line; with neither --select, --exclude nor --selector, the selector of
     * selectors.yml marked default: true, if there is one (as dbt). selectors.yml is read here, before the
     * project, so a wrong name costs nothing.
     */
    Invocation apply(Invocation inv) {
        Invocation finalInv = inv;
        List<String> s = CommonOptions.flatten(select);
        List<String> e = CommonOptions.flatten(exclude);
        if (selector != null) {
            // dbt silently prefers --selector; a command line with both is more likely a mistake than a wish.
            if (!s.isEmpty() || !e.isEmpty()) {
                throw new ConfigException("--selector cannot go with " + (s.isEmpty() ? "--exclude" : "--select")
                        + ": put the whole selection in the selector, or use --select/--exclude alone");
            }
            YamlSelectors.Definition d = YamlSelectors.load(inv.projectDir(), () -> dev.sluice.task.Workspace.yamlRenderer(finalInv)).get(selector);
            return inv.withSelector(new YamlSelectors.Chosen(d.name(), d.spec(), false));
        }
        inv = inv.withSelection(s, e);
        if (s.isEmpty() && e.isEmpty()) {
            java.util.Optional<YamlSelectors.Definition> d = YamlSelectors.load(inv.projectDir(), () -> dev.sluice.task.Workspace.yamlRenderer(finalInv)).defaultSelector();
            if (d.isPresent()) return inv.withSelector(new YamlSelectors.Chosen(d.get().name(), d.get().spec(), true));
        }
        return inv;
    }
}
