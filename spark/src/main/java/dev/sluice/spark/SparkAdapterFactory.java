package dev.sluice.spark;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.AdapterFactory;
import dev.sluice.project.Target;

/** Registers type 'spark' with the engine (META-INF/services). */
public final class SparkAdapterFactory implements AdapterFactory {
    @Override
    public String type() {
        return "spark";
    }

    @Override
    public Adapter create(Target target) {
        return new SparkAdapter(target);
    }
}
