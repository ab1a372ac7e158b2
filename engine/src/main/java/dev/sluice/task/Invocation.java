package dev.sluice.task;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a user asked for, independent of how it was asked (CLI or API).
 *
 * @param threads           null to use the target's setting
 * @param indirectSelection which tests come with selected nodes
 * @param lockTimeout       how long to wait for another run on the same target to finish; zero fails at once
 */
public record Invocation(String command, Path projectDir, Path profilesDir, String target, Map<String, Object> vars,
                         Integer threads, List<String> select, List<String> exclude, boolean fullRefresh,
                         boolean storeFailures, dev.sluice.graph.IndirectSelection indirectSelection,
                         java.time.Duration lockTimeout) {

    public Invocation(String command, Path projectDir, Path profilesDir, String target, Map<String, Object> vars,
                      Integer threads, List<String> select, List<String> exclude, boolean fullRefresh,
                      boolean storeFailures, dev.sluice.graph.IndirectSelection indirectSelection) {
        this(command, projectDir, profilesDir, target, vars, threads, select, exclude, fullRefresh, storeFailures,
                indirectSelection, java.time.Duration.ZERO);
    }

    public Invocation withLockTimeout(java.time.Duration timeout) {
        return new Invocation(command, projectDir, profilesDir, target, vars, threads, select, exclude, fullRefresh,
                storeFailures, indirectSelection, timeout);
    }

    public static Invocation of(String command, Path projectDir) {
        return new Invocation(command, projectDir, null, null, Map.of(), null, List.of(), List.of(), false, false,
                dev.sluice.graph.IndirectSelection.EAGER);
    }
}
