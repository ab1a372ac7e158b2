package dev.sluice.ml;

/**
 * Platt scaling: P(churn) = sigmoid(a * score + b), fitted on validation rows the model did not train on, so
 * that a probability of 0.2 means about one in five such customers churn. Monotone in the score, so it leaves the
 * ranking (and AUC) unchanged. Fitted by Newton's method on the log loss with Platt's smoothed targets, which keep
 * a and b finite when the validation rows are separable.
 */
public record Calibration(double a, double b) {
    public double apply(double score) {
        return LinearScorer.sigmoid(a * score + b);
    }

    public double[] apply(double[] scores) {
        double[] p = new double[scores.length];
        for (int i = 0; i < p.length; i++) p[i] = apply(scores[i]);
        return p;
    }

    public static Calibration fit(double[] scores, int[] labels) {
        long positives = 0;
        for (int y : labels) positives += y;
        long negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new MlException("calibration needs both classes among the validation rows (" + positives + " churned of " + labels.length + ")");
        }
        double hi = (positives + 1.0) / (positives + 2.0);
        double lo = 1.0 / (negatives + 2.0);
        double a = 0;
        double b = Math.log((positives + 1.0) / (negatives + 1.0));
        double loss = logLoss(scores, labels, a, b, hi, lo);
        for (int iter = 0; iter < 100; iter++) {
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            for (int i = 0; i < scores.length; i++) {
                double p = LinearScorer.sigmoid(a * scores[i] + b);
                double t = labels[i] == 1 ? hi : lo;
                double d = p - t;
                double w = Math.max(p * (1 - p), 1e-12);
                ga += d * scores[i];
                gb += d;
                haa += w * scores[i] * scores[i];
                hab += w * scores[i];
                hbb += w;
            }
            // A small ridge keeps the 2x2 Hessian invertible when every score is the same.
            haa += 1e-9;
            hbb += 1e-9;
            double det = haa * hbb - hab * hab;
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            // Step halving: Newton can overshoot far from the optimum.
            double step = 1;
            double next;
            while ((next = logLoss(scores, labels, a - step * da, b - step * db, hi, lo)) > loss && step > 1e-6) step /= 2;
            if (next > loss) break;
            a -= step * da;
            b -= step * db;
            boolean done = loss - next < 1e-12;
            loss = next;
            if (done) break;
        }
        return new Calibration(a, b);
    }

    private static double logLoss(double[] s, int[] y, double a, double b, double hi, double lo) {
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            double z = a * s[i] + b;
            double t = y[i] == 1 ? hi : lo;
            // log(1 + e^z) - t*z, computed without overflow.
            double softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
            sum += softplus - t * z;
        }
        return sum;
    }
}
