package dev.sluice.state;

import java.nio.file.Path;

/**
 * dbt's state flags.
 *
 * @param stateDir   --state: the target/ folder of an earlier run (manifest.json, run_results.json), or null
 * @param defer      --defer: ref() to a node this run does not build reads the state's relation when the node's own
 *                   relation does not exist in the target
 * @param favorState --favor-state: with --defer, read the state's relation even when the target has one
 */
public record StateFlags(Path stateDir, boolean defer, boolean favorState) {
    public static final StateFlags NONE = new StateFlags(null, false, false);

    public boolean present() {
        return stateDir != null;
    }
}
