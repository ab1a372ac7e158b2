package dev.sluice.adapter;

import dev.sluice.error.ConfigException;
import dev.sluice.project.Target;

/** Picks the adapter for a target's type. */
public final class Adapters {
    private Adapters() {
    }

    public static Adapter forTarget(Target target) {
        return switch (target.type()) {
            case "duckdb" -> new DuckDbAdapter(target);
            case "postgres", "postgresql" -> new PostgresAdapter(target);
            default -> throw new ConfigException("target '" + target.name() + "' has type '" + target.type()
                    + "'; supported types: duckdb, postgres", target.source() == null ? null
                    : dev.sluice.error.SourceLocation.of(target.source()));
        };
    }
}
