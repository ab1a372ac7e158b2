package dev.sluice.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InsightsTest {
    @TempDir
    Path tmp;

    /** Operators on the run's threads write their sections at once: none fails, none is lost. */
    @Test
    void sectionsWrittenByManyThreadsAtOnceAreAllKept() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 20; i++) new Insights(tmp).put("section" + id, Map.of("round", i));
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) f.get();
        pool.shutdown();
        JsonNode root = new ObjectMapper().readTree(tmp.resolve("insights.json").toFile());
        assertEquals(threads, root.size());
        for (int t = 0; t < threads; t++) assertEquals(19, root.path("section" + t).path("round").asInt());
    }
}
