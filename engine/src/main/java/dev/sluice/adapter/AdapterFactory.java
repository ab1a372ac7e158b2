package dev.sluice.adapter;

import dev.sluice.project.Target;

/**
 * An adapter that lives outside the engine's jar (e.g. the local Spark stand-in with its own large
 * dependencies), found with ServiceLoader through META-INF/services/dev.sluice.adapter.AdapterFactory.
 */
public interface AdapterFactory {
    /** The profile type this factory serves. */
    String type();

    Adapter create(Target target);
}
