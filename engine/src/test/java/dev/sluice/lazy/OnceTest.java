package dev.sluice.lazy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Render threads read the lazy graph at once: it is built once, and all of them see that one value. */
class OnceTest {

    @Test
    void threadsAskingTogetherGetTheOneValueComputedOnce() throws Exception {
        AtomicInteger computed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Once<Object> once = new Once<>(() -> {
            computed.incrementAndGet();
            try {
                Thread.sleep(50); // keeps the others arriving while the first computes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Object();
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> got = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                got.add(pool.submit(() -> {
                    start.await();
                    return once.get();
                }));
            }
            start.countDown();
            Object first = got.get(0).get();
            for (Future<Object> f : got) assertSame(first, f.get());
            assertSame(first, once.get());
            assertEquals(1, computed.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedComputationIsTriedAgainOnTheNextRead() {
        AtomicInteger calls = new AtomicInteger();
        Once<String> once = new Once<>(() -> {
            if (calls.incrementAndGet() == 1) throw new IllegalStateException("first read fails");
            return "built";
        });
        assertThrows(IllegalStateException.class, once::get);
        assertEquals("built", once.get());
        assertEquals(2, calls.get());
    }

    @Test
    void theCollectionsBuildOnFirstReadAndOnlyThen() {
        AtomicInteger builds = new AtomicInteger();
        LazyMap map = new LazyMap(() -> {
            builds.incrementAndGet();
            return Map.of("a", 1);
        });
        LazyList list = new LazyList(() -> {
            builds.incrementAndGet();
            return List.of("x", "y");
        });
        LazySet<String> set = new LazySet<>(() -> {
            builds.incrementAndGet();
            return Set.of("s");
        });
        assertEquals(0, builds.get());
        assertEquals(1, map.get("a"));
        assertEquals(Map.of("a", 1), map);
        assertEquals(List.of("x", "y"), list);
        assertEquals(2, list.size());
        assertEquals(Set.of("s"), set);
        assertEquals(true, set.contains("s"));
        assertEquals(3, builds.get());
    }
}
