package dev.sluice.databricks;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.AdapterFactory;
import dev.sluice.project.Target;

/** Registers type 'databricks' with the engine (META-INF/services), from the plugins folder or the class path. */
public final class DatabricksAdapterFactory implements AdapterFactory {
    @Override
    public String type() {
        return "databricks";
    }

    @Override
    public Adapter create(Target target) {
        return new DatabricksAdapter(target);
    }
}
