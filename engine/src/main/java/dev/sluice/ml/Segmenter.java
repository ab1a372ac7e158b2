package dev.sluice.ml;

import dev.sluice.seed.ColumnType;
import org.tribuo.clustering.kmeans.KMeansModel;
import org.tribuo.clustering.kmeans.KMeansTrainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * Customer segmentation: k-means (k-means++ with a fixed seed; {@link KMeans}, which computes what Tribuo's trainer
 * does, for the many clusterings behind the choice, run side by side; the stored model is Tribuo's, built from the
 * chosen one) on
 * standardized features, k chosen on a seeded sample by silhouette, stability across seeds or the gap statistic
 * ({@link Selection}; all three are reported for every k), segments numbered by size and named from their
 * standout features.
 */
public final class Segmenter {

    /** How a feature reads in a segment name when the segment is above or below the overall mean. */
    public record Words(String high, String low) {
    }

    /** How k is chosen from [minK, maxK]. */
    public enum Selection {
        /** The highest mean silhouette on the sample. */
        SILHOUETTE,
        /**
         * The highest silhouette among the k whose clusterings agree across seeds (mean pairwise adjusted Rand index
         * of best-of-restarts k-means from different seeds on the sample at least minStability): a k whose clusters
         * come out the same whatever the start has found structure, one that splits the data differently each time
         * has not. When no k is stable enough, the most stable.
         */
        STABILITY,
        /**
         * Tibshirani's gap statistic: the smallest k whose gap (log within-cluster dispersion of uniform reference
         * data in the sample's bounding box minus that of the sample) is at least the next k's gap less its standard
         * error.
         */
        GAP;

        static Selection parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new MlException("k selection must be silhouette, stability or gap: '" + s + "'");
            }
        }
    }

    /**
     * @param silhouetteSample at most this many rows score each k (silhouette is quadratic in rows)
     * @param standout         |z| of a centroid coordinate from which a feature is named, e.g. 0.5 std
     * @param words            optional wording per feature; others read "High x" / "Low x"
     * @param seeds            k-means runs from different seeds per k for the stability score
     * @param minStability     the stability a k needs under {@link Selection#STABILITY}
     * @param references       uniform reference data sets per k for the gap statistic
     */
    public record Config(int minK, int maxK, long seed, int maxIterations, int silhouetteSample, double standout,
                         Map<String, Words> words, Selection selection, int seeds, double minStability, int references) {
        public Config {
            if (minK < 2 || maxK < minK) throw new MlException("k range must satisfy 2 <= min <= max: " + minK + ".." + maxK);
            if (silhouetteSample < 10) throw new MlException("silhouette sample too small: " + silhouetteSample);
            if (seeds < 2 || references < 1) throw new MlException("stability needs 2 or more seeds and the gap 1 or more references");
            words = Map.copyOf(words);
        }

        public static Config defaults() {
            return new Config(2, 8, 42L, 100, 5_000, 0.5, Map.of(), Selection.STABILITY, 4, 0.98, 5);
        }

        public Config withK(int min, int max) {
            return new Config(min, max, seed, maxIterations, silhouetteSample, standout, words, selection, seeds, minStability, references);
        }

        public Config withSeed(long s) {
            return new Config(minK, maxK, s, maxIterations, silhouetteSample, standout, words, selection, seeds, minStability, references);
        }

        public Config withWords(Map<String, Words> w) {
            return new Config(minK, maxK, seed, maxIterations, silhouetteSample, standout, w, selection, seeds, minStability, references);
        }

        public Config withSelection(Selection s, double stability) {
            return new Config(minK, maxK, seed, maxIterations, silhouetteSample, standout, words, s, seeds, stability, references);
        }

        /** The configuration as stable text (the words sorted), for fingerprints and versions. */
        public String describe() {
            return withWords(Map.of()) + new java.util.TreeMap<>(words).toString();
        }
    }

    private final Config config;

    public Segmenter(Config config) {
        this.config = config;
    }

    public Segmenter() {
        this(Config.defaults());
    }

    public SegmentationResult segment(FeatureFrame frame) {
        return segment(frame, Learners.fingerprint(frame));
    }

    /**
     * {@link #segment} given the frame's {@link Learners#fingerprint}, which the operator needs too (for the
     * registry): a second digest of every value cost as much again.
     */
    SegmentationResult segment(FeatureFrame frame, String frameDigest) {
        int n = frame.rows();
        if (n < config.minK() + 1) throw new MlException("too few rows (" + n + ") for " + config.minK() + " segments");
        Standardizer scaler = Standardizer.fit(frame);
        double[][] z = scaler.apply(frame);
        List<String> features = frame.featureNames();
        int[] sample = sample(n, config.silhouetteSample(), config.seed());
        double[][] zs = new double[sample.length][];
        for (int i = 0; i < sample.length; i++) zs[i] = z[sample[i]];
        // KMeans sums columns in Tribuo's order (names sorted), so its centroids are Tribuo's to the bit.
        int[] order = KMeans.nameOrder(features);
        double[][] zOrdered = KMeans.permute(z, order);
        double[][] zsOrdered = KMeans.permute(zs, order);
        int minK = config.minK();
        int maxK = Math.min(config.maxK(), n - 1);

        // Every clustering the choice of k needs is independent of the others, so they run side by side; each
        // lands in its own slot. Per k: the restarts on all rows, the restarts of each stability seed on the
        // sample, one clustering of each uniform reference for the gap. Largest first, for an even finish.
        int ks = maxK - minK + 1;
        Fit[][] full = new Fit[ks][RESTARTS];
        Fit[][][] seeded = new Fit[ks][config.seeds()][RESTARTS];
        double[][] reference = new double[ks][config.references()];
        double[][] box = boundingBox(zs, features.size());
        List<Callable<Void>> jobs = new ArrayList<>();
        for (int k = maxK; k >= minK; k--) {
            int kk = k;
            int at = k - minK;
            for (int r = 0; r < RESTARTS; r++) {
                int rr = r;
                jobs.add(() -> {
                    full[at][rr] = fit(z, zOrdered, order, kk, config.seed() + 7919L * rr);
                    return null;
                });
            }
        }
        for (int k = maxK; k >= minK; k--) {
            int kk = k;
            int at = k - minK;
            for (int b = 0; b < config.references(); b++) {
                int bb = b;
                jobs.add(() -> {
                    reference[at][bb] = referenceDispersion(box, zs.length, kk, bb, order);
                    return null;
                });
            }
            for (int s = 0; s < config.seeds(); s++) {
                long seed = config.seed() + 1000L * (s + 1);
                for (int r = 0; r < RESTARTS; r++) {
                    int ss = s;
                    int rr = r;
                    jobs.add(() -> {
                        seeded[at][ss][rr] = fit(zs, zsOrdered, order, kk, seed + 7919L * rr);
                        return null;
                    });
                }
            }
        }
        Parallel.run(jobs, "clustering for the choice of k");

        Map<Integer, double[]> scores = new LinkedHashMap<>();
        Map<Integer, Integer> bestRestart = new LinkedHashMap<>();
        int[][] sampleClusters = new int[ks][];
        int[] kOf = new int[ks];
        for (int k = minK; k <= maxK; k++) {
            int at = k - minK;
            int best = best(full[at]);
            bestRestart.put(k, best);
            double[][] centroids = full[at][best].centroids();
            int[] assign = assign(zs, centroids);
            sampleClusters[at] = assign;
            kOf[at] = k;
            double observed = Math.log(dispersion(zs, assign, centroids));
            scores.put(k, new double[]{0, stability(seeded[at], zs), 0, 0});
            double[] gap = gap(observed, reference[at]);
            scores.get(k)[2] = gap[0];
            scores.get(k)[3] = gap[1];
        }
        // Every k's silhouette at once: the sample's pairwise distances are the same for all of them.
        double[] silhouette = Metrics.silhouettes(zs, sampleClusters, kOf);
        for (int k = minK; k <= maxK; k++) scores.get(k)[0] = silhouette[k - minK];
        int bestK = choose(scores);
        double[][] chosen = full[bestK - minK][bestRestart.get(bestK)].centroids();
        Fit kept = full[bestK - minK][bestRestart.get(bestK)];
        KMeansModel model = tribuoModel(z, features, bestK, config.seed() + 7919L * bestRestart.get(bestK), kept);
        return describe(frame, frameDigest, scaler, z, model, chosen, bestK, scores);
    }

    /**
     * One clustering: centroids over the frame's feature order, each row's nearest and their dispersion, and as
     * KMeans ended it (columns in Tribuo's order, the last pass's cluster sizes).
     */
    private record Fit(double[][] centroids, double dispersion, KMeans.Clustering clustering) {
    }

    /** k-means of points (given also with columns in Tribuo's order) from one seed, scored on the points. */
    private Fit fit(double[][] points, double[][] ordered, int[] order, int k, long seed) {
        KMeans.Clustering clustering = KMeans.cluster(ordered, k, config.maxIterations(), seed);
        double[][] c = KMeans.unpermute(clustering.centroids(), order);
        return new Fit(c, dispersion(points, assign(points, c), c), clustering);
    }

    /** The restart of lowest within-cluster dispersion; ties keep the first. */
    private static int best(Fit[] restarts) {
        int best = 0;
        for (int r = 1; r < restarts.length; r++) if (restarts[r].dispersion() < restarts[best].dispersion()) best = r;
        return best;
    }

    /**
     * Tribuo's k-means model of the chosen clustering, for the model file and its provenance, built without training
     * it again: KMeans' centroids are Tribuo's to the bit (KMeansTest), so the model is what Tribuo's trainer makes
     * from this data and seed, as Tribuo's own model format writes it: the trainer's provenance (read before any
     * training, as the trainer reads it), the data set's provenance and feature domain, the last pass's cluster
     * sizes as output domain. KMeansTest compares such a model with a trained one. Training it again took about an
     * eighth of the node's CPU at 50,000 customers.
     */
    private KMeansModel tribuoModel(double[][] z, List<String> features, int k, long seed, Fit chosen) {
        var data = Learners.unlabelled("segmentation rows", features.toArray(String[]::new), z);
        return KMeans.tribuoModel(data, kmeans(k, seed, 1), chosen.clustering());
    }

    private KMeansTrainer kmeans(int k, long seed, int threads) {
        return new KMeansTrainer(k, config.maxIterations(), KMeansTrainer.Distance.EUCLIDEAN,
                KMeansTrainer.Initialisation.PLUSPLUS, threads, seed);
    }

    /** Restarts per clustering: one k-means run can stop in a poor local optimum, the best of a few rarely does. */
    static final int RESTARTS = 3;

    private static int[] assign(double[][] points, double[][] centroids) {
        int[] out = new int[points.length];
        for (int i = 0; i < points.length; i++) out[i] = Metrics.nearest(points[i], centroids);
        return out;
    }

    /**
     * Mean pairwise adjusted Rand index of the sample's clusterings from config.seeds() seeds, each the best of its
     * restarts.
     */
    private static double stability(Fit[][] bySeed, double[][] zs) {
        int[][] runs = new int[bySeed.length][];
        for (int s = 0; s < runs.length; s++) runs[s] = assign(zs, bySeed[s][best(bySeed[s])].centroids());
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < runs.length; a++) {
            for (int b = a + 1; b < runs.length; b++) {
                sum += Metrics.adjustedRandIndex(runs[a], runs[b]);
                pairs++;
            }
        }
        return sum / pairs;
    }

    /** {low, high} per feature over the sample: the box the gap statistic's uniform references fill. */
    private static double[][] boundingBox(double[][] zs, int d) {
        double[] lo = new double[d];
        double[] hi = new double[d];
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (double[] row : zs) {
            for (int j = 0; j < d; j++) {
                lo[j] = Math.min(lo[j], row[j]);
                hi[j] = Math.max(hi[j], row[j]);
            }
        }
        return new double[][]{lo, hi};
    }

    /** Log within-cluster dispersion of uniform reference b (as many rows as the sample, in its box) under k-means. */
    private double referenceDispersion(double[][] box, int rows, int k, int b, int[] order) {
        double[] lo = box[0];
        double[] hi = box[1];
        int d = lo.length;
        Random rnd = new Random(config.seed() * 31 + b * 7919L + k);
        double[][] u = new double[rows][d];
        for (double[] row : u) for (int j = 0; j < d; j++) row[j] = lo[j] + rnd.nextDouble() * (hi[j] - lo[j]);
        return Math.log(fit(u, KMeans.permute(u, order), order, k, config.seed()).dispersion());
    }

    /** {gap, standard error}: the references' mean log dispersion less the sample's (observed). */
    private static double[] gap(double observed, double[] ref) {
        double mean = Arrays.stream(ref).average().orElse(0);
        double var = Arrays.stream(ref).map(v -> (v - mean) * (v - mean)).sum() / ref.length;
        return new double[]{mean - observed, Math.sqrt(var) * Math.sqrt(1 + 1.0 / ref.length)};
    }

    private static double dispersion(double[][] points, int[] assign, double[][] centroids) {
        double w = 0;
        for (int i = 0; i < points.length; i++) w += Metrics.squaredDistance(points[i], centroids[assign[i]]);
        return Math.max(w, Double.MIN_NORMAL);
    }

    /** scores: k to {silhouette, stability, gap, gap standard error}. Ties go to the smaller k, the simpler one. */
    int choose(Map<Integer, double[]> scores) {
        List<Integer> ks = new ArrayList<>(scores.keySet());
        switch (config.selection()) {
            case GAP -> {
                for (int i = 0; i + 1 < ks.size(); i++) {
                    double[] next = scores.get(ks.get(i + 1));
                    if (scores.get(ks.get(i))[2] >= next[2] - next[3]) return ks.get(i);
                }
                return ks.get(ks.size() - 1);
            }
            case STABILITY -> {
                int best = -1;
                for (int k : ks) {
                    if (scores.get(k)[1] >= config.minStability() && (best < 0 || scores.get(k)[0] > scores.get(best)[0])) best = k;
                }
                if (best >= 0) return best;
                for (int k : ks) if (best < 0 || scores.get(k)[1] > scores.get(best)[1]) best = k;
                return best;
            }
            default -> {
                int best = ks.get(0);
                for (int k : ks) if (scores.get(k)[0] > scores.get(best)[0]) best = k;
                return best;
            }
        }
    }


    private SegmentationResult describe(FeatureFrame frame, String frameDigest, Standardizer scaler, double[][] z, KMeansModel model,
                                        double[][] raw, int k, Map<Integer, double[]> scores) {
        int n = frame.rows();
        int[] cluster = new int[n];
        int[] sizes = new int[k];
        for (int i = 0; i < n; i++) sizes[cluster[i] = Metrics.nearest(z[i], raw)]++;
        // Number segments by size (largest first), ties by centroid, so ids don't depend on initialisation order.
        Integer[] order = new Integer[k];
        for (int c = 0; c < k; c++) order[c] = c;
        Arrays.sort(order, Comparator.<Integer>comparingInt(c -> -sizes[c]).thenComparing(c -> raw[c], Arrays::compare));
        double[][] centroids = new double[k][];
        int[] segmentIds = new int[k];
        int[] rank = new int[k];
        for (int s = 0; s < k; s++) {
            centroids[s] = raw[order[s]];
            segmentIds[s] = s + 1;
            rank[order[s]] = s;
        }
        List<String> segmentNames = names(centroids, frame.featureNames());
        CentroidModel cm = new CentroidModel(frame.featureNames(), frame.imputationMeans(), scaler, centroids, segmentIds);
        String version = Learners.shortHash("segments", Learners.trainerProvenance(model), frameDigest,
                config.describe());

        List<List<Object>> assignments = new ArrayList<>(n);
        double[][] sums = new double[k][frame.width()];
        int[] count = new int[k];
        for (int i = 0; i < n; i++) {
            int s = rank[cluster[i]];
            assignments.add(List.of(frame.id(i), (long) segmentIds[s], segmentNames.get(s),
                    Math.sqrt(Metrics.squaredDistance(z[i], centroids[s]))));
            count[s]++;
            for (int j = 0; j < frame.width(); j++) sums[s][j] += frame.value(i, j);
        }

        List<List<Object>> centroidRows = new ArrayList<>();
        List<List<Object>> profileRows = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            double[] original = scaler.invert(centroids[s]);
            for (int j = 0; j < frame.width(); j++) centroidRows.add(List.of((long) segmentIds[s], frame.featureNames().get(j), original[j]));
            List<Object> p = new ArrayList<>(List.of((long) segmentIds[s], segmentNames.get(s), (long) count[s], (double) count[s] / n));
            for (int j = 0; j < frame.width(); j++) p.add(count[s] == 0 ? null : sums[s][j] / count[s]);
            profileRows.add(p);
        }
        List<String> profileCols = new ArrayList<>(List.of("segment_id", "segment_name", "size", "share"));
        List<ColumnType> profileTypes = new ArrayList<>(List.of(ColumnType.BIGINT, ColumnType.TEXT, ColumnType.BIGINT, ColumnType.DOUBLE));
        for (String f : frame.featureNames()) {
            profileCols.add("mean_" + f);
            profileTypes.add(ColumnType.DOUBLE);
        }
        List<List<Object>> selection = new ArrayList<>();
        scores.forEach((kk, s) -> selection.add(List.of((long) kk, s[0], s[1], s[2], s[3], kk == k)));

        return new SegmentationResult(k, version, model, cm, segmentNames,
                new ResultTable(List.of("id", "segment_id", "segment_name", "distance"),
                        List.of(ResultTable.idType(frame.ids()), ColumnType.BIGINT, ColumnType.TEXT, ColumnType.DOUBLE), assignments),
                new ResultTable(List.of("segment_id", "feature", "value"),
                        List.of(ColumnType.BIGINT, ColumnType.TEXT, ColumnType.DOUBLE), centroidRows),
                new ResultTable(profileCols, profileTypes, profileRows),
                new ResultTable(List.of("k", "silhouette", "stability", "gap", "gap_standard_error", "chosen"),
                        List.of(ColumnType.BIGINT, ColumnType.DOUBLE, ColumnType.DOUBLE, ColumnType.DOUBLE, ColumnType.DOUBLE,
                                ColumnType.BOOLEAN), selection));
    }

    /** A seeded sample of row indexes (partial Fisher-Yates), or every row when there are few. */
    static int[] sample(int n, int max, long seed) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        if (n <= max) return idx;
        Random rnd = new Random(seed);
        for (int i = 0; i < max; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] out = Arrays.copyOf(idx, max);
        Arrays.sort(out);
        return out;
    }

    /**
     * Names from each centroid's standout coordinates. Standardized with the overall scaling, a centroid's
     * coordinate is its distance from the overall mean in standard deviations, so the largest |z| stand out.
     * Up to three terms; a later segment whose name repeats an earlier one's takes more terms, and as a last
     * resort its segment number.
     */
    List<String> names(double[][] centroids, List<String> features) {
        int k = centroids.length;
        List<List<String>> terms = new ArrayList<>();
        int[] take = new int[k];
        for (int s = 0; s < k; s++) {
            double[] c = centroids[s];
            Integer[] byStrength = new Integer[c.length];
            for (int j = 0; j < c.length; j++) byStrength[j] = j;
            Arrays.sort(byStrength, Comparator.<Integer>comparingDouble(j -> -Math.abs(c[j])).thenComparingInt(j -> j));
            List<String> t = new ArrayList<>();
            for (int j : byStrength) t.add(term(features.get(j), c[j]));
            terms.add(t);
            int strong = 0;
            for (int j : byStrength) if (Math.abs(c[j]) >= config.standout()) strong++;
            take[s] = Math.min(3, strong);
        }
        List<String> names = new ArrayList<>();
        for (int s = 0; s < k; s++) names.add(join(terms.get(s), take[s]));
        for (int round = 0; round < features.size(); round++) {
            boolean changed = false;
            // The first (largest) segment keeps a shared name; the later ones say more.
            for (int s = 0; s < k; s++) {
                if (names.indexOf(names.get(s)) < s && take[s] < features.size()) {
                    take[s]++;
                    changed = true;
                }
            }
            for (int s = 0; s < k; s++) names.set(s, join(terms.get(s), take[s]));
            if (!changed) break;
        }
        for (int s = 0; s < k; s++) {
            if (names.indexOf(names.get(s)) < s) names.set(s, names.get(s) + " (segment " + (s + 1) + ")");
        }
        return names;
    }

    private static String join(List<String> terms, int n) {
        return n == 0 ? "Typical" : String.join(" · ", terms.subList(0, n));
    }

    private String term(String feature, double z) {
        Words w = config.words().get(feature);
        if (w != null) return z >= 0 ? w.high() : w.low();
        String readable = feature.replace('_', ' ').strip().toLowerCase(Locale.ROOT);
        return (z >= 0 ? "High " : "Low ") + readable;
    }
}
