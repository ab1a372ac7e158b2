package dev.sluice.compile;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Runs independent per-node work on every core. Results come back in input order, and a failure is thrown
 * on the calling thread as it was raised (the first by input order), so messages do not depend on timing.
 */
final class Parallel {
    /** Below this many items the hand-off between threads costs more than it saves. */
    private static final int MIN_PARALLEL = 8;

    private Parallel() {
    }

    static <T, R> List<R> map(List<T> items, Function<T, R> work) {
        return mapIndexed(items, (i, t) -> work.apply(t));
    }

    @SuppressWarnings("unchecked")
    static <T, R> List<R> mapIndexed(List<T> items, BiFunction<Integer, T, R> work) {
        int n = items.size();
        Object[] results = new Object[n];
        RuntimeException[] failures = new RuntimeException[n];
        IntStream indices = IntStream.range(0, n);
        if (n >= MIN_PARALLEL) indices = indices.parallel();
        indices.forEach(i -> {
            try {
                results[i] = work.apply(i, items.get(i));
            } catch (RuntimeException e) {
                failures[i] = e;
            }
        });
        for (RuntimeException e : failures) if (e != null) throw e;
        return (List<R>) Arrays.asList(results);
    }
}
