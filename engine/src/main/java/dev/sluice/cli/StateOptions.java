package dev.sluice.cli;

import dev.sluice.state.StateFlags;
import dev.sluice.task.Invocation;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** --state, --defer and --favor-state as dbt takes them (also from DBT_STATE / ENGINE_STATE and the like). */
public final class StateOptions {
    @Option(names = "--state", paramLabel = "DIR",
            description = "The target/ folder of an earlier run (manifest.json, run_results.json) for state: and result: selectors, --defer and clone")
    Path state;

    @Option(names = "--defer", description = "ref() to an unselected node missing from the target reads the --state run's relation")
    boolean defer;

    @Option(names = "--favor-state", description = "With --defer, read the --state run's relation even when the target has one")
    boolean favorState;

    Invocation apply(Invocation inv) {
        // Checked before the project is read, so the mistake costs nothing.
        if ((defer || favorState) && state == null) {
            throw new dev.sluice.error.ConfigException((defer ? "--defer" : "--favor-state")
                    + " needs --state DIR (the target/ folder of the run to defer to), or DBT_STATE / ENGINE_STATE");
        }
        return inv.withFlags(inv.flags().withState(new StateFlags(state, defer, favorState)));
    }
}
