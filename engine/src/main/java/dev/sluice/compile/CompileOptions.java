package dev.sluice.compile;

import java.nio.file.Path;
import java.util.Map;

/**
 * @param vars        --vars, overriding the project file's vars
 * @param compiledDir where compiled SQL is written (target/compiled), or null not to write it
 * @param command     the command running, as flags.WHICH
 * @param analyzeSql  whether Calcite parses the compiled SQL (columns, lineage, syntax errors); listings skip it
 * @param empty       --empty: every ref() and source() reads zero rows (schema-only builds)
 * @param storeFailures --store-failures, as flags.STORE_FAILURES (should_store_failures() reads it)
 * @param invocationArgs the command's arguments as dbt's invocation_args_dict has them (which, select, ...)
 */
public record CompileOptions(Map<String, Object> vars, boolean fullRefresh, Path compiledDir, String runStartedAt,
                             String invocationId, String command, boolean analyzeSql, boolean empty,
                             boolean storeFailures, Map<String, Object> invocationArgs) {

    public CompileOptions(Map<String, Object> vars, boolean fullRefresh, Path compiledDir, String runStartedAt,
                          String invocationId, String command, boolean analyzeSql, boolean empty, boolean storeFailures) {
        this(vars, fullRefresh, compiledDir, runStartedAt, invocationId, command, analyzeSql, empty, storeFailures,
                Map.of("which", command == null ? "" : command));
    }

    public CompileOptions(Map<String, Object> vars, boolean fullRefresh, Path compiledDir, String runStartedAt,
                          String invocationId, String command, boolean analyzeSql, boolean empty) {
        this(vars, fullRefresh, compiledDir, runStartedAt, invocationId, command, analyzeSql, empty, false);
    }

    public CompileOptions(Map<String, Object> vars, boolean fullRefresh, Path compiledDir, String runStartedAt,
                          String invocationId, String command, boolean analyzeSql) {
        this(vars, fullRefresh, compiledDir, runStartedAt, invocationId, command, analyzeSql, false);
    }

    public CompileOptions(Map<String, Object> vars, boolean fullRefresh, Path compiledDir, String runStartedAt,
                          String invocationId, String command) {
        this(vars, fullRefresh, compiledDir, runStartedAt, invocationId, command, true);
    }
}
