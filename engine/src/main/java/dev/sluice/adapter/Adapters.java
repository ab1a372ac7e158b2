package dev.sluice.adapter;

import dev.sluice.error.ConfigException;
import dev.sluice.project.Target;

import java.util.ServiceLoader;

/** Picks the adapter for a target's type. */
public final class Adapters {
    private Adapters() {
    }

    public static Adapter forTarget(Target target) {
        return switch (target.type()) {
            case "duckdb" -> new DuckDbAdapter(target);
            case "postgres", "postgresql" -> new PostgresAdapter(target);
            case "snowflake" -> new SnowflakeAdapter(target);
            case "databricks" -> new DatabricksAdapter(target);
            default -> plugIn(target);
        };
    }

    private static Adapter plugIn(Target target) {
        for (AdapterFactory f : ServiceLoader.load(AdapterFactory.class, Adapters.class.getClassLoader())) {
            if (f.type().equals(target.type())) return f.create(target);
        }
        throw new ConfigException("target '" + target.name() + "' has type '" + target.type()
                + "'; supported types: duckdb, postgres, snowflake, databricks (spark with the sluice-spark module)",
                target.source() == null ? null : dev.sluice.error.SourceLocation.of(target.source()));
    }
}
