package dev.sluice.ml;

import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.sluice.seed.ColumnType;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.common.tree.RandomForestTrainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Binary churn classification: a seeded stratified split, a logistic regression and a random forest trained
 * on the training rows, both evaluated on the held-out rows, and the one with the higher AUC chosen to
 * score every row.
 */
public final class ChurnTrainer {
    public static final String LOGISTIC = "logistic_regression";
    public static final String FOREST = "random_forest";
    public static final String INTERCEPT = "(intercept)";

    /**
     * @param testFraction    share of each class held out for evaluation, in (0, 1)
     * @param sgdEpochs       passes over the training rows for the logistic regression
     * @param learningRate    AdaGrad's initial rate for the logistic regression
     * @param trees           trees in the forest
     * @param maxDepth        depth limit of each tree
     * @param featureFraction share of features each tree split may consider, in (0, 1)
     */
    public record Config(double testFraction, long seed, int sgdEpochs, double learningRate, int trees, int maxDepth,
                         float featureFraction) {
        public Config {
            if (!(testFraction > 0 && testFraction < 1)) throw new MlException("test fraction must be in (0, 1): " + testFraction);
            if (!(featureFraction > 0 && featureFraction < 1)) throw new MlException("feature fraction must be in (0, 1): " + featureFraction);
            if (sgdEpochs < 1 || trees < 1 || maxDepth < 1) throw new MlException("epochs, trees and depth must be positive");
        }

        public static Config defaults() {
            return new Config(0.25, 42L, 15, 0.5, 50, 8, 0.5f);
        }

        public Config withSeed(long s) {
            return new Config(testFraction, s, sgdEpochs, learningRate, trees, maxDepth, featureFraction);
        }

        public Config withTestFraction(double f) {
            return new Config(f, seed, sgdEpochs, learningRate, trees, maxDepth, featureFraction);
        }
    }

    private final Config config;

    public ChurnTrainer(Config config) {
        this.config = config;
    }

    public ChurnTrainer() {
        this(Config.defaults());
    }

    public ChurnResult train(FeatureFrame frame) {
        if (!frame.hasLabel()) throw new MlException("churn training needs a label column");
        int[] y = frame.labels();
        Split split = Split.stratified(y, config.testFraction(), config.seed());
        Standardizer scaler = Standardizer.fit(frame, split.train());
        double[][] z = scaler.apply(frame);
        String[] names = frame.featureNames().toArray(String[]::new);
        MutableDataset<Label> train = Learners.labelled("churn training rows", names, z, y, split.train());

        LinearSGDModel logistic = Learners.logistic(train, config.sgdEpochs(), config.learningRate(), config.seed());
        LinearScorer linear = LinearScorer.from(logistic, scaler, frame.imputationMeans());

        CARTClassificationTrainer tree = new CARTClassificationTrainer(config.maxDepth(), 5f, 0f,
                config.featureFraction(), false, new GiniIndex(), config.seed());
        RandomForestTrainer<Label> forestTrainer = new RandomForestTrainer<>(tree, new FullyWeightedVotingCombiner(),
                config.trees(), config.seed());
        Model<Label> forest = forestTrainer.train(train);

        double[] pLinear = Learners.positiveProbability(logistic, names, z);
        double[] pForest = Learners.positiveProbability(forest, names, z);
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        metrics.put(LOGISTIC, evaluate(pLinear, y, split.test()));
        metrics.put(FOREST, evaluate(pForest, y, split.test()));

        // Ties go to the linear model: it is the one that can also score inside the warehouse.
        boolean forestWins = metrics.get(FOREST).get("auc") > metrics.get(LOGISTIC).get("auc");
        String best = forestWins ? FOREST : LOGISTIC;
        Model<Label> bestModel = forestWins ? forest : logistic;
        double[] p = forestWins ? pForest : pLinear;
        String version = Learners.shortHash("churn", best, Learners.trainerProvenance(bestModel),
                Learners.fingerprint(frame), config.toString());

        return new ChurnResult(best, version, logistic, forest, linear, split,
                predictions(frame, p, version), metricsTable(metrics), parameters(linear, forest, names), metrics);
    }

    private static Map<String, Double> evaluate(double[] p, int[] y, int[] rows) {
        double[] s = new double[rows.length];
        int[] l = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            s[k] = p[rows[k]];
            l[k] = y[rows[k]];
        }
        Metrics.Confusion c = Metrics.Confusion.at(s, l, 0.5);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("auc", Metrics.auc(s, l));
        m.put("precision", c.precision());
        m.put("recall", c.recall());
        m.put("accuracy", c.accuracy());
        m.put("test_rows", (double) rows.length);
        return m;
    }

    private static ResultTable predictions(FeatureFrame frame, double[] p, String version) {
        List<List<Object>> rows = new ArrayList<>(frame.rows());
        for (int i = 0; i < frame.rows(); i++) rows.add(List.of(frame.id(i), p[i], p[i] >= 0.5 ? 1L : 0L, version));
        return new ResultTable(List.of("id", "churn_probability", "label", "model_version"),
                List.of(ResultTable.idType(frame.ids()), ColumnType.DOUBLE, ColumnType.BIGINT, ColumnType.TEXT), rows);
    }

    private static ResultTable metricsTable(Map<String, Map<String, Double>> metrics) {
        List<List<Object>> rows = new ArrayList<>();
        metrics.forEach((model, m) -> m.forEach((metric, v) -> rows.add(java.util.Arrays.asList(model, metric, finite(v)))));
        return new ResultTable(List.of("model", "metric", "value"),
                List.of(ColumnType.TEXT, ColumnType.TEXT, ColumnType.DOUBLE), rows);
    }

    /** Warehouses differ on NaN; an undefined metric (e.g. AUC with one class held out) is written as null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static ResultTable parameters(LinearScorer linear, Model<Label> forest, String[] names) {
        List<List<Object>> rows = new ArrayList<>();
        double[] w = linear.weights();
        double[] wo = linear.originalUnitWeights();
        rows.add(List.of(LOGISTIC, INTERCEPT, linear.intercept(), linear.originalUnitIntercept()));
        for (int j = 0; j < w.length; j++) rows.add(List.of(LOGISTIC, names[j], w[j], wo[j]));
        // The forest has no coefficients; Tribuo's feature importances stand in, with no original-unit value.
        Map<String, List<Pair<String, Double>>> top = forest.getTopFeatures(-1);
        List<Pair<String, Double>> importances = top.containsKey(Model.ALL_OUTPUTS) ? top.get(Model.ALL_OUTPUTS)
                : top.containsKey(Learners.POSITIVE) ? top.get(Learners.POSITIVE)
                : top.values().stream().findFirst().orElse(List.of());
        Map<String, Double> byName = new LinkedHashMap<>();
        for (Pair<String, Double> p : importances) byName.put(p.getA(), p.getB());
        for (String n : names) rows.add(java.util.Arrays.asList(FOREST, n, byName.getOrDefault(n, 0.0), null));
        return new ResultTable(List.of("model", "feature", "weight", "original_unit_weight"),
                List.of(ColumnType.TEXT, ColumnType.TEXT, ColumnType.DOUBLE, ColumnType.DOUBLE), rows);
    }

    /** Row indexes of a train/test split. */
    public record Split(int[] train, int[] test) {
        public Split {
            train = train.clone();
            test = test.clone();
        }

        @Override
        public int[] train() {
            return train.clone();
        }

        @Override
        public int[] test() {
            return test.clone();
        }

        /** Holds out round(fraction * n) rows of each class (at least one), chosen by a seeded shuffle. */
        public static Split stratified(int[] labels, double testFraction, long seed) {
            Random rnd = new Random(seed);
            List<Integer> train = new ArrayList<>();
            List<Integer> test = new ArrayList<>();
            for (int cls = 0; cls <= 1; cls++) {
                List<Integer> members = new ArrayList<>();
                for (int i = 0; i < labels.length; i++) if (labels[i] == cls) members.add(i);
                if (members.size() < 2) {
                    throw new MlException("the label needs at least 2 rows of each class; class " + cls + " has " + members.size());
                }
                java.util.Collections.shuffle(members, rnd);
                int nTest = (int) Math.max(1, Math.min(members.size() - 1, Math.round(testFraction * members.size())));
                test.addAll(members.subList(0, nTest));
                train.addAll(members.subList(nTest, members.size()));
            }
            return new Split(train.stream().mapToInt(Integer::intValue).sorted().toArray(),
                    test.stream().mapToInt(Integer::intValue).sorted().toArray());
        }
    }
}
