package dev.sluice.ml;

import dev.sluice.seed.ColumnType;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Finds customers like a seed set (e.g. a segment's best members) among everyone else, two ways:
 * cosine similarity to the seed centroid in standardized space, and a seed-vs-rest logistic regression's
 * probability. Seed members themselves are never ranked.
 */
public final class Lookalike {
    public static final String COSINE = "cosine";
    public static final String PROPENSITY = "propensity";

    /** @param topN rows kept per method */
    public record Config(int topN, long seed, int sgdEpochs, double learningRate) {
        public Config {
            if (topN < 1) throw new MlException("top N must be positive: " + topN);
        }

        public static Config defaults() {
            return new Config(100, 42L, 10, 0.5);
        }

        public Config withTopN(int n) {
            return new Config(n, seed, sgdEpochs, learningRate);
        }
    }

    /**
     * @param table id, score, rank (1 = most alike), method: the top N of each method
     * @param cosineModel seed-vs-rest centroid in standardized space
     * @param propensity  the seed-vs-rest classifier as numbers (can be compiled to SQL)
     */
    public record Result(ResultTable table, double[] seedCentroid, LinearScorer propensity, LinearSGDModel propensityModel) {
        public Result {
            seedCentroid = seedCentroid.clone();
        }

        @Override
        public double[] seedCentroid() {
            return seedCentroid.clone();
        }

        /** The ranked ids of one method, best first. */
        public List<Object> ids(String method) {
            List<Object> out = new ArrayList<>();
            for (List<Object> r : table.rows()) if (r.get(3).equals(method)) out.add(r.get(0));
            return out;
        }
    }

    private final Config config;

    public Lookalike(Config config) {
        this.config = config;
    }

    public Lookalike() {
        this(Config.defaults());
    }

    public Result rank(FeatureFrame frame, Collection<?> seedIds) {
        Map<Object, Integer> index = frame.indexById();
        boolean[] isSeed = new boolean[frame.rows()];
        int seeds = 0;
        for (Object id : seedIds) {
            Integer i = index.get(FeatureFrame.normalizeId(id));
            if (i != null && !isSeed[i]) {
                isSeed[i] = true;
                seeds++;
            }
        }
        if (seeds < 2) throw new MlException("lookalike needs at least 2 seed ids found in the data; found " + seeds);
        if (seeds > frame.rows() - 2) throw new MlException("lookalike needs customers outside the seed set to rank");

        Standardizer scaler = Standardizer.fit(frame);
        double[][] z = scaler.apply(frame);
        double[] centroid = new double[frame.width()];
        for (int i = 0; i < z.length; i++) {
            if (!isSeed[i]) continue;
            for (int j = 0; j < centroid.length; j++) centroid[j] += z[i][j] / seeds;
        }
        double[] cosine = new double[z.length];
        double cNorm = Math.sqrt(Metrics.squaredDistance(centroid, new double[centroid.length]));
        for (int i = 0; i < z.length; i++) {
            double dot = 0, norm = 0;
            for (int j = 0; j < centroid.length; j++) {
                dot += z[i][j] * centroid[j];
                norm += z[i][j] * z[i][j];
            }
            // A row at the overall mean (or a seed centroid at it) has no direction: similarity 0.
            cosine[i] = norm == 0 || cNorm == 0 ? 0 : dot / (Math.sqrt(norm) * cNorm);
        }

        int[] y = new int[z.length];
        int[] all = new int[z.length];
        for (int i = 0; i < z.length; i++) {
            y[i] = isSeed[i] ? 1 : 0;
            all[i] = i;
        }
        String[] names = frame.featureNames().toArray(String[]::new);
        LinearSGDModel model = Learners.logistic(Learners.labelled("lookalike seed vs rest", names, z, y, all),
                config.sgdEpochs(), config.learningRate(), config.seed());
        double[] propensity = Learners.positiveProbability(model, names, z);

        List<List<Object>> rows = new ArrayList<>();
        top(frame, isSeed, cosine, COSINE, rows);
        top(frame, isSeed, propensity, PROPENSITY, rows);
        ResultTable table = new ResultTable(List.of("id", "score", "rank", "method"),
                List.of(ResultTable.idType(frame.ids()), ColumnType.DOUBLE, ColumnType.BIGINT, ColumnType.TEXT), rows);
        return new Result(table, centroid, LinearScorer.from(model, scaler, frame.imputationMeans()), model);
    }

    private void top(FeatureFrame frame, boolean[] isSeed, double[] score, String method, List<List<Object>> out) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        // Higher score first; equal scores keep row order so the ranking is reproducible.
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> i));
        long rank = 0;
        for (int i : order) {
            if (isSeed[i]) continue;
            if (++rank > config.topN()) break;
            out.add(List.of(frame.id(i), score[i], rank, method));
        }
    }
}
