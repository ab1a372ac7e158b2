package dev.sluice.task;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a user asked for, independent of how it was asked (CLI or API).
 *
 * @param threads           null to use the target's setting
 * @param indirectSelection which tests come with selected nodes
 * @param flags             the run-wide switches (--fail-fast, --empty, --target-path, ...)
 */
public record Invocation(String command, Path projectDir, Path profilesDir, String target, Map<String, Object> vars,
                         Integer threads, List<String> select, List<String> exclude, boolean fullRefresh,
                         boolean storeFailures, dev.sluice.graph.IndirectSelection indirectSelection, RunFlags flags) {

    public Invocation(String command, Path projectDir, Path profilesDir, String target, Map<String, Object> vars,
                      Integer threads, List<String> select, List<String> exclude, boolean fullRefresh,
                      boolean storeFailures, dev.sluice.graph.IndirectSelection indirectSelection) {
        this(command, projectDir, profilesDir, target, vars, threads, select, exclude, fullRefresh, storeFailures,
                indirectSelection, RunFlags.DEFAULT);
    }

    public static Invocation of(String command, Path projectDir) {
        return new Invocation(command, projectDir, null, null, Map.of(), null, List.of(), List.of(), false, false,
                dev.sluice.graph.IndirectSelection.EAGER);
    }

    public Invocation withFlags(RunFlags f) {
        return new Invocation(command, projectDir, profilesDir, target, vars, threads, select, exclude, fullRefresh,
                storeFailures, indirectSelection, f);
    }

    public Invocation withSelection(List<String> newSelect, List<String> newExclude) {
        return new Invocation(command, projectDir, profilesDir, target, vars, threads, newSelect, newExclude, fullRefresh,
                storeFailures, indirectSelection, flags);
    }
}
