package dev.sluice.ml;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmenterTest {

    static FeatureFrame blobs(int perBlob, long seed, int[][] truth) {
        return FeatureFrame.fromRows(Synthetic.blobs(perBlob, seed, truth), "customer_id", List.of(), null);
    }

    @Test
    void recoversFourClusters() {
        int[][] truth = new int[1][];
        FeatureFrame f = blobs(300, 5, truth);
        SegmentationResult r = new Segmenter().segment(f);
        assertEquals(4, r.k(), r.selection().rows().toString());
        int[] found = new int[f.rows()];
        for (int i = 0; i < f.rows(); i++) found[i] = ((Long) r.assignments().get(i, "segment_id")).intValue();
        double ari = Metrics.adjustedRandIndex(truth[0], found);
        assertTrue(ari > 0.9, "ARI " + ari);

        assertEquals(4 * 3, r.centroids().size());
        assertEquals(List.of("segment_id", "segment_name", "size", "share", "mean_spend", "mean_frequency", "mean_recency"),
                r.profiles().columns());
        assertEquals(4, new HashSet<>(r.segmentNames()).size(), r.segmentNames().toString());
        // Centroids come back in original units: one lies near the (200, 12, 10) blob.
        boolean near = false;
        for (int s = 1; s <= 4; s++) {
            double spend = 0, freq = 0;
            for (List<Object> row : r.centroids().rows()) {
                if (((Long) row.get(0)) == s && row.get(1).equals("spend")) spend = (Double) row.get(2);
                if (((Long) row.get(0)) == s && row.get(1).equals("frequency")) freq = (Double) row.get(2);
            }
            near |= Math.abs(spend - 200) < 5 && Math.abs(freq - 12) < 1;
        }
        assertTrue(near, r.centroids().rows().toString());
        System.out.println(r.segmentNames() + " " + r.selection().rows());
    }

    @Test
    void everySelectionRuleFindsTheFourBlobsAndReportsItsScores() {
        FeatureFrame f = blobs(100, 5, new int[1][]);
        for (Segmenter.Selection rule : Segmenter.Selection.values()) {
            SegmentationResult r = new Segmenter(Segmenter.Config.defaults().withSelection(rule, 0.98)).segment(f);
            assertEquals(4, r.k(), rule + " " + r.selection().rows());
        }
        SegmentationResult r = new Segmenter().segment(f);
        assertEquals(List.of("k", "silhouette", "stability", "gap", "gap_standard_error", "chosen"), r.selection().columns());
        for (int i = 0; i < r.selection().size(); i++) {
            double stability = (Double) r.selection().get(i, "stability");
            assertTrue(stability <= 1 + 1e-12 && stability > -1, r.selection().rows().toString());
            // Well separated blobs: k-means from any seed finds the same four; more clusters split a blob arbitrarily.
            if ((Long) r.selection().get(i, "k") == 4) assertEquals(1.0, stability, 1e-9);
        }
    }

    @Test
    void sameSeedSameSegments() {
        int[][] truth = new int[1][];
        Segmenter s = new Segmenter(Segmenter.Config.defaults().withK(2, 5));
        SegmentationResult a = s.segment(blobs(100, 9, truth));
        SegmentationResult b = s.segment(blobs(100, 9, truth));
        assertEquals(a.assignments(), b.assignments());
        assertEquals(a.modelVersion(), b.modelVersion());
    }

    @Test
    void namesAreReadableAndUnique() {
        Segmenter s = new Segmenter(Segmenter.Config.defaults().withWords(Map.of("spend", new Segmenter.Words("High spend", "Low spend"),
                "recency", new Segmenter.Words("Lapsed", "Recent"))));
        List<String> names = s.names(new double[][]{{1.5, 0.1, -0.9}, {1.5, 0.2, -0.8}, {0.1, 0.1, 0.1}},
                List.of("spend", "order_count", "recency"));
        assertEquals("High spend · Recent", names.get(0));
        assertEquals("High spend · Recent · High order count", names.get(1));
        assertEquals("Typical", names.get(2));
    }

    @Test
    void scoresKOnASeededSampleOfLargeData() {
        int[][] truth = new int[1][];
        FeatureFrame f = blobs(400, 31, truth);
        Segmenter s = new Segmenter(new Segmenter.Config(2, 6, 42L, 100, 300, 0.5, Map.of(), Segmenter.Selection.STABILITY, 4, 0.98, 5));
        SegmentationResult r = s.segment(f);
        assertEquals(4, r.k(), r.selection().rows().toString());
        assertEquals(f.rows(), r.assignments().size());
        int[] a = Segmenter.sample(1600, 300, 42L);
        assertEquals(300, a.length);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(Segmenter.sample(1600, 300, 42L)));
        assertEquals(300, java.util.Arrays.stream(a).distinct().count());
    }
}
