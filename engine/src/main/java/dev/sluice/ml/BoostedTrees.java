package dev.sluice.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Gradient-boosted trees for a binary label under log loss, grown on histograms: each feature's training values
 * are cut into at most {@link Params#bins} quantile bins once, and every tree level sums the rows' gradients and
 * hessians per (node, feature, bin), so a split search costs bins, not rows. Trees grow level by level to
 * {@link Params#maxDepth}; a split must gain more than {@link Params#minGain} by the second-order objective and
 * leave each side at least {@link Params#minChildWeight} of hessian. Rounds stop when the log loss on the
 * early-stopping rows has not improved for {@link Params#patience} rounds, and the ensemble keeps the best round.
 * <p>
 * Deterministic: the row and feature samples of each round come from the seed, and each feature's histogram is
 * summed by one thread in row order, so the {@link #THREADS} threads (taking features one at a time) change
 * only the speed. The result is a {@link TreeEnsemble} whose score is sigmoid(base + sum of leaves), compiled to
 * SQL like the forest.
 */
public final class BoostedTrees {
    /** Histogram threads; fixed, so a run does not depend on the machine (the sums do not anyway). */
    static final int THREADS = 2;

    /**
     * @param maxRounds      most trees
     * @param learningRate   shrinkage of each tree's leaves
     * @param maxDepth       depth limit of each tree
     * @param bins           most bins per feature (at most 256)
     * @param lambda         L2 penalty on leaf weights
     * @param minChildWeight least hessian sum on each side of a split
     * @param minGain        least gain of a split
     * @param rowSample      share of training rows each tree sees, in (0, 1]
     * @param featureSample  share of features each tree may split on, in (0, 1]
     * @param patience       rounds without a better early-stopping loss before stopping
     */
    public record Params(int maxRounds, double learningRate, int maxDepth, int bins, double lambda, double minChildWeight,
                         double minGain, double rowSample, double featureSample, int patience) {
        public Params {
            if (maxRounds < 1 || maxDepth < 1 || patience < 1) throw new MlException("boosting rounds, depth and patience must be positive");
            if (bins < 2 || bins > 256) throw new MlException("bins per feature must be in 2..256: " + bins);
            if (!(learningRate > 0 && learningRate <= 1)) throw new MlException("learning rate must be in (0, 1]: " + learningRate);
            if (!(rowSample > 0 && rowSample <= 1) || !(featureSample > 0 && featureSample <= 1)) {
                throw new MlException("row and feature sample shares must be in (0, 1]");
            }
            if (!(lambda >= 0) || !(minChildWeight >= 0) || !(minGain >= 0)) throw new MlException("lambda, child weight and gain must be >= 0");
        }

        public static Params defaults() {
            return new Params(1000, 0.05, 6, 128, 1.0, 5.0, 0.0, 0.8, 0.8, 50);
        }
    }

    private final Params params;
    private final long seed;

    public BoostedTrees(Params params, long seed) {
        this.params = params;
        this.seed = seed;
    }

    /**
     * Trains on rows {@code train} of the standardized matrix z with labels y (0/1), stopping early on rows
     * {@code stopping}; returns the trees over the same standardized features.
     */
    public TreeEnsemble fit(double[][] z, int[] y, int[] train, int[] stopping, Standardizer standardizer, double[] imputationMeans) {
        return fitScoring(z, y, train, stopping, standardizer, imputationMeans).ensemble();
    }

    /**
     * The trees and what boosting already knows of their scores: P(label = 1) of every training and early-stopping
     * row, NaN for the other rows of z.
     *
     * @param ensemble      what {@link #fit} returns
     * @param probabilities per row of z: sigmoid(base + the kept trees' leaves), summed in tree order after the
     *                      base as {@link TreeEnsemble#standardizedProbabilities} sums them, so equal to the bit; NaN
     *                      where boosting did not follow the row
     */
    public record Fitted(TreeEnsemble ensemble, double[] probabilities) {
    }

    /** {@link #fit}, keeping the margins of the best round: scoring these rows again would repeat boosting's sums. */
    public Fitted fitScoring(double[][] z, int[] y, int[] train, int[] stopping, Standardizer standardizer, double[] imputationMeans) {
        if (train.length == 0 || stopping.length == 0) throw new MlException("boosting needs training and early-stopping rows");
        int d = standardizer.featureNames().size();
        double[][] cuts = new double[d][];
        for (int j = 0; j < d; j++) cuts[j] = cuts(column(z, j, train), params.bins());
        byte[][] binned = new byte[d][];
        for (int j = 0; j < d; j++) binned[j] = binColumn(z, j, cuts[j]);

        double positives = 0;
        for (int r : train) positives += y[r];
        double prior = Math.min(Math.max(positives / train.length, 1e-6), 1 - 1e-6);
        double base = Math.log(prior / (1 - prior));

        int n = z.length;
        int[] active = java.util.stream.IntStream.concat(Arrays.stream(train), Arrays.stream(stopping)).sorted().distinct().toArray();
        double[] margin = new double[n];
        Arrays.fill(margin, base);
        double[] grad = new double[n];
        double[] hess = new double[n];
        Random rnd = new Random(seed);
        List<TreeEnsemble.Tree> trees = new ArrayList<>();
        double bestLoss = logLoss(margin, y, stopping);
        int bestRounds = 0;
        // The active rows' margins after the best round so far: a leaf found by bins is the leaf found by comparing
        // the values with the thresholds (see cuts), so these are the kept trees' sums.
        double[] bestMargin = new double[active.length];
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, Math.max(1, d)));
        try {
            for (int round = 0; round < params.maxRounds() && trees.size() - bestRounds < params.patience(); round++) {
                gradients(train, margin, y, grad, hess);
                int[] rows = sampleRows(train, rnd);
                boolean[] usable = sampleFeatures(d, rnd);
                Grown g = grow(rows, usable, binned, cuts, grad, hess, pool);
                trees.add(g.tree());
                // Only training and early-stopping rows' margins are read; the caller scores the rest afterwards.
                addLeaves(g, binned, active, margin);
                double loss = logLoss(margin, y, stopping);
                if (loss < bestLoss) {
                    bestLoss = loss;
                    bestRounds = trees.size();
                    gather(margin, active, bestMargin);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // A model with no tree would score everyone alike; keep one tree at least.
        List<TreeEnsemble.Tree> kept = trees.subList(0, Math.max(1, bestRounds));
        TreeEnsemble ensemble = new TreeEnsemble(standardizer.featureNames(), standardizer, imputationMeans, kept,
                TreeEnsemble.Link.LOGISTIC_SUM, base);
        double[] p = new double[n];
        Arrays.fill(p, Double.NaN);
        // With no round better than the base the one tree kept was never summed alone: nothing is known.
        if (bestRounds > 0) for (int k = 0; k < active.length; k++) p[active[k]] = LinearScorer.sigmoid(bestMargin[k]);
        return new Fitted(ensemble, p);
    }

    /** The training configuration as text, for versions and the registry. */
    public String describe() {
        return "boosted_trees " + params + " seed=" + seed;
    }

    /**
     * Cut points for one feature: midpoints between adjacent distinct values, placed so each bin holds about
     * n / bins values; with fewer distinct values than bins, one bin per value. A value goes to the bin of the
     * number of cut points strictly below it, so a split after bin b is "value &lt;= cuts[b]".
     */
    static double[] cuts(double[] values, int bins) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        boolean everyGap = distinctUpTo(v, bins);
        List<Double> out = new ArrayList<>();
        long lastBucket = 0;
        for (int i = 0; i < n - 1; i++) {
            if (v[i] == v[i + 1]) continue;
            // i + 1 values lie at or below v[i]: cut here when that starts a new quantile bucket (0..bins-1).
            long bucket = (long) (i + 1) * bins / n;
            if (everyGap || bucket > lastBucket) {
                out.add(v[i] + (v[i + 1] - v[i]) / 2);
                lastBucket = bucket;
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** True when the sorted values have at most {@code limit} distinct values (then every gap is a cut). */
    private static boolean distinctUpTo(double[] sorted, int limit) {
        int distinct = sorted.length == 0 ? 0 : 1;
        for (int i = 1; i < sorted.length && distinct <= limit; i++) if (sorted[i] != sorted[i - 1]) distinct++;
        return distinct <= limit;
    }

    static int bin(double value, double[] cuts) {
        int lo = 0;
        int hi = cuts.length;
        // Count of cuts strictly below value.
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cuts[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static byte[] binColumn(double[][] z, int j, double[] cuts) {
        byte[] out = new byte[z.length];
        for (int i = 0; i < z.length; i++) out[i] = (byte) bin(z[i][j], cuts);
        return out;
    }

    private static double[] column(double[][] z, int j, int[] rows) {
        double[] out = new double[rows.length];
        for (int k = 0; k < rows.length; k++) out[k] = z[rows[k]][j];
        return out;
    }

    private int[] sampleRows(int[] train, Random rnd) {
        if (params.rowSample() >= 1) return train;
        int[] kept = new int[train.length];
        int k = 0;
        for (int r : train) if (rnd.nextDouble() < params.rowSample()) kept[k++] = r;
        return k == 0 ? train : Arrays.copyOf(kept, k);
    }

    private boolean[] sampleFeatures(int d, Random rnd) {
        boolean[] use = new boolean[d];
        int count = 0;
        for (int j = 0; j < d; j++) if (use[j] = params.featureSample() >= 1 || rnd.nextDouble() < params.featureSample()) count++;
        if (count == 0) use[rnd.nextInt(d)] = true;
        return use;
    }

    static double logLoss(double[] margin, int[] y, int[] rows) {
        double sum = 0;
        for (int r : rows) {
            // log(1 + exp(-m)) for y = 1, log(1 + exp(m)) for y = 0, computed without overflow.
            double m = y[r] == 1 ? -margin[r] : margin[r];
            sum += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
        }
        return sum / rows.length;
    }

    /** Gain of splitting a node with sums (g, h) into left (gl, hl) and the rest, by the second-order objective. */
    static double gain(double gl, double hl, double g, double h, double lambda) {
        double gr = g - gl;
        double hr = h - hl;
        return 0.5 * (gl * gl / (hl + lambda) + gr * gr / (hr + lambda) - g * g / (h + lambda));
    }

    /** The leaf weight minimising the second-order objective, before shrinkage. */
    static double leafWeight(double g, double h, double lambda) {
        return -g / (h + lambda);
    }

    /** A grown tree and, per inner node, the bin it splits after (rows of bin &lt;= it go to lessOrEqual). */
    private record Grown(TreeEnsemble.Tree tree, int[] splitBins) {
    }

    /** A best split found for one node: feature -1 when none gains enough. */
    private record Best(int feature, int bin, double gain) {
    }

    private Grown grow(int[] rows, boolean[] usable, byte[][] binned, double[][] cuts, double[] grad, double[] hess,
                       ExecutorService pool) {
        int d = binned.length;
        int bins = params.bins();
        List<Integer> feature = new ArrayList<>();
        List<Double> threshold = new ArrayList<>();
        List<Integer> splitBin = new ArrayList<>();
        List<Double> value = new ArrayList<>();
        List<int[]> children = new ArrayList<>();
        // Node sums, grown with the tree.
        List<double[]> sums = new ArrayList<>();
        double g0 = sum(grad, rows);
        double h0 = sum(hess, rows);
        feature.add(-1);
        threshold.add(0.0);
        splitBin.add(-1);
        value.add(0.0);
        children.add(null);
        sums.add(new double[] {g0, h0});
        int[] at = new int[rows.length]; // node of each sampled row (tree-wide index), -1 once in a finished leaf
        int[] open = {0};
        // The round's rows side by side (their gradients, hessians and, once a feature is first summed, its bins),
        // so each level's histograms read arrays in order instead of gathering through the row numbers. The sums
        // are the same, in the same order.
        double[] rowGrad = new double[rows.length];
        double[] rowHess = new double[rows.length];
        gather(grad, rows, rowGrad);
        gather(hess, rows, rowHess);
        byte[][] rowBins = new byte[d][];
        for (int depth = 0; depth < params.maxDepth() && open.length > 0; depth++) {
            int m = open.length;
            int[] slot = new int[feature.size()];
            Arrays.fill(slot, -1);
            for (int s = 0; s < m; s++) slot[open[s]] = s;
            int[] rowSlot = slots(at, slot);
            // Per feature, (gradient, hessian) sums side by side per (slot, bin) cell: one cache line per update.
            double[][] hist = new double[d][];
            List<Callable<Void>> jobs = new ArrayList<>();
            // Features are handed out one at a time (a sampled-out feature costs nothing); each is summed by one
            // thread, so which thread takes which changes nothing.
            java.util.concurrent.atomic.AtomicInteger nextFeature = new java.util.concurrent.atomic.AtomicInteger();
            for (int t = 0; t < THREADS; t++) {
                jobs.add(() -> {
                    for (int j = nextFeature.getAndIncrement(); j < d; j = nextFeature.getAndIncrement()) {
                        if (!usable[j]) continue;
                        if (rowBins[j] == null) rowBins[j] = gather(binned[j], rows);
                        hist[j] = histogram(rowBins[j], rowSlot, rowGrad, rowHess, m, bins);
                    }
                    return null;
                });
            }
            runAll(pool, jobs);
            List<Integer> next = new ArrayList<>();
            int[] newNode = new int[2 * m];
            int[] splitOf = new int[m];
            int[] splitAt = new int[m];
            for (int s = 0; s < m; s++) {
                int node = open[s];
                double[] gh = sums.get(node);
                Best best = bestSplit(s, gh[0], gh[1], hist, usable, cuts, bins);
                if (best.feature() < 0) {
                    splitOf[s] = -1;
                    continue;
                }
                double gl = 0;
                double hl = 0;
                for (int b = 0; b <= best.bin(); b++) {
                    gl += hist[best.feature()][2 * (s * bins + b)];
                    hl += hist[best.feature()][2 * (s * bins + b) + 1];
                }
                feature.set(node, best.feature());
                threshold.set(node, cuts[best.feature()][best.bin()]);
                splitBin.set(node, best.bin());
                splitOf[s] = best.feature();
                splitAt[s] = best.bin();
                // Children in the Tree's order: greater first, then lessOrEqual, numbered after every parent.
                int greater = feature.size();
                for (int c = 0; c < 2; c++) {
                    feature.add(-1);
                    threshold.add(0.0);
                    splitBin.add(-1);
                    value.add(0.0);
                    children.add(null);
                }
                sums.add(new double[] {gh[0] - gl, gh[1] - hl});
                sums.add(new double[] {gl, hl});
                children.set(node, new int[] {greater, greater + 1});
                newNode[2 * s] = greater;
                newNode[2 * s + 1] = greater + 1;
                next.add(greater);
                next.add(greater + 1);
            }
            moveRows(rowSlot, splitOf, splitAt, rowBins, newNode, at);
            open = next.stream().mapToInt(Integer::intValue).toArray();
        }
        int size = feature.size();
        int[] f = new int[size];
        double[] th = new double[size];
        int[] gt = new int[size];
        int[] le = new int[size];
        double[] v = new double[size];
        int[] sb = new int[size];
        for (int i = 0; i < size; i++) {
            f[i] = feature.get(i);
            th[i] = threshold.get(i);
            sb[i] = splitBin.get(i);
            if (f[i] >= 0) {
                gt[i] = children.get(i)[0];
                le[i] = children.get(i)[1];
            } else {
                double[] gh = sums.get(i);
                v[i] = params.learningRate() * leafWeight(gh[0], gh[1], params.lambda());
            }
        }
        return new Grown(new TreeEnsemble.Tree(f, th, gt, le, v), sb);
    }

    // The row loops of fit and grow, each in a method of its own: the JIT compiles these small hot methods early and
    // cheaply. As loops inside grow they made C2 compile all of grow twice (on-stack replacement 1.2 s, then the
    // whole method 0.9 s of a compiler thread, 114 kB of code, in a JFR of the 50,000-customer node), and training
    // ran in C1's code meanwhile. Same arithmetic in the same order.

    /** Log-loss gradient and hessian of each training row at its margin. */
    private static void gradients(int[] train, double[] margin, int[] y, double[] grad, double[] hess) {
        for (int r : train) {
            double p = LinearScorer.sigmoid(margin[r]);
            grad[r] = p - y[r];
            hess[r] = Math.max(p * (1 - p), 1e-16);
        }
    }

    /** Adds the new tree's leaf to each active row's margin, in row order. */
    private static void addLeaves(Grown g, byte[][] binned, int[] active, double[] margin) {
        TreeEnsemble.Tree tree = g.tree();
        int[] splitBins = g.splitBins();
        for (int r : active) margin[r] += tree.value(leaf(tree, splitBins, binned, r));
    }

    /** values[rows[k]] into out[k]. */
    private static void gather(double[] values, int[] rows, double[] out) {
        for (int k = 0; k < rows.length; k++) out[k] = values[rows[k]];
    }

    private static byte[] gather(byte[] values, int[] rows) {
        byte[] out = new byte[rows.length];
        for (int k = 0; k < rows.length; k++) out[k] = values[rows[k]];
        return out;
    }

    /** Sum of values[r] over rows, in their order. */
    private static double sum(double[] values, int[] rows) {
        double total = 0;
        for (int r : rows) total += values[r];
        return total;
    }

    /** Each sampled row's slot among this level's open nodes; -1 once in a finished leaf. */
    private static int[] slots(int[] at, int[] slot) {
        int[] rowSlot = new int[at.length];
        for (int k = 0; k < at.length; k++) rowSlot[k] = at[k] < 0 ? -1 : slot[at[k]];
        return rowSlot;
    }

    /** One feature's (gradient, hessian) sums side by side per (slot, bin) cell, rows added in order. */
    private static double[] histogram(byte[] b, int[] rowSlot, double[] rowGrad, double[] rowHess, int m, int bins) {
        double[] gh = new double[2 * m * bins];
        for (int k = 0; k < b.length; k++) {
            int s = rowSlot[k];
            if (s < 0) continue;
            int cell = 2 * (s * bins + (b[k] & 0xff));
            gh[cell] += rowGrad[k];
            gh[cell + 1] += rowHess[k];
        }
        return gh;
    }

    /** Sends each row of a split node to the child its bin picks; a row of a node not split is finished. */
    private static void moveRows(int[] rowSlot, int[] splitOf, int[] splitAt, byte[][] rowBins, int[] newNode, int[] at) {
        for (int k = 0; k < rowSlot.length; k++) {
            int s = rowSlot[k];
            if (s < 0) continue;
            if (splitOf[s] < 0) {
                at[k] = -1;
                continue;
            }
            boolean le = (rowBins[splitOf[s]][k] & 0xff) <= splitAt[s];
            at[k] = le ? newNode[2 * s + 1] : newNode[2 * s];
        }
    }

    /** The best split of slot s over every usable feature and bin; ties keep the first (lowest feature, bin). */
    private Best bestSplit(int s, double g, double h, double[][] hist, boolean[] usable, double[][] cuts, int bins) {
        int bestF = -1;
        int bestB = -1;
        double bestGain = params.minGain();
        for (int j = 0; j < hist.length; j++) {
            if (!usable[j] || cuts[j].length == 0) continue;
            double gl = 0;
            double hl = 0;
            for (int b = 0; b < cuts[j].length; b++) {
                gl += hist[j][2 * (s * bins + b)];
                hl += hist[j][2 * (s * bins + b) + 1];
                if (hl < params.minChildWeight() || h - hl < params.minChildWeight()) continue;
                double gain = gain(gl, hl, g, h, params.lambda());
                if (gain > bestGain) {
                    bestGain = gain;
                    bestF = j;
                    bestB = b;
                }
            }
        }
        return new Best(bestF, bestB, bestGain);
    }

    /** The leaf a row reaches, following its bins (the same as comparing its values with the thresholds). */
    private static int leaf(TreeEnsemble.Tree tree, int[] splitBins, byte[][] binned, int row) {
        int n = 0;
        while (!tree.isLeaf(n)) n = (binned[tree.feature(n)][row] & 0xff) <= splitBins[n] ? tree.lessOrEqual(n) : tree.greater(n);
        return n;
    }

    private static void runAll(ExecutorService pool, List<Callable<Void>> jobs) {
        try {
            for (Future<Void> f : pool.invokeAll(jobs)) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlException("interrupted while boosting trees");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new MlException("boosting trees failed: " + e.getCause());
        }
    }
}
