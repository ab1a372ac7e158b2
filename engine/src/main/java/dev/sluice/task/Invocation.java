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
 * @param flags             the run-wide switches (--fail-fast, --empty, --target-path, ...)
 * @param selector          a selector of selectors.yml used instead of select and exclude; null for none
 */
public record Invocation(String command, Path projectDir, Path profilesDir, String target, Map<String, Object> vars,
                         Integer threads, List<String> select, List<String> exclude, boolean fullRefresh,
                         boolean storeFailures, dev.sluice.graph.IndirectSelection indirectSelection,
                         java.time.Duration lockTimeout, RunFlags flags,
                         dev.sluice.graph.YamlSelectors.Chosen selector) {

    public Invocation(String command, Path projectDir, Path profilesDir, String target, Map<String, Object> vars,
                      Integer threads, List<String> select, List<String> exclude, boolean fullRefresh,
                      boolean storeFailures, dev.sluice.graph.IndirectSelection indirectSelection,
                      java.time.Duration lockTimeout, RunFlags flags) {
        this(command, projectDir, profilesDir, target, vars, threads, select, exclude, fullRefresh, storeFailures,
                indirectSelection, lockTimeout, flags, null);
    }

    public Invocation(String command, Path projectDir, Path profilesDir, String target, Map<String, Object> vars,
                      Integer threads, List<String> select, List<String> exclude, boolean fullRefresh,
                      boolean storeFailures, dev.sluice.graph.IndirectSelection indirectSelection) {
        this(command, projectDir, profilesDir, target, vars, threads, select, exclude, fullRefresh, storeFailures,
                indirectSelection, java.time.Duration.ZERO, RunFlags.DEFAULT);
    }

    public Invocation(String command, Path projectDir, Path profilesDir, String target, Map<String, Object> vars,
                      Integer threads, List<String> select, List<String> exclude, boolean fullRefresh,
                      boolean storeFailures, dev.sluice.graph.IndirectSelection indirectSelection,
                      java.time.Duration lockTimeout) {
        this(command, projectDir, profilesDir, target, vars, threads, select, exclude, fullRefresh, storeFailures,
                indirectSelection, lockTimeout, RunFlags.DEFAULT);
    }

    public Invocation withLockTimeout(java.time.Duration timeout) {
        return new Invocation(command, projectDir, profilesDir, target, vars, threads, select, exclude, fullRefresh,
                storeFailures, indirectSelection, timeout, flags, selector);
    }

    public static Invocation of(String command, Path projectDir) {
        return new Invocation(command, projectDir, null, null, Map.of(), null, List.of(), List.of(), false, false,
                dev.sluice.graph.IndirectSelection.EAGER);
    }

    public Invocation withFlags(RunFlags f) {
        return new Invocation(command, projectDir, profilesDir, target, vars, threads, select, exclude, fullRefresh,
                storeFailures, indirectSelection, lockTimeout, f, selector);
    }

    /** No --select, --exclude or YAML selector: the command takes every node of the project. */
    public boolean selectsEverything() {
        return selector == null && select.isEmpty() && exclude.isEmpty();
    }

    /** Exactly these --select / --exclude terms: a YAML selector chosen before no longer applies. */
    public Invocation withSelection(List<String> newSelect, List<String> newExclude) {
        return new Invocation(command, projectDir, profilesDir, target, vars, threads, newSelect, newExclude, fullRefresh,
                storeFailures, indirectSelection, lockTimeout, flags, null);
    }

    /** Selects with a selector of selectors.yml instead of --select / --exclude. */
    public Invocation withSelector(dev.sluice.graph.YamlSelectors.Chosen chosen) {
        return new Invocation(command, projectDir, profilesDir, target, vars, threads, List.of(), List.of(), fullRefresh,
                storeFailures, indirectSelection, lockTimeout, flags, chosen);
    }
}
