package dev.sluice.ml;

import org.junit.jupiter.api.Test;
import org.tribuo.Feature;
import org.tribuo.clustering.kmeans.KMeansModel;
import org.tribuo.clustering.kmeans.KMeansTrainer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** KMeans must give Tribuo's centroids bit for bit: the segmenter chooses k with it and stores Tribuo's model. */
class KMeansTest {
    // Deliberately not in name order: KMeans needs the columns in Tribuo's (sorted) order to sum alike.
    private static final List<String> NAMES = List.of("spend", "frequency", "recency", "a_share", "tenure");

    /** Overlapping blobs with skewed columns and a few repeated rows: k-means needs many passes and meets ties. */
    private static double[][] rows(int n, long seed) {
        Random r = new Random(seed);
        double[][] centers = {{0, 0, 0, 0, 0}, {1.2, -0.8, 0.5, 0, 1}, {-1, 1, -0.5, 1.5, 0}, {0.3, 0.3, 2, -1, -1}, {2, 2, 2, 2, 2}};
        double[][] x = new double[n][NAMES.size()];
        for (int i = 0; i < n; i++) {
            if (i > 10 && r.nextInt(20) == 0) {
                x[i] = x[r.nextInt(i)].clone();
                continue;
            }
            double[] c = centers[r.nextInt(centers.length)];
            for (int j = 0; j < c.length; j++) x[i][j] = c[j] + (j == 0 ? Math.exp(r.nextGaussian()) - 1 : r.nextGaussian() * 0.9);
        }
        return x;
    }

    private static double[][] tribuo(double[][] x, int k, int iterations, long seed) {
        var data = Learners.unlabelled("test rows", NAMES.toArray(String[]::new), x);
        KMeansModel m = new KMeansTrainer(k, iterations, KMeansTrainer.Distance.EUCLIDEAN,
                KMeansTrainer.Initialisation.PLUSPLUS, 1, seed).train(data);
        double[][] out = new double[k][NAMES.size()];
        List<List<Feature>> cs = m.getCentroids();
        for (int c = 0; c < k; c++) {
            Map<String, Double> byName = new HashMap<>();
            for (Feature f : cs.get(c)) byName.put(f.getName(), f.getValue());
            for (int j = 0; j < NAMES.size(); j++) out[c][j] = byName.get(NAMES.get(j));
        }
        return out;
    }

    private static double[][] ours(double[][] x, int k, int iterations, long seed) {
        int[] order = KMeans.nameOrder(NAMES);
        return KMeans.unpermute(KMeans.fit(KMeans.permute(x, order), k, iterations, seed), order);
    }

    @Test
    void builtModelIsTheTrainedOne() {
        // The segmenter stores a Tribuo model built from KMeans' clustering instead of training it again: it must
        // be the trained model but for the training time, converged or stopped by the iteration limit.
        for (int[] c : new int[][] {{600, 4, 100, 3}, {600, 6, 2, 8}, {900, 3, 100, 11}}) {
            double[][] x = rows(c[0], c[3]);
            var data = Learners.unlabelled("test rows", NAMES.toArray(String[]::new), x);
            KMeansModel trained = trainer(c[1], c[2], c[3]).train(data);
            int[] order = KMeans.nameOrder(NAMES);
            KMeansModel built = KMeans.tribuoModel(Learners.unlabelled("test rows", NAMES.toArray(String[]::new), x),
                    trainer(c[1], c[2], c[3]), KMeans.cluster(KMeans.permute(x, order), c[1], c[2], c[3]));
            String label = Arrays.toString(c);
            assertEquals(trained.getCentroids(), built.getCentroids(), label);
            assertEquals(trained.getOutputIDInfo().toReadableString(), built.getOutputIDInfo().toReadableString(), label);
            assertEquals(trained.getFeatureIDMap().toReadableString(), built.getFeatureIDMap().toReadableString(), label);
            assertEquals(Learners.trainerProvenance(trained), Learners.trainerProvenance(built), label);
            assertEquals(provenanceWithoutTime(trained), provenanceWithoutTime(built), label);
            var a = trained.predict(data);
            var b = built.predict(data);
            for (int i = 0; i < a.size(); i++) assertEquals(a.get(i).getOutput().getID(), b.get(i).getOutput().getID(), label + " row " + i);
        }
    }

    private static KMeansTrainer trainer(int k, int iterations, long seed) {
        return new KMeansTrainer(k, iterations, KMeansTrainer.Distance.EUCLIDEAN, KMeansTrainer.Initialisation.PLUSPLUS, 1, seed);
    }

    /** The provenance as the registry writes it, without the training time and the data source's creation time. */
    private static String provenanceWithoutTime(KMeansModel m) {
        return ModelRegistry.provenanceJson(m).replaceAll("\"(trained-at|datasource-creation-time)\":\"[^\"]*\"", "");
    }

    @Test
    void sameCentroidsAsTribuoToTheBit() {
        int compared = 0;
        for (long dataSeed : new long[]{1, 2, 3}) {
            double[][] x = rows(dataSeed == 3 ? 3000 : 700, dataSeed);
            for (int k = 2; k <= 8; k += 2) {
                for (long seed : new long[]{42, 42 + 7919, 1042}) {
                    double[][] expected = tribuo(x, k, 100, seed);
                    double[][] found = ours(x, k, 100, seed);
                    for (int c = 0; c < k; c++) {
                        assertArrayEquals(expected[c], found[c], 0.0, "data " + dataSeed + ", k=" + k + ", seed " + seed + ", centroid " + c);
                    }
                    compared++;
                }
            }
        }
        assertEquals(36, compared);
    }

    @Test
    void stopsAfterTheGivenPassesAsTribuoDoes() {
        double[][] x = rows(500, 7);
        for (int iterations : new int[]{0, 1, 3}) {
            double[][] expected = tribuo(x, 5, iterations, 9);
            double[][] found = ours(x, 5, iterations, 9);
            assertTrue2D(expected, found, "iterations " + iterations);
        }
    }

    private static void assertTrue2D(double[][] expected, double[][] found, String what) {
        assertEquals(expected.length, found.length, what);
        for (int c = 0; c < expected.length; c++) assertArrayEquals(expected[c], found[c], 0.0, what + ", centroid " + c);
    }

    @Test
    void permutationRoundTripsAndOrdersByName() {
        int[] order = KMeans.nameOrder(NAMES);
        assertEquals("[3, 1, 2, 0, 4]", Arrays.toString(order));
        double[][] x = rows(20, 5);
        double[][] back = KMeans.unpermute(KMeans.permute(x, order), order);
        for (int i = 0; i < x.length; i++) assertArrayEquals(x[i], back[i], 0.0);
    }

    @Test
    void refusesMoreClustersThanRows() {
        MlException e = assertThrows(MlException.class, () -> KMeans.fit(rows(3, 1), 4, 10, 1));
        assertEquals("k-means cannot find 4 clusters in 3 rows", e.getMessage());
    }
}
