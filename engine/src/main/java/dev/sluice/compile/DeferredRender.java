package dev.sluice.compile;

import dev.sluice.error.EngineException;

/**
 * A query a template ran while the project compiled failed because what it reads is built by this very run
 * (run_query over an upstream model on a first build). The node is rendered again when it runs, as dbt renders
 * every node just before executing it.
 */
final class DeferredRender extends EngineException {
    DeferredRender(String message, Throwable cause) {
        super(message, null, cause);
    }
}
