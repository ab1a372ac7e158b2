package example.plugin;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.AdapterFactory;
import dev.sluice.adapter.DuckDbAdapter;
import dev.sluice.project.Target;

/**
 * A stand-in plugin for the plugin tests: packed into a jar at test time with its service file, it serves type
 * 'snowflake' with an in-memory DuckDB. Outside dev.sluice so that the plugin's class loader, not the engine's,
 * defines it.
 */
public final class FakeSnowflakeFactory implements AdapterFactory {
    @Override
    public String type() {
        return "snowflake";
    }

    @Override
    public Adapter create(Target target) {
        return new DuckDbAdapter(target);
    }
}
