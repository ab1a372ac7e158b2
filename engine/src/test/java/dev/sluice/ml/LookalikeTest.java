package dev.sluice.ml;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LookalikeTest {

    @Test
    void ranksSeedLikeCustomersFirst() {
        int[][] truth = new int[1][];
        FeatureFrame f = SegmenterTest.blobs(250, 21, truth);
        List<Long> blob = new ArrayList<>();
        for (int i = 0; i < f.rows(); i++) if (truth[0][i] == 1) blob.add((Long) f.id(i));
        java.util.Collections.shuffle(blob, new Random(4));
        List<Long> seed = blob.subList(0, 50);
        Set<Object> rest = new HashSet<>(blob.subList(50, blob.size()));
        int n = rest.size();

        Lookalike.Result r = new Lookalike(Lookalike.Config.defaults().withTopN(n)).rank(f, seed);
        for (String method : List.of(Lookalike.COSINE, Lookalike.PROPENSITY)) {
            List<Object> top = r.ids(method);
            assertEquals(n, top.size());
            long hits = top.stream().filter(rest::contains).count();
            assertTrue(hits / (double) n > 0.8, method + " precision@" + n + " = " + hits / (double) n);
            for (Long s : seed) assertFalse(top.contains(s), "seeds are not ranked");
        }
        assertEquals(List.of("id", "score", "rank", "method"), r.table().columns());
        assertEquals(1L, r.table().get(0, "rank"));
        assertEquals(r.table(), new Lookalike(Lookalike.Config.defaults().withTopN(n)).rank(f, seed).table());
    }

    @Test
    void needsSeedsInTheData() {
        int[][] truth = new int[1][];
        FeatureFrame f = SegmenterTest.blobs(20, 1, truth);
        assertThrows(MlException.class, () -> new Lookalike().rank(f, List.of(-1L, -2L)));
    }
}
