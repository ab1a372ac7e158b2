package dev.sluice.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Independent jobs on a few threads. Each job's result lands in its own slot, in the order the jobs were given,
 * so what the caller computes from them is the same on any number of threads.
 */
final class Parallel {
    /** At most this many threads: the machine the engine targets has two cores, and a build runs two nodes. */
    static final int THREADS = 2;

    private Parallel() {
    }

    /** Runs every job and returns their results in the jobs' order; the first failure is rethrown. */
    static <T> List<T> run(List<Callable<T>> jobs, String what) {
        int threads = Math.max(1, Math.min(Math.min(THREADS, jobs.size()), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sluice-ml");
            t.setDaemon(true);
            return t;
        });
        try {
            List<T> out = new ArrayList<>(jobs.size());
            for (Future<T> f : pool.invokeAll(jobs)) out.add(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlException("interrupted while " + what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new MlException(what + " failed: " + e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
