package dev.sluice.cli;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Option defaults from the environment: ENGINE_LOG_FORMAT for --log-format, and DBT_LOG_FORMAT too for the
 * flags dbt reads from the environment, so a dbt user's settings carry over. ENGINE_ wins over DBT_.
 */
final class EnvDefaults implements IDefaultValueProvider {
    /** The flags dbt reads from DBT_ variables. */
    static final Set<String> DBT_FLAGS = Set.of("profiles-dir", "project-dir", "target", "target-path", "log-path",
            "log-format", "log-format-file", "log-level", "log-level-file", "quiet", "print", "use-colors",
            "warn-error", "warn-error-options", "fail-fast", "empty", "full-refresh", "indirect-selection",
            "debug", "store-failures", "defer", "state", "favor-state", "partial-parse");
    private final Map<String, String> env;

    EnvDefaults(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o) || !o.longestName().startsWith("--")) return null;
        String flag = o.longestName().substring(2);
        String suffix = flag.toUpperCase(Locale.ROOT).replace('-', '_');
        String v = env.get("ENGINE_" + suffix);
        if (v == null && DBT_FLAGS.contains(flag)) v = env.get("DBT_" + suffix);
        if (v == null) return null;
        if (o.type() == boolean.class || o.type() == Boolean.class) {
            // Environment variables say 1/0, yes/no as often as true/false.
            return switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "1", "yes", "y", "on", "true" -> "true";
                case "0", "no", "n", "off", "false", "" -> "false";
                default -> v;
            };
        }
        return v;
    }

    /** The variable names a flag can be set with, for help and the README. */
    static String variables(String flag) {
        String suffix = flag.toUpperCase(Locale.ROOT).replace('-', '_');
        return DBT_FLAGS.contains(flag) ? "ENGINE_" + suffix + ", DBT_" + suffix : "ENGINE_" + suffix;
    }
}
