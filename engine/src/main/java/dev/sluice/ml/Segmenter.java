package dev.sluice.ml;

import dev.sluice.seed.ColumnType;
import org.tribuo.Feature;
import org.tribuo.clustering.kmeans.KMeansModel;
import org.tribuo.clustering.kmeans.KMeansTrainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Customer segmentation: k-means (Tribuo, k-means++ with a fixed seed) on standardized features, k chosen
 * by the mean silhouette on a seeded sample, segments numbered by size and named from their standout features.
 */
public final class Segmenter {

    /** How a feature reads in a segment name when the segment is above or below the overall mean. */
    public record Words(String high, String low) {
    }

    /**
     * @param silhouetteSample at most this many rows score each k (silhouette is quadratic in rows)
     * @param standout         |z| of a centroid coordinate from which a feature is named, e.g. 0.5 std
     * @param words            optional wording per feature; others read "High x" / "Low x"
     */
    public record Config(int minK, int maxK, long seed, int maxIterations, int silhouetteSample, double standout,
                         Map<String, Words> words) {
        public Config {
            if (minK < 2 || maxK < minK) throw new MlException("k range must satisfy 2 <= min <= max: " + minK + ".." + maxK);
            if (silhouetteSample < 10) throw new MlException("silhouette sample too small: " + silhouetteSample);
            words = Map.copyOf(words);
        }

        public static Config defaults() {
            return new Config(2, 8, 42L, 100, 5_000, 0.5, Map.of());
        }

        public Config withK(int min, int max) {
            return new Config(min, max, seed, maxIterations, silhouetteSample, standout, words);
        }

        public Config withSeed(long s) {
            return new Config(minK, maxK, s, maxIterations, silhouetteSample, standout, words);
        }

        public Config withWords(Map<String, Words> w) {
            return new Config(minK, maxK, seed, maxIterations, silhouetteSample, standout, w);
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
        int n = frame.rows();
        if (n < config.minK() + 1) throw new MlException("too few rows (" + n + ") for " + config.minK() + " segments");
        Standardizer scaler = Standardizer.fit(frame);
        double[][] z = scaler.apply(frame);
        String[] names = frame.featureNames().toArray(String[]::new);
        int[] sample = sample(n, config.silhouetteSample(), config.seed());
        double[][] zs = new double[sample.length][];
        for (int i = 0; i < sample.length; i++) zs[i] = z[sample[i]];

        var data = Learners.unlabelled("segmentation rows", names, z);
        Map<Integer, Double> silhouettes = new LinkedHashMap<>();
        KMeansModel best = null;
        double[][] bestCentroids = null;
        int bestK = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = config.minK(); k <= Math.min(config.maxK(), n - 1); k++) {
            KMeansTrainer trainer = new KMeansTrainer(k, config.maxIterations(), KMeansTrainer.Distance.EUCLIDEAN,
                    KMeansTrainer.Initialisation.PLUSPLUS, 1, config.seed());
            KMeansModel model = trainer.train(data);
            double[][] centroids = centroids(model, frame.featureNames());
            int[] assign = new int[zs.length];
            for (int i = 0; i < zs.length; i++) assign[i] = Metrics.nearest(zs[i], centroids);
            double s = Metrics.silhouette(zs, assign, k);
            silhouettes.put(k, s);
            // Strictly better only: on a tie the smaller k, the simpler segmentation, stays.
            if (s > bestScore) {
                bestScore = s;
                best = model;
                bestCentroids = centroids;
                bestK = k;
            }
        }
        return describe(frame, scaler, z, best, bestCentroids, bestK, silhouettes);
    }

    private SegmentationResult describe(FeatureFrame frame, Standardizer scaler, double[][] z, KMeansModel model,
                                        double[][] raw, int k, Map<Integer, Double> silhouettes) {
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
        String version = Learners.shortHash("segments", Learners.trainerProvenance(model), Learners.fingerprint(frame),
                config.toString());

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
        silhouettes.forEach((kk, s) -> selection.add(List.of((long) kk, s, kk == k)));

        return new SegmentationResult(k, version, model, cm, segmentNames,
                new ResultTable(List.of("id", "segment_id", "segment_name", "distance"),
                        List.of(ResultTable.idType(frame.ids()), ColumnType.BIGINT, ColumnType.TEXT, ColumnType.DOUBLE), assignments),
                new ResultTable(List.of("segment_id", "feature", "value"),
                        List.of(ColumnType.BIGINT, ColumnType.TEXT, ColumnType.DOUBLE), centroidRows),
                new ResultTable(profileCols, profileTypes, profileRows),
                new ResultTable(List.of("k", "silhouette", "chosen"),
                        List.of(ColumnType.BIGINT, ColumnType.DOUBLE, ColumnType.BOOLEAN), selection));
    }

    /** Tribuo's centroids, reordered to the frame's feature order (Tribuo sorts features by name). */
    private static double[][] centroids(KMeansModel model, List<String> features) {
        List<List<Feature>> cs = model.getCentroids();
        double[][] out = new double[cs.size()][features.size()];
        for (int c = 0; c < cs.size(); c++) {
            Map<String, Double> byName = new HashMap<>();
            for (Feature f : cs.get(c)) byName.put(f.getName(), f.getValue());
            for (int j = 0; j < features.size(); j++) out[c][j] = byName.getOrDefault(features.get(j), 0.0);
        }
        return out;
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
