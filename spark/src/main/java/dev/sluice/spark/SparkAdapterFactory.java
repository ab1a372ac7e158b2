package dev.sluice.spark;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.AdapterFactory;
import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.Target;

/** Registers type 'spark' with the engine (META-INF/services): method local (in-process) or connect (a cluster). */
public final class SparkAdapterFactory implements AdapterFactory {
    @Override
    public String type() {
        return "spark";
    }

    @Override
    public Adapter create(Target target) {
        String method = target.setting("method") == null ? "local" : target.setting("method");
        return switch (method) {
            case "local" -> new SparkAdapter(target);
            case "connect" -> new SparkConnectAdapter(target);
            default -> throw new ConfigException("target '" + target.name() + "' of type spark has method '" + method
                    + "'; supported: local (Spark in the engine's process), connect (a Spark Connect server);"
                    + " use type 'databricks' for a Databricks SQL warehouse",
                    target.source() == null ? null : SourceLocation.of(target.source()));
        };
    }
}
