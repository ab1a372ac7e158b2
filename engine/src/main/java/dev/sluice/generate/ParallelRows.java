package dev.sluice.generate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Generates index ranges on worker threads, a few chunks ahead, and yields their rows in index order, so the
 * consumer (typically a database append on the calling thread) overlaps with generation. Because the
 * generator's rows depend only on the index, the output equals a single-threaded pass. Close it to stop the
 * workers if the rows are not consumed to the end.
 */
public final class ParallelRows implements Iterator<List<Object>>, AutoCloseable {

    /** Rows of the index range [from, to). */
    @FunctionalInterface
    public interface RangeSource {
        Iterator<List<Object>> rows(int from, int to);
    }

    private final RangeSource source;
    private final int to;
    private final int chunk;
    private final int ahead;
    private final ExecutorService pool;
    private final ArrayDeque<Future<List<List<Object>>>> pending = new ArrayDeque<>();
    private int nextFrom;
    private Iterator<List<Object>> current = List.<List<Object>>of().iterator();

    /**
     * @param threads worker threads; 0 generates on the calling thread
     * @param chunk   indices per unit of work; rows of {@code threads + 1} chunks are held at most
     */
    public ParallelRows(int from, int to, int chunk, int threads, RangeSource source) {
        if (chunk < 1 || threads < 0 || from > to) throw new IllegalArgumentException("bad range, chunk or threads");
        this.source = source;
        this.to = to;
        this.chunk = chunk;
        this.nextFrom = from;
        this.ahead = threads + 1;
        if (threads == 0) {
            this.pool = null;
        } else {
            AtomicInteger n = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "sluice-generate-" + n.incrementAndGet());
                // Workers must not keep the JVM alive if a caller forgets to close.
                t.setDaemon(true);
                return t;
            });
            fill();
        }
    }

    private void fill() {
        while (pending.size() < ahead && nextFrom < to) {
            int a = nextFrom, b = (int) Math.min(to, (long) a + chunk);
            nextFrom = b;
            pending.add(pool.submit(() -> {
                List<List<Object>> rows = new ArrayList<>();
                source.rows(a, b).forEachRemaining(rows::add);
                return rows;
            }));
        }
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext()) {
            if (pool == null) {
                if (nextFrom >= to) return false;
                int a = nextFrom, b = (int) Math.min(to, (long) a + chunk);
                nextFrom = b;
                current = source.rows(a, b);
                continue;
            }
            Future<List<List<Object>>> head = pending.poll();
            if (head == null) return false;
            try {
                current = head.get().iterator();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while generating rows", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) throw re;
                if (c instanceof Error er) throw er;
                throw new IllegalStateException(c);
            }
            fill();
        }
        return true;
    }

    @Override
    public List<Object> next() {
        if (!hasNext()) throw new NoSuchElementException();
        return current.next();
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
