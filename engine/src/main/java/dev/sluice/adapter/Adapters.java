package dev.sluice.adapter;

import dev.sluice.error.ConfigException;
import dev.sluice.plugin.KnownPlugins;
import dev.sluice.plugin.Plugins;
import dev.sluice.project.Target;

/** Picks the adapter for a target's type. */
public final class Adapters {
    private Adapters() {
    }

    public static Adapter forTarget(Target target) {
        return switch (target.type()) {
            case "duckdb" -> new DuckDbAdapter(target);
            case "postgres", "postgresql" -> new PostgresAdapter(target);
            default -> plugIn(target);
        };
    }

    /**
     * Warehouses with large drivers (Snowflake, Databricks, Spark) are plugins, so the core install stays
     * small: found on the class path or in a plugins folder, or named with the command that installs them.
     */
    private static Adapter plugIn(Target target) {
        Plugins plugins = Plugins.standard();
        java.util.Optional<Plugins.Found> found = plugins.find(target.type());
        if (found.isPresent()) return found.get().factory().create(target);
        dev.sluice.error.SourceLocation where = target.source() == null ? null : dev.sluice.error.SourceLocation.of(target.source());
        if (KnownPlugins.artifactOf(target.type()).isPresent()) {
            throw new ConfigException("target '" + target.name() + "' has type '" + target.type() + "', whose adapter is a plugin"
                    + " that is not installed: run `engine plugins install " + target.type() + "`", where);
        }
        throw new ConfigException("target '" + target.name() + "' has type '" + target.type()
                + "'; supported types: duckdb, postgres, with a plugin (engine plugins install NAME) "
                + String.join(", ", KnownPlugins.NAMES), where);
    }
}
