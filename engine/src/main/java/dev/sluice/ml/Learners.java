package dev.sluice.ml;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/** The glue between plain arrays and Tribuo's datasets, shared by the trainers. */
final class Learners {
    static final String POSITIVE = "1";
    static final String NEGATIVE = "0";
    private static final LabelFactory LABELS = new LabelFactory();
    private static final ClusteringFactory CLUSTERS = new ClusteringFactory();

    private Learners() {
    }

    static MutableDataset<Label> labelled(String description, String[] names, double[][] x, int[] y, int[] rows) {
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance(description, LABELS), LABELS);
        for (int r : rows) ds.add(new ArrayExample<>(new Label(y[r] == 1 ? POSITIVE : NEGATIVE), names, x[r]));
        return ds;
    }

    static MutableDataset<ClusterID> unlabelled(String description, String[] names, double[][] x) {
        MutableDataset<ClusterID> ds = new MutableDataset<>(new SimpleDataSourceProvenance(description, CLUSTERS), CLUSTERS);
        for (double[] row : x) ds.add(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, row));
        return ds;
    }

    /**
     * Logistic regression as Tribuo spells it: a linear model under the softmax log loss. With two classes
     * the softmax of (s0, s1) is sigmoid(s1 - s0), so the model is an ordinary logistic regression.
     */
    static LinearSGDModel logistic(MutableDataset<Label> data, int epochs, double learningRate, long seed) {
        // Logging interval beyond any epoch's size keeps Tribuo's per-step loss lines out of the CLI output.
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(learningRate, 0.1),
                epochs, Integer.MAX_VALUE, 1, seed);
        return trainer.train(data);
    }

    /** P(label = 1) for each row of x. */
    static double[] positiveProbability(Model<Label> model, String[] names, double[][] x) {
        List<Example<Label>> examples = new java.util.ArrayList<>(x.length);
        for (double[] row : x) examples.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, names, row));
        List<Prediction<Label>> predictions = model.predict(examples);
        double[] p = new double[x.length];
        for (int i = 0; i < p.length; i++) {
            Label l = predictions.get(i).getOutputScores().get(POSITIVE);
            p[i] = l == null ? 0 : l.getScore();
        }
        return p;
    }

    /** P(label = 1) for the given rows of x, NaN for the others: each row's score is its own. */
    static double[] positiveProbability(Model<Label> model, String[] names, double[][] x, int[] rows) {
        double[][] some = new double[rows.length][];
        for (int k = 0; k < rows.length; k++) some[k] = x[rows[k]];
        double[] scored = positiveProbability(model, names, some);
        double[] p = new double[x.length];
        Arrays.fill(p, Double.NaN);
        for (int k = 0; k < rows.length; k++) p[rows[k]] = scored[k];
        return p;
    }

    /** A short, stable version id: the first 12 hex digits of SHA-256 over the parts. */
    static String shortHash(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update(p.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            byte[] h = md.digest();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 6; i++) sb.append(String.format("%02x", h[i]));
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Digest of a frame's content, so a model version changes when its data does. */
    static String fingerprint(FeatureFrame frame) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(String.join(",", frame.featureNames()).getBytes(StandardCharsets.UTF_8));
            // The same bytes in the same order as one update per value (a digest does not depend on how its
            // input is cut), gathered into a buffer: a million 8-byte updates cost more than the hashing.
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
            int perRow = 8 * frame.width() + 1;
            for (int i = 0; i < frame.rows(); i++) {
                byte[] id = String.valueOf(frame.id(i)).getBytes(StandardCharsets.UTF_8);
                if (buf.remaining() < id.length + perRow) flush(md, buf);
                if (id.length + perRow > buf.remaining()) {
                    md.update(id);
                } else {
                    buf.put(id);
                }
                for (int j = 0; j < frame.width(); j++) {
                    if (buf.remaining() < 8) flush(md, buf);
                    buf.putDouble(frame.value(i, j));
                }
                if (frame.hasLabel()) {
                    if (!buf.hasRemaining()) flush(md, buf);
                    buf.put((byte) frame.label(i));
                }
            }
            flush(md, buf);
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void flush(MessageDigest md, java.nio.ByteBuffer buf) {
        md.update(buf.array(), 0, buf.position());
        buf.clear();
    }

    /** The trainer's configuration as provenance text; it excludes timestamps and host, so it is reproducible. */
    static String trainerProvenance(Model<?> model) {
        // An ensemble joined from trained parts (the forest's sub-forests) has a timestamped, empty trainer
        // provenance of its own: its parts' trainers say how it was trained.
        if (model instanceof org.tribuo.ensemble.EnsembleModel<?> e
                && e.getProvenance().getTrainerProvenance() instanceof org.tribuo.provenance.impl.TimestampedTrainerProvenance) {
            StringBuilder sb = new StringBuilder("ensemble of");
            for (Model<?> m : e.getModels()) sb.append(' ').append(trainerProvenance(m));
            return sb.toString();
        }
        return model.getProvenance().getTrainerProvenance().toString();
    }
}
