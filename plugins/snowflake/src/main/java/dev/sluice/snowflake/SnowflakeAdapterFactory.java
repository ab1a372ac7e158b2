package dev.sluice.snowflake;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.AdapterFactory;
import dev.sluice.project.Target;

/** Registers type 'snowflake' with the engine (META-INF/services), from the plugins folder or the class path. */
public final class SnowflakeAdapterFactory implements AdapterFactory {
    @Override
    public String type() {
        return "snowflake";
    }

    @Override
    public Adapter create(Target target) {
        return new SnowflakeAdapter(target);
    }
}
