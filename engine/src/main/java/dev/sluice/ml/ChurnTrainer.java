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
import org.tribuo.ensemble.WeightedEnsembleModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Binary churn classification: a logistic regression, a random forest and gradient-boosted trees (those the
 * configuration lists) trained on the training rows; the one with the highest AUC on validation rows is chosen,
 * its probabilities calibrated (Platt) and its decision threshold chosen there too; each is reported on held-out
 * test rows at its own threshold.
 */
public final class ChurnTrainer {
    public static final String LOGISTIC = "logistic_regression";
    public static final String FOREST = "random_forest";
    public static final String BOOSTED = "boosted_trees";
    /** The candidates in order of simplicity: on equal validation AUC the earlier one is chosen. */
    public static final List<String> MODELS = List.of(LOGISTIC, FOREST, BOOSTED);
    /** Share of the training rows the boosted trees hold out to stop early on. */
    static final double STOPPING_FRACTION = 0.15;
    public static final String INTERCEPT = "(intercept)";
    /** Sub-forests grown side by side (see {@link #forest}); part of the model, so fixed. */
    static final int FOREST_PARTS = 2;

    /**
     * @param testFraction    share of each class held out for evaluation, in (0, 1)
     * @param sgdEpochs       passes over the training rows for the logistic regression
     * @param learningRate    AdaGrad's initial rate for the logistic regression
     * @param trees           trees in the forest
     * @param maxDepth        depth limit of each tree
     * @param featureFraction share of features each tree split may consider, in (0, 1)
     * @param minLeafWeight   fewest training rows a tree's leaf may hold
     * @param boosting        the boosted trees' settings
     * @param models          the candidates trained, a non-empty subset of {@link #MODELS}
     */
    public record Config(double testFraction, long seed, int sgdEpochs, double learningRate, int trees, int maxDepth,
                         float featureFraction, float minLeafWeight, double validationFraction,
                         DecisionThreshold.Economics economics, BoostedTrees.Params boosting, List<String> models) {
        public Config {
            for (String m : models) if (!MODELS.contains(m)) throw new MlException("unknown churn model '" + m + "'");
            List<String> listed = models;
            models = MODELS.stream().filter(listed::contains).toList();
            if (models.isEmpty()) throw new MlException("at least one churn model must be trained");
            if (!(testFraction > 0 && testFraction < 1)) throw new MlException("test fraction must be in (0, 1): " + testFraction);
            if (!(validationFraction > 0 && validationFraction < 1)) throw new MlException("validation fraction must be in (0, 1): " + validationFraction);
            if (!(featureFraction > 0 && featureFraction < 1)) throw new MlException("feature fraction must be in (0, 1): " + featureFraction);
            if (sgdEpochs < 1 || trees < 1 || maxDepth < 1 || !(minLeafWeight >= 1)) {
                throw new MlException("epochs, trees, depth and leaf size must be positive");
            }
        }

        public static Config defaults() {
            return new Config(0.25, 42L, 15, 0.5, 100, 12, 0.33f, 10f, 0.2, new DecisionThreshold.Economics(0, 0),
                    BoostedTrees.Params.defaults(), MODELS);
        }

        /** Only these candidates (names from {@link #MODELS}, any order) are trained and compared. */
        public Config withModels(List<String> chosen) {
            for (String m : chosen) {
                if (!MODELS.contains(m)) throw new MlException("unknown churn model '" + m + "'; known: " + String.join(", ", MODELS));
            }
            if (chosen.isEmpty()) throw new MlException("at least one churn model must be trained");
            return new Config(testFraction, seed, sgdEpochs, learningRate, trees, maxDepth, featureFraction, minLeafWeight,
                    validationFraction, economics, boosting, chosen);
        }

        public Config withSeed(long s) {
            return new Config(testFraction, s, sgdEpochs, learningRate, trees, maxDepth, featureFraction, minLeafWeight, validationFraction, economics, boosting, models);
        }

        public Config withTestFraction(double f) {
            return new Config(f, seed, sgdEpochs, learningRate, trees, maxDepth, featureFraction, minLeafWeight, validationFraction, economics, boosting, models);
        }

        public Config withEconomics(DecisionThreshold.Economics e) {
            return new Config(testFraction, seed, sgdEpochs, learningRate, trees, maxDepth, featureFraction, minLeafWeight, validationFraction, e, boosting, models);
        }
    }

    private final Config config;

    public ChurnTrainer(Config config) {
        this.config = config;
    }

    public ChurnTrainer() {
        this(Config.defaults());
    }

    /**
     * Three stratified, seeded parts: the models train on the training rows; the validation rows choose the model
     * (by AUC), fit its calibration and choose the decision threshold; the held-out test rows, used for nothing
     * else, give the metrics reported.
     */
    public ChurnResult train(FeatureFrame frame) {
        return train(frame, Learners.fingerprint(frame));
    }

    /**
     * {@link #train} given the frame's {@link Learners#fingerprint}, which the operator computed already for its
     * registry look-up ({@link #fingerprintOf}): a second digest of every value cost as much again.
     */
    ChurnResult train(FeatureFrame frame, String frameDigest) {
        return fit(frame, null, null, frameDigest);
    }

    /**
     * The result of {@link #train} from models trained earlier on the same frame and configuration (the same
     * {@link #fingerprint}): split, scaling, model choice, calibration and threshold are recomputed exactly as in
     * training, which is cheap and deterministic; only the training itself is skipped. The result keeps the
     * registered version: a model read back from its file need not render its provenance exactly as when trained.
     */
    public ChurnResult reuse(FeatureFrame frame, LinearSGDModel logistic, Model<Label> forest, TreeEnsemble boosted, String version) {
        return fit(frame, new Trained(logistic, forest, boosted), version, null);
    }

    /**
     * What identifies a training run: the frame's content (ids, features, labels) and the configuration; the
     * leading tag changes when training changes in a way that makes stored models stale.
     */
    public String fingerprint(FeatureFrame frame) {
        return fingerprintOf(Learners.fingerprint(frame));
    }

    /** {@link #fingerprint} from the frame's {@link Learners#fingerprint}. */
    String fingerprintOf(String frameDigest) {
        return ModelRegistry.fingerprint("churn_classifier/3", frameDigest, config.toString());
    }

    /** Models trained earlier, any of them null when not (to be) trained. */
    private record Trained(LinearSGDModel logistic, Model<Label> forest, TreeEnsemble boosted) {
    }

    /** frameDigest: the frame's {@link Learners#fingerprint}, for a new version; unused when knownVersion is given. */
    private ChurnResult fit(FeatureFrame frame, Trained known, String knownVersion, String frameDigest) {
        if (!frame.hasLabel()) throw new MlException("churn training needs a label column");
        int[] y = frame.labels();
        Split split = Split.stratified(y, config.testFraction(), config.seed());
        int[] fit = split.train();
        Split inner = Split.stratified(select(y, fit), config.validationFraction(), config.seed() + 1);
        int[] train = map(fit, inner.train());
        int[] validation = map(fit, inner.test());

        Standardizer scaler = Standardizer.fit(frame, train);
        double[][] z = scaler.apply(frame);
        String[] names = frame.featureNames().toArray(String[]::new);
        List<String> models = config.models();
        // Tribuo's data set of the training rows is made in the logistic regression's job, beside the boosted
        // trees, rather than before both; the forest (when listed) uses the same one.
        List<MutableDataset<Label>> trainSet = new ArrayList<>(1);
        java.util.function.Supplier<MutableDataset<Label>> trainingRows =
                () -> Learners.labelled("churn training rows", names, z, y, train);

        // The logistic regression is always fitted: its weights are reported and its scaling is every model's.
        // It and the boosted trees are trained side by side: each is deterministic on its own, and the boosted
        // trees' histograms keep only part of the second core busy.
        LinearSGDModel[] trainedLogistic = {known != null ? known.logistic() : null};
        TreeEnsemble[] trainedBoosted = {!models.contains(BOOSTED) ? null : known != null ? known.boosted() : null};
        double[][] boostedKnown = {null}; // what boosting scored already (training and early-stopping rows)
        List<java.util.concurrent.Callable<Void>> training = new ArrayList<>();
        if (trainedLogistic[0] == null) {
            training.add(() -> {
                MutableDataset<Label> rows = trainingRows.get();
                trainSet.add(rows);
                trainedLogistic[0] = Learners.logistic(rows, config.sgdEpochs(), config.learningRate(), config.seed());
                return null;
            });
        }
        if (models.contains(BOOSTED) && trainedBoosted[0] == null) {
            training.add(() -> {
                BoostedTrees.Fitted fitted = boosted(z, y, train, scaler, frame.imputationMeans());
                trainedBoosted[0] = fitted.ensemble();
                boostedKnown[0] = fitted.probabilities();
                return null;
            });
        }
        if (!training.isEmpty()) Parallel.run(training, "training the churn models");
        LinearSGDModel logistic = trainedLogistic[0];
        TreeEnsemble boosted = trainedBoosted[0];
        LinearScorer linear = LinearScorer.from(logistic, scaler, frame.imputationMeans());
        Model<Label> forest = !models.contains(FOREST) ? null
                : known != null && known.forest() != null ? known.forest()
                : forest(trainSet.isEmpty() ? trainingRows.get() : trainSet.get(0));

        // Tribuo's models score only the validation and test rows here, what choosing, calibrating and evaluating
        // read; the training rows too only for the model chosen (its predictions cover every row). Each row's score
        // is its own, so the chosen model's are the same as when every row was scored at once.
        int[] held = union(validation, split.test());
        Map<String, double[]> raw = new LinkedHashMap<>();
        if (models.contains(LOGISTIC)) raw.put(LOGISTIC, Learners.positiveProbability(logistic, names, z, held));
        if (forest != null) raw.put(FOREST, Learners.positiveProbability(forest, names, z, held));
        if (boosted != null) {
            raw.put(BOOSTED, boostedKnown[0] != null ? boosted.standardizedProbabilities(z, boostedKnown[0])
                    : boosted.standardizedProbabilities(z));
        }

        int[] yValidation = select(y, validation);
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        Map<String, Chosen> fitted = new LinkedHashMap<>();
        String best = null;
        double bestAuc = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, double[]> e : raw.entrySet()) {
            double auc = Metrics.auc(select(e.getValue(), validation), yValidation);
            // Strictly better only: ties go to the simpler model, listed first.
            if (best == null || auc > bestAuc) {
                best = e.getKey();
                bestAuc = auc;
            }
            fitted.put(e.getKey(), Chosen.fit(e.getValue(), y, validation, config.economics()));
            metrics.put(e.getKey(), evaluate(fitted.get(e.getKey()), auc, y, split.test()));
        }
        if (!BOOSTED.equals(best)) {
            double[] all = raw.get(best);
            Model<Label> model = LOGISTIC.equals(best) ? logistic : forest;
            int[] others = complement(held, z.length);
            double[] rest = Learners.positiveProbability(model, names, z, others);
            for (int i : others) all[i] = rest[i];
            // Calibration and threshold were fitted on the validation rows, which had their scores already.
            Chosen onHeld = fitted.get(best);
            fitted.put(best, new Chosen(onHeld.calibration(), onHeld.threshold(), onHeld.calibration().apply(all)));
        }
        Chosen chosen = fitted.get(best);
        String provenance = switch (best) {
            case FOREST -> Learners.trainerProvenance(forest);
            case BOOSTED -> boostedTrainer().describe() + " trees=" + boosted.trees().size();
            default -> Learners.trainerProvenance(logistic);
        };
        String version = knownVersion != null ? knownVersion : Learners.shortHash("churn", best,
                provenance, frameDigest, config.toString());

        return new ChurnResult(best, version, logistic, forest, boosted, linear, split, chosen.calibration(), chosen.threshold(),
                predictions(frame, chosen.probabilities(), chosen.threshold().threshold(), version), metricsTable(metrics),
                parameters(linear, forest, boosted, names), metrics);
    }

    public Config config() {
        return config;
    }

    /** The boosted trees' settings as text, their provenance in the registry. */
    public String boostedDescription() {
        return boostedTrainer().describe();
    }

    private BoostedTrees boostedTrainer() {
        return new BoostedTrees(config.boosting(), config.seed());
    }

    /** Boosted trees on the training rows, stopping early on a stratified share of them (never validation rows). */
    private BoostedTrees.Fitted boosted(double[][] z, int[] y, int[] train, Standardizer scaler, double[] imputationMeans) {
        Split stop = Split.stratified(select(y, train), STOPPING_FRACTION, config.seed() + 2);
        return boostedTrainer().fitScoring(z, y, map(train, stop.train()), map(train, stop.test()), scaler, imputationMeans);
    }

    /**
     * The forest is grown as {@link #FOREST_PARTS} sub-forests of (nearly) equal size, each with its own seed, on as
     * many threads as there are cores (up to the parts), and joined into one ensemble weighted by their sizes, so
     * the result is the mean over all trees, as one forest would give. The number of parts is fixed, not taken
     * from the machine, so the same data and configuration give the same trees everywhere.
     */
    private Model<Label> forest(MutableDataset<Label> trainSet) {
        int parts = Math.min(FOREST_PARTS, config.trees());
        List<java.util.concurrent.Callable<Model<Label>>> jobs = new ArrayList<>();
        float[] weights = new float[parts];
        for (int k = 0; k < parts; k++) {
            int trees = config.trees() / parts + (k < config.trees() % parts ? 1 : 0);
            weights[k] = (float) trees / config.trees();
            long seed = config.seed() + 1000L * k;
            jobs.add(() -> {
                CARTClassificationTrainer tree = new CARTClassificationTrainer(config.maxDepth(), config.minLeafWeight(), 0f,
                        config.featureFraction(), false, new GiniIndex(), seed);
                return new RandomForestTrainer<>(tree, new FullyWeightedVotingCombiner(), trees, seed).train(trainSet);
            });
        }
        int threads = Math.max(1, Math.min(parts, Runtime.getRuntime().availableProcessors()));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<Model<Label>> members = new ArrayList<>();
            for (java.util.concurrent.Future<Model<Label>> f : pool.invokeAll(jobs)) members.add(f.get());
            return parts == 1 ? members.get(0)
                    : WeightedEnsembleModel.createEnsembleFromExistingModels("random-forest", members,
                    new FullyWeightedVotingCombiner(), weights);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlException("interrupted while training the forest");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            throw new MlException("training the forest failed: " + cause);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A model's calibration and threshold, fitted on the validation rows, and its calibrated probabilities. */
    private record Chosen(Calibration calibration, DecisionThreshold threshold, double[] probabilities) {
        static Chosen fit(double[] raw, int[] y, int[] validation, DecisionThreshold.Economics economics) {
            Calibration c = Calibration.fit(select(raw, validation), select(y, validation));
            double[] p = c.apply(raw);
            return new Chosen(c, DecisionThreshold.choose(select(p, validation), select(y, validation), economics), p);
        }
    }

    private static Map<String, Double> evaluate(Chosen model, double validationAuc, int[] y, int[] rows) {
        double[] s = select(model.probabilities(), rows);
        int[] l = select(y, rows);
        double t = model.threshold().threshold();
        Metrics.Confusion c = Metrics.Confusion.at(s, l, t);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("auc", Metrics.auc(s, l));
        m.put("precision", c.precision());
        m.put("recall", c.recall());
        m.put("accuracy", c.accuracy());
        m.put("f1", c.precision() + c.recall() == 0 ? 0 : 2 * c.precision() * c.recall() / (c.precision() + c.recall()));
        m.put("threshold", t);
        m.put("validation_auc", validationAuc);
        m.put("calibration_a", model.calibration().a());
        m.put("calibration_b", model.calibration().b());
        m.put("test_rows", (double) rows.length);
        return m;
    }

    private static double[] select(double[] v, int[] rows) {
        double[] out = new double[rows.length];
        for (int k = 0; k < rows.length; k++) out[k] = v[rows[k]];
        return out;
    }

    private static int[] select(int[] v, int[] rows) {
        int[] out = new int[rows.length];
        for (int k = 0; k < rows.length; k++) out[k] = v[rows[k]];
        return out;
    }

    /** The rows of either sorted set, sorted. */
    private static int[] union(int[] a, int[] b) {
        return IntStream.concat(Arrays.stream(a), Arrays.stream(b)).sorted().distinct().toArray();
    }

    /** The rows 0..n-1 not in the sorted set. */
    private static int[] complement(int[] sorted, int n) {
        int[] out = new int[n - sorted.length];
        for (int i = 0, k = 0, o = 0; i < n; i++) {
            if (k < sorted.length && sorted[k] == i) k++;
            else out[o++] = i;
        }
        return out;
    }

    /** Row numbers of a subset, given positions within it, mapped back to the whole frame. */
    private static int[] map(int[] subset, int[] positions) {
        int[] out = new int[positions.length];
        for (int k = 0; k < positions.length; k++) out[k] = subset[positions[k]];
        Arrays.sort(out);
        return out;
    }

    private static ResultTable predictions(FeatureFrame frame, double[] p, double threshold, String version) {
        List<List<Object>> rows = new ArrayList<>(frame.rows());
        for (int i = 0; i < frame.rows(); i++) rows.add(List.of(frame.id(i), p[i], p[i] >= threshold ? 1L : 0L, version));
        return new ResultTable(List.of("id", "churn_probability", "label", "model_version"),
                List.of(ResultTable.idType(frame.ids()), ColumnType.DOUBLE, ColumnType.BIGINT, ColumnType.TEXT), rows);
    }

    private static ResultTable metricsTable(Map<String, Map<String, Double>> metrics) {
        List<List<Object>> rows = new ArrayList<>();
        metrics.forEach((model, m) -> m.forEach((metric, v) -> rows.add(Arrays.asList(model, metric, finite(v)))));
        return new ResultTable(List.of("model", "metric", "value"),
                List.of(ColumnType.TEXT, ColumnType.TEXT, ColumnType.DOUBLE), rows);
    }

    /** Warehouses differ on NaN; an undefined metric (e.g. AUC with one class held out) is written as null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static ResultTable parameters(LinearScorer linear, Model<Label> forest, TreeEnsemble boosted, String[] names) {
        List<List<Object>> rows = new ArrayList<>();
        double[] w = linear.weights();
        double[] wo = linear.originalUnitWeights();
        rows.add(List.of(LOGISTIC, INTERCEPT, linear.intercept(), linear.originalUnitIntercept()));
        for (int j = 0; j < w.length; j++) rows.add(List.of(LOGISTIC, names[j], w[j], wo[j]));
        // The forest has no coefficients; Tribuo's feature importances stand in, with no original-unit value.
        if (forest != null) forestImportances(forest, names, rows);
        if (boosted != null) {
            // A boosted model's importance: the share of its splits made on the feature.
            double[] splits = new double[names.length];
            double total = 0;
            for (TreeEnsemble.Tree t : boosted.trees()) {
                for (int i = 0; i < t.size(); i++) {
                    if (!t.isLeaf(i)) {
                        splits[t.feature(i)]++;
                        total++;
                    }
                }
            }
            for (int j = 0; j < names.length; j++) rows.add(Arrays.asList(BOOSTED, names[j], total == 0 ? 0.0 : splits[j] / total, null));
        }
        return new ResultTable(List.of("model", "feature", "weight", "original_unit_weight"),
                List.of(ColumnType.TEXT, ColumnType.TEXT, ColumnType.DOUBLE, ColumnType.DOUBLE), rows);
    }

    private static void forestImportances(Model<Label> forest, String[] names, List<List<Object>> rows) {
        Map<String, List<Pair<String, Double>>> top = forest.getTopFeatures(-1);
        List<Pair<String, Double>> importances = top.containsKey(Model.ALL_OUTPUTS) ? top.get(Model.ALL_OUTPUTS)
                : top.containsKey(Learners.POSITIVE) ? top.get(Learners.POSITIVE)
                : top.values().stream().findFirst().orElse(List.of());
        Map<String, Double> byName = new LinkedHashMap<>();
        for (Pair<String, Double> p : importances) byName.put(p.getA(), p.getB());
        for (String n : names) rows.add(Arrays.asList(FOREST, n, byName.getOrDefault(n, 0.0), null));
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
