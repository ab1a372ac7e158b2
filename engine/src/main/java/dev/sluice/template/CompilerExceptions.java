package dev.sluice.template;

import java.util.function.Consumer;

/**
 * The `exceptions` namespace of dbt templates; its methods are resolved in JinjaAttributes. Warnings
 * (exceptions.warn) go to the sink the engine gives, which shows them with the run's output.
 */
public final class CompilerExceptions {
    static final CompilerExceptions INSTANCE = new CompilerExceptions(w -> { });

    private final Consumer<String> warnings;

    public CompilerExceptions(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    void warn(String message) {
        warnings.accept(message);
    }

    @Override
    public String toString() {
        return "exceptions";
    }
}
