package dev.sluice.ml;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.MutableLong;
import org.tribuo.MutableDataset;
import org.tribuo.Tribuo;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ImmutableClusteringInfo;
import org.tribuo.clustering.kmeans.KMeansModel;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.clustering.kmeans.protos.KMeansModelProto;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.la.DenseVector;
import org.tribuo.provenance.ModelProvenance;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Lloyd's k-means with k-means++ seeding over plain arrays, giving the same centroids, bit for bit, as Tribuo's
 * {@code KMeansTrainer} (4.3; Euclidean distance, k-means++, one thread) given the same rows, seed and k:
 * the same random draws, the same sums in the same order (each centroid the members' sum in row order times the
 * reciprocal of their count; an empty cluster's centroid all zeros), distances compared after the square root
 * (two squared distances one ulp apart can have the same root, and then the first centroid wins), stopping after
 * the first pass in which no row changes cluster. Rows whose centroid bounds (Hamerly's) show by a wide margin
 * that it is still the nearest skip their distances, which changes none of this. The segmenter runs about eighty clusterings to choose k;
 * Tribuo's per-example vectors, boxed assignment lists and streams made them most of the node's time
 * (bench/README.md). The stored model is Tribuo's, built from the chosen clustering ({@link #tribuoModel}) rather
 * than trained again; KMeansTest checks both against Tribuo's trainer.
 * <p>
 * Columns must be in Tribuo's feature order (names sorted) for the sums to match; {@link #nameOrder} gives it.
 */
final class KMeans {
    private KMeans() {
    }

    /**
     * The centroids (k rows over the columns of {@code rows}) after at most {@code maxIterations} passes.
     *
     * @param rows n rows of d values, not changed
     */
    static double[][] fit(double[][] rows, int k, int maxIterations, long seed) {
        return cluster(rows, k, maxIterations, seed).centroids();
    }

    /**
     * A clustering as Tribuo's trainer ends it: the centroids and how many rows its last assignment pass gave each
     * (Tribuo's model records those counts as its output domain).
     */
    record Clustering(double[][] centroids, long[] sizes) {
    }

    /** {@link #fit}, with the sizes of the last assignment pass. */
    static Clustering cluster(double[][] rows, int k, int maxIterations, long seed) {
        int n = rows.length;
        if (k < 1) throw new MlException("k-means needs k >= 1: " + k);
        if (k > n) throw new MlException("k-means cannot find " + k + " clusters in " + n + " rows");
        int d = rows[0].length;
        double[] x = flatten(rows, d);
        double[] c = plusPlus(x, n, d, k, new SplittableRandom(seed).split());

        int[] cluster = new int[n];
        Arrays.fill(cluster, -1);
        double[] sums = new double[k * d];
        int[] counts = new int[k];
        // Hamerly's bounds: upper[i] at least row i's distance to its centroid, lower[i] at most its distance to
        // any other. A row whose bounds show, by a wide margin, that its centroid is still the nearest keeps it
        // without computing distances: computed exactly, they would choose the same (see SAFETY).
        double[] upper = new double[n];
        double[] lower = new double[n];
        double[] half = new double[k];
        double[] moved = new double[k];
        double[] previous = new double[k * d];
        // Every loop over the rows is a method of its own, so that this one has none: with them inline, C2 compiled
        // it five or six times (on-stack replacements at each hot loop, then whole; JFR of the 50,000-customer
        // node) while the clusterings ran in C1's code. Split, the cold segmentation took a fifth less CPU
        // (bench/README.md).
        for (int it = 0; it < maxIterations; it++) {
            if (it > 0) halfGaps(c, k, d, half);
            int changed = assign(x, n, d, c, k, it > 0, half, cluster, upper, lower);
            System.arraycopy(c, 0, previous, 0, c.length);
            centroids(x, n, d, k, cluster, sums, counts, c);
            if (changed == 0) break;
            moveBounds(previous, c, n, d, k, cluster, moved, upper, lower);
        }
        double[][] out = new double[k][];
        long[] sizes = new long[k];
        for (int j = 0; j < k; j++) {
            out[j] = Arrays.copyOfRange(c, j * d, (j + 1) * d);
            sizes[j] = counts[j];
        }
        return new Clustering(out, sizes);
    }

    /** The rows one after the other in one array. */
    private static double[] flatten(double[][] rows, int d) {
        double[] x = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, x, i * d, d);
        return x;
    }

    /**
     * One assignment pass: each row to its nearest centroid, returning how many rows changed cluster. With bounds
     * (every pass after the first), a row whose bounds show by a wide margin that its centroid is still the
     * nearest keeps it without computing distances: computed exactly, they would choose the same (see SAFETY).
     */
    private static int assign(double[] x, int n, int d, double[] c, int k, boolean bounded, double[] half,
                              int[] cluster, double[] upper, double[] lower) {
        int changed = 0;
        for (int i = 0; i < n; i++) {
            int from = i * d;
            if (bounded) {
                int own = cluster[i];
                double bound = Math.max(half[own], lower[i]);
                if (safelyBelow(upper[i], bound)) continue;
                upper[i] = distance(c, own * d, x, from, d);
                if (safelyBelow(upper[i], bound)) continue;
            }
            int best = nearest(x, from, d, c, k, i, upper, lower);
            if (cluster[i] != best) {
                cluster[i] = best;
                changed++;
            }
        }
        return changed;
    }

    /**
     * The centroid nearest to the row at x[from..from+d) (the first of equal distances, as in Tribuo); its distance
     * goes to upper[i], the second nearest's to lower[i].
     */
    private static int nearest(double[] x, int from, int d, double[] c, int k, int i, double[] upper, double[] lower) {
        double min = Double.POSITIVE_INFINITY;
        double second = Double.POSITIVE_INFINITY;
        int best = -1;
        for (int j = 0; j < k; j++) {
            double dist = distance(c, j * d, x, from, d);
            // Strictly smaller: the first of equal distances wins, as in Tribuo.
            if (dist < min) {
                second = min;
                min = dist;
                best = j;
            } else if (dist < second) {
                second = dist;
            }
        }
        upper[i] = min;
        lower[i] = second;
        return best;
    }

    /**
     * Each centroid the members' sum in row order times the reciprocal of their count (Tribuo scales by the
     * reciprocal of the summed weights, 1 per row, rather than divides); an empty cluster's all zeros.
     */
    private static void centroids(double[] x, int n, int d, int k, int[] cluster, double[] sums, int[] counts, double[] c) {
        Arrays.fill(sums, 0.0);
        Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            int at = cluster[i] * d;
            int from = i * d;
            for (int f = 0; f < d; f++) sums[at + f] += x[from + f];
            counts[cluster[i]]++;
        }
        for (int j = 0; j < k; j++) {
            double scale = counts[j] == 0 ? 0.0 : 1.0 / (double) counts[j];
            for (int f = 0; f < d; f++) c[j * d + f] = counts[j] == 0 ? 0.0 : sums[j * d + f] * scale;
        }
    }

    /**
     * Centroids moved: a row's own distance may have grown by its centroid's move, the others' shrunk by the
     * largest move among the other centroids.
     */
    private static void moveBounds(double[] previous, double[] c, int n, int d, int k, int[] cluster, double[] moved,
                                   double[] upper, double[] lower) {
        int top = -1;
        double most = 0;
        double next = 0;
        for (int j = 0; j < k; j++) {
            moved[j] = distance(previous, j * d, c, j * d, d);
            if (top < 0 || moved[j] > most) {
                next = most;
                most = moved[j];
                top = j;
            } else if (moved[j] > next) {
                next = moved[j];
            }
        }
        for (int i = 0; i < n; i++) {
            upper[i] += moved[cluster[i]];
            lower[i] -= cluster[i] == top ? next : most;
        }
    }

    /**
     * The model Tribuo's trainer would train on data, as Tribuo's model format writes it, from a clustering KMeans
     * found on the same rows (columns in Tribuo's order) with the trainer's k, iterations and seed: its centroids,
     * the last pass's sizes as output domain, and the provenance the trainer gives (its own before training, the
     * data set's, the time now). Tribuo's constructor is not public; its protobuf form is.
     */
    static KMeansModel tribuoModel(MutableDataset<ClusterID> data, KMeansTrainer trainer, Clustering clustering) {
        Map<Integer, MutableLong> sizes = new HashMap<>();
        for (int j = 0; j < clustering.sizes().length; j++) sizes.put(j, new MutableLong(clustering.sizes()[j]));
        var provenance = new ModelProvenance(KMeansModel.class.getName(), OffsetDateTime.now(), data.getProvenance(),
                trainer.getProvenance(), Map.of());
        var carrier = new ModelDataCarrier<>("k-means-model", provenance, data.getFeatureIDMap(),
                new ImmutableClusteringInfo(sizes), false, Tribuo.VERSION);
        var proto = KMeansModelProto.newBuilder().setMetadata(carrier.serialize())
                .setDistance(new L2Distance().serialize());
        for (double[] c : clustering.centroids()) proto.addCentroidVectors(DenseVector.createDenseVector(c).serialize());
        try {
            return KMeansModel.deserializeFromProto(KMeansModel.CURRENT_VERSION, KMeansModel.class.getName(),
                    Any.pack(proto.build()));
        } catch (InvalidProtocolBufferException e) {
            throw new MlException("Tribuo could not read the k-means model it was given: " + e.getMessage());
        }
    }

    /**
     * Relative margin between bounds for a row to skip its distances. The bounds add up a few rounded distances
     * (errors near 1e-16 of their size each, at most 100 passes), so a gap of 1e-9 of the distance means the
     * exactly computed distances are ordered the same way, ties included (there are none at such a gap).
     */
    static final double SAFETY = 1e-9;

    private static boolean safelyBelow(double upper, double lower) {
        return upper * (1 + SAFETY) + SAFETY * 1e-3 < lower;
    }

    /** half[j]: half the distance from centroid j to the nearest other (any row closer than that to j stays). */
    private static void halfGaps(double[] c, int k, int d, double[] half) {
        Arrays.fill(half, Double.POSITIVE_INFINITY);
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                double g = distance(c, a * d, c, b * d, d) / 2;
                half[a] = Math.min(half[a], g);
                half[b] = Math.min(half[b], g);
            }
        }
    }

    /** Euclidean distance of centroid-side a from row-side b, summed in column order as Tribuo's dense vectors do. */
    private static double distance(double[] a, int aFrom, double[] b, int bFrom, int d) {
        double s = 0;
        for (int f = 0; f < d; f++) {
            double diff = a[aFrom + f] - b[bFrom + f];
            s += diff * diff;
        }
        return Math.sqrt(s);
    }

    /**
     * k-means++: the first centroid a uniformly drawn row, each next one a row drawn with probability proportional
     * to its squared distance (the square of the rooted distance) from the nearest centroid so far.
     */
    private static double[] plusPlus(double[] x, int n, int d, int k, SplittableRandom rnd) {
        double[] c = new double[k * d];
        System.arraycopy(x, rnd.nextInt(n) * d, c, 0, d);
        double[] minDistance = new double[n];
        Arrays.fill(minDistance, Double.POSITIVE_INFINITY);
        double[] squared = new double[n];
        double[] cdf = new double[n];
        for (int j = 1; j < k; j++) {
            double total = closer(x, n, d, c, (j - 1) * d, minDistance, squared);
            cumulative(squared, total, cdf);
            if (Math.abs(cdf[n - 1] - 1.0) > 1e-6) {
                throw new MlException("k-means++ seeding probabilities sum to " + cdf[n - 1] + ", not 1");
            }
            int pick = Arrays.binarySearch(cdf, rnd.nextDouble());
            if (pick < 0) pick = -pick - 1;
            System.arraycopy(x, pick * d, c, j * d, d);
        }
        return c;
    }

    /**
     * Each row's distance to the nearest centroid so far, given the newest at c[at..at+d), and its square; returns
     * the squares' sum in row order. A method of its own, as {@link #assign}, so that C2 compiles it once.
     */
    private static double closer(double[] x, int n, int d, double[] c, int at, double[] minDistance, double[] squared) {
        for (int i = 0; i < n; i++) {
            minDistance[i] = Math.min(minDistance[i], distance(c, at, x, i * d, d));
            squared[i] = minDistance[i] * minDistance[i];
        }
        double total = 0.0;
        for (int i = 0; i < n; i++) total += squared[i];
        return total;
    }

    /** The cumulative share of the squares, in row order. */
    private static void cumulative(double[] squared, double total, double[] cdf) {
        double cumulative = 0.0;
        for (int i = 0; i < squared.length; i++) {
            cumulative += squared[i] / total;
            cdf[i] = cumulative;
        }
    }

    /** Column indexes in Tribuo's feature order: the names sorted. */
    static int[] nameOrder(java.util.List<String> names) {
        Integer[] idx = new Integer[names.size()];
        for (int j = 0; j < idx.length; j++) idx[j] = j;
        Arrays.sort(idx, java.util.Comparator.comparing(names::get));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /** Each row's columns taken in the given order. */
    static double[][] permute(double[][] rows, int[] order) {
        double[][] out = new double[rows.length][order.length];
        for (int i = 0; i < rows.length; i++) for (int f = 0; f < order.length; f++) out[i][f] = rows[i][order[f]];
        return out;
    }

    /** The inverse of {@link #permute}: rows over ordered columns back to the original column positions. */
    static double[][] unpermute(double[][] rows, int[] order) {
        double[][] out = new double[rows.length][order.length];
        for (int i = 0; i < rows.length; i++) for (int f = 0; f < order.length; f++) out[i][order[f]] = rows[i][f];
        return out;
    }
}
