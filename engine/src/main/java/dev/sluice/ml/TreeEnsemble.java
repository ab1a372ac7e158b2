package dev.sluice.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.common.tree.LeafNode;
import org.tribuo.common.tree.Node;
import org.tribuo.common.tree.SplitNode;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.ensemble.EnsembleModel;

/**
 * A trained forest or boosted trees as plain numbers, so it can score rows without Tribuo and be compiled to SQL by
 * {@link SqlScoring}: the warehouse then scores every row, where the forest was trained on a sample.
 * The trees split standardized features (the trainer standardizes before training), so scoring applies the same
 * imputation and standardization first. P(churn) is the mean of the trees' leaf probabilities, which is what
 * Tribuo's fully weighted voting gives for a random forest's equally weighted trees.
 */
public record TreeEnsemble(List<String> featureNames, Standardizer standardizer, double[] imputationMeans, List<Tree> trees,
                           Link link, double base) {

    /** How the trees' leaf values become P(label = 1). */
    public enum Link {
        /** The mean of the leaves, each a probability: a random forest. */
        MEAN,
        /** sigmoid(base + sum of the leaves), each a log-odds step: boosted trees. */
        LOGISTIC_SUM
    }

    public TreeEnsemble {
        featureNames = List.copyOf(featureNames);
        imputationMeans = imputationMeans.clone();
        trees = List.copyOf(trees);
        if (trees.isEmpty()) throw new MlException("a tree ensemble needs at least one tree");
        if (link == null) throw new MlException("a tree ensemble needs a link");
        if (link == Link.MEAN && base != 0) throw new MlException("a forest's mean has no base score");
    }

    /** A forest: the mean of the trees' leaf probabilities. */
    public TreeEnsemble(List<String> featureNames, Standardizer standardizer, double[] imputationMeans, List<Tree> trees) {
        this(featureNames, standardizer, imputationMeans, trees, Link.MEAN, 0);
    }

    @Override
    public double[] imputationMeans() {
        return imputationMeans.clone();
    }

    /**
     * One tree in array form; node 0 is the root. An inner node goes to {@code greater[i]} when the row's
     * standardized feature {@code feature[i]} is strictly above {@code threshold[i]}, else to {@code lessOrEqual[i]}
     * (Tribuo's rule); a leaf has feature -1 and the positive class's probability in {@code value[i]}.
     */
    public record Tree(int[] feature, double[] threshold, int[] greater, int[] lessOrEqual, double[] value) {
        public Tree {
            feature = feature.clone();
            threshold = threshold.clone();
            greater = greater.clone();
            lessOrEqual = lessOrEqual.clone();
            value = value.clone();
        }

        public int size() {
            return feature.length;
        }

        public boolean isLeaf(int node) {
            return feature[node] < 0;
        }

        public int feature(int node) {
            return feature[node];
        }

        public double threshold(int node) {
            return threshold[node];
        }

        public int greater(int node) {
            return greater[node];
        }

        public int lessOrEqual(int node) {
            return lessOrEqual[node];
        }

        public double value(int node) {
            return value[node];
        }

        double score(double[] z) {
            int n = 0;
            while (!isLeaf(n)) n = z[feature[n]] > threshold[n] ? greater[n] : lessOrEqual[n];
            return value[n];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tree t && Arrays.equals(feature, t.feature) && Arrays.equals(threshold, t.threshold)
                    && Arrays.equals(greater, t.greater) && Arrays.equals(lessOrEqual, t.lessOrEqual)
                    && Arrays.equals(value, t.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(feature) * 31 + Arrays.hashCode(threshold);
        }

        @Override
        public String toString() {
            return "Tree[" + feature.length + " nodes]";
        }
    }

    /** Reads the trees of a Tribuo forest (or a single tree) trained on the standardized features of a frame. */
    public static TreeEnsemble from(Model<Label> model, Standardizer standardizer, double[] imputationMeans) {
        List<Model<Label>> members = new ArrayList<>();
        collectMembers(model, members);
        Map<String, Integer> index = new HashMap<>();
        List<String> names = standardizer.featureNames();
        for (int j = 0; j < names.size(); j++) index.put(names.get(j), j);
        List<Tree> trees = new ArrayList<>(members.size());
        for (Model<Label> m : members) {
            if (!(m instanceof TreeModel<Label> tree)) {
                throw new MlException("only tree models compile to SQL, not " + m.getClass().getSimpleName());
            }
            trees.add(flatten(tree, index));
        }
        return new TreeEnsemble(names, standardizer, imputationMeans, trees);
    }

    /**
     * The trees of a model, in order, looking through nested ensembles (a forest grown as sub-forests). Their mean
     * is the ensemble's score when, as the trainer makes them, each sub-forest's weight is its share of the trees.
     */
    private static void collectMembers(Model<Label> model, List<Model<Label>> into) {
        if (model instanceof EnsembleModel<Label> e) {
            for (Model<Label> m : e.getModels()) collectMembers(m, into);
        } else {
            into.add(model);
        }
    }

    private static Tree flatten(TreeModel<Label> model, Map<String, Integer> index) {
        List<Node<Label>> nodes = new ArrayList<>();
        nodes.add(model.getRoot());
        // Breadth-first numbering; children get indexes as they are discovered, so no recursion on depth.
        List<int[]> children = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) instanceof SplitNode<Label> split) {
                nodes.add(split.getGreaterThan());
                nodes.add(split.getLessThanOrEqual());
                children.add(new int[] {nodes.size() - 2, nodes.size() - 1});
            } else {
                children.add(null);
            }
        }
        int n = nodes.size();
        int[] feature = new int[n];
        double[] threshold = new double[n];
        int[] greater = new int[n];
        int[] lessOrEqual = new int[n];
        double[] value = new double[n];
        for (int i = 0; i < n; i++) {
            Node<Label> node = nodes.get(i);
            if (node instanceof SplitNode<Label> split) {
                String name = model.getFeatureIDMap().get(split.getFeatureID()).getName();
                Integer j = index.get(name);
                if (j == null) throw new MlException("the forest splits on '" + name + "', which is not one of the model's features");
                feature[i] = j;
                threshold[i] = split.splitValue();
                greater[i] = children.get(i)[0];
                lessOrEqual[i] = children.get(i)[1];
            } else if (node instanceof LeafNode<Label> leaf) {
                feature[i] = -1;
                Label positive = leaf.getDistribution().get(Learners.POSITIVE);
                value[i] = positive == null ? 0 : positive.getScore();
            } else {
                throw new MlException("unexpected tree node " + node.getClass().getSimpleName());
            }
        }
        return new Tree(feature, threshold, greater, lessOrEqual, value);
    }

    /** P(label = 1) of one row of raw feature values (nulls as NaN are imputed). */
    public double probability(double[] raw) {
        double[] filled = raw.clone();
        for (int j = 0; j < filled.length; j++) if (Double.isNaN(filled[j])) filled[j] = imputationMeans[j];
        return standardizedProbability(standardizer.apply(filled));
    }

    /** P(label = 1) of one row already imputed and standardized. */
    public double standardizedProbability(double[] z) {
        if (link == Link.LOGISTIC_SUM) {
            // Summed in tree order after the base, as the SQL adds them.
            double margin = base;
            for (Tree t : trees) margin += t.score(z);
            return LinearScorer.sigmoid(margin);
        }
        double sum = 0;
        for (Tree t : trees) sum += t.score(z);
        return sum / trees.size();
    }

    /** {@link #standardizedProbability} of every row; large inputs in parallel parts (each row's score is its own). */
    public double[] standardizedProbabilities(double[][] z) {
        double[] p = new double[z.length];
        if (z.length < PARALLEL_ROWS) {
            scoreRows(z, 0, z.length, p);
            return p;
        }
        List<java.util.concurrent.Callable<Void>> jobs = new ArrayList<>();
        for (int t = 0; t < Parallel.THREADS; t++) {
            int from = (int) ((long) t * z.length / Parallel.THREADS);
            int to = (int) ((long) (t + 1) * z.length / Parallel.THREADS);
            jobs.add(() -> {
                scoreRows(z, from, to, p);
                return null;
            });
        }
        Parallel.run(jobs, "scoring rows with the trees");
        return p;
    }

    /**
     * {@link #standardizedProbabilities} where {@code known} has NaN, {@code known}'s value elsewhere (the boosted
     * trees' training rows, whose sums boosting already made: {@link BoostedTrees.Fitted}).
     */
    public double[] standardizedProbabilities(double[][] z, double[] known) {
        if (known.length != z.length) throw new MlException("known probabilities for " + known.length + " of " + z.length + " rows");
        int missing = 0;
        for (double v : known) if (Double.isNaN(v)) missing++;
        double[][] rest = new double[missing][];
        int[] rows = new int[missing];
        for (int i = 0, k = 0; i < z.length; i++) {
            if (Double.isNaN(known[i])) {
                rows[k] = i;
                rest[k++] = z[i];
            }
        }
        double[] scored = standardizedProbabilities(rest);
        double[] p = known.clone();
        for (int k = 0; k < missing; k++) p[rows[k]] = scored[k];
        return p;
    }

    /** Rows scored together, tree by tree: one tree's arrays stay in cache while it scores them all. */
    private static final int BLOCK_ROWS = 256;

    /**
     * {@link #standardizedProbability} of rows [from, to) into p. Blocks of rows go through the trees one tree at a
     * time rather than each row through every tree; each row's leaves are still added in tree order after the base,
     * so the sums, and the probabilities, are the same to the bit.
     */
    private void scoreRows(double[][] z, int from, int to, double[] p) {
        double[] sum = new double[BLOCK_ROWS];
        double start = link == Link.LOGISTIC_SUM ? base : 0;
        for (int lo = from; lo < to; lo += BLOCK_ROWS) {
            int hi = Math.min(to, lo + BLOCK_ROWS);
            Arrays.fill(sum, start);
            for (Tree t : trees) {
                for (int i = lo; i < hi; i++) sum[i - lo] += t.score(z[i]);
            }
            for (int i = lo; i < hi; i++) {
                p[i] = link == Link.LOGISTIC_SUM ? LinearScorer.sigmoid(sum[i - lo]) : sum[i - lo] / trees.size();
            }
        }
    }

    /** Below this many rows scoring stays on the calling thread: starting threads would cost more. */
    private static final int PARALLEL_ROWS = 10_000;

    /** Nodes over all trees: the size of the compiled SQL grows with it. */
    public int nodeCount() {
        return trees.stream().mapToInt(Tree::size).sum();
    }
}
