package dev.sluice.state;

import dev.sluice.error.ConfigException;
import dev.sluice.graph.Selector;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** The state: and result: selection methods of one invocation. */
public final class StateSelection {
    private StateSelection() {
    }

    /**
     * @param previous the --state folder's artifacts, or null when --state was not given (the methods then say so)
     * @param current  the current manifest as written to manifest.json; asked only when a state: term is used
     */
    public static Map<String, Selector.Method> methods(StateManifest previous, Supplier<StateManifest> current) {
        return methods(previous, current, null);
    }

    /**
     * @param currentTarget this run's target folder, whose sources.json source_status: compares with the state's;
     *                      null when unknown (source_status: then says it cannot be used here)
     */
    public static Map<String, Selector.Method> methods(StateManifest previous, Supplier<StateManifest> current,
                                                       java.nio.file.Path currentTarget) {
        if (previous == null) {
            return Map.of("state", v -> missing("state:" + v), "result", v -> missing("result:" + v),
                    "source_status", v -> missing("source_status:" + v));
        }
        // Compared once, on first use: a selection without state: terms costs nothing.
        Supplier<StateComparison> comparison = memo(() -> new StateComparison(previous, current.get()));
        return Map.of("state", v -> comparison.get().state(v), "result", v -> comparison.get().result(v),
                "source_status", v -> {
                    if (currentTarget == null || previous.dir() == null) {
                        throw new ConfigException("the selector 'source_status:" + v + "' is not available in this command");
                    }
                    return SourceStatus.matching(previous.dir(), currentTarget, v);
                });
    }

    private static Set<String> missing(String term) {
        throw new ConfigException("the selector '" + term + "' needs --state DIR (the target/ folder of the run to compare "
                + "with), or DBT_STATE / ENGINE_STATE");
    }

    private static <T> Supplier<T> memo(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) value = s.get();
                return value;
            }
        };
    }
}
