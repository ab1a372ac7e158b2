package dev.sluice.compile;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs independent per-node work on every core. Results come back in input order, and a failure is thrown
 * on the calling thread as it was raised (the first by input order), so messages do not depend on timing.
 * <p>
 * The calling thread and one helper per other core take the next item from a shared counter until none is
 * left. A parallel stream splits its input into four pieces per helper up front and the caller runs whichever
 * piece a helper has not started yet: on 2 cores the caller did 70-95% of the parse render and of writing
 * the manifest while the helper slept (the helper wakes later than the caller moves on).
 */
public final class Parallel {
    /** Below this many items the hand-off between threads costs more than it saves. */
    private static final int MIN_PARALLEL = 8;

    private Parallel() {
    }

    public static <T, R> List<R> map(List<T> items, Function<T, R> work) {
        return mapIndexed(items, (i, t) -> work.apply(t));
    }

    @SuppressWarnings("unchecked")
    public static <T, R> List<R> mapIndexed(List<T> items, BiFunction<Integer, T, R> work) {
        int n = items.size();
        Object[] results = new Object[n];
        RuntimeException[] failures = new RuntimeException[n];
        AtomicInteger next = new AtomicInteger();
        Runnable drain = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                try {
                    results[i] = work.apply(i, items.get(i));
                } catch (RuntimeException e) {
                    failures[i] = e;
                }
            }
        };
        int helpers = n < MIN_PARALLEL ? 0 : Math.min(ForkJoinPool.getCommonPoolParallelism(), n - 1);
        if (helpers == 0) {
            drain.run();
        } else {
            Helpers h = new Helpers();
            for (int i = 0; i < helpers; i++) ForkJoinPool.commonPool().execute(() -> h.run(drain));
            drain.run();
            h.close();
        }
        for (RuntimeException e : failures) if (e != null) throw e;
        return (List<R>) Arrays.asList(results);
    }

    /**
     * The helpers of one call. The caller waits only for helpers that started before it ran out of items: one the
     * pool has not started yet (its thread busy elsewhere) finds the call closed and does nothing, so the caller
     * never waits for a thread that has other work.
     */
    private static final class Helpers {
        private int running;
        private boolean closed;
        private Throwable error;

        void run(Runnable drain) {
            synchronized (this) {
                if (closed) return;
                running++;
            }
            try {
                drain.run();
            } catch (Throwable t) {
                synchronized (this) {
                    if (error == null) error = t;
                }
            } finally {
                synchronized (this) {
                    running--;
                    notifyAll();
                }
            }
        }

        /** Waits for the running helpers; an Error one of them met is rethrown here. */
        void close() {
            boolean interrupted = false;
            Throwable failed;
            synchronized (this) {
                closed = true;
                while (running > 0) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                failed = error;
            }
            if (interrupted) Thread.currentThread().interrupt();
            if (failed instanceof Error e) throw e;
            if (failed instanceof RuntimeException e) throw e;
        }
    }
}
