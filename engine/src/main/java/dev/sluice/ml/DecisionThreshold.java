package dev.sluice.ml;

/**
 * The probability above which a customer is predicted to churn, chosen on validation rows. Without campaign
 * economics it maximises F1; with them (cost of contacting a customer, value of one saved) it maximises the
 * expected value of contacting everyone at or above it: value * churners reached - cost * contacts (a contacted
 * customer who would not churn is pure cost). Ties go to the higher threshold (fewer contacts).
 */
public record DecisionThreshold(double threshold, String objective, double objectiveValue) {

    /** Campaign economics for the expected-value objective; both 0 means "not given": use F1. */
    public record Economics(double costPerContact, double valueOfSavedCustomer) {
        public Economics {
            if (costPerContact < 0 || valueOfSavedCustomer < 0) {
                throw new MlException("cost_per_contact and value_of_saved_customer must not be negative");
            }
        }

        public boolean given() {
            return costPerContact > 0 || valueOfSavedCustomer > 0;
        }
    }

    public static DecisionThreshold choose(double[] p, int[] y, Economics economics) {
        if (p.length == 0) throw new MlException("a threshold needs validation rows");
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (i, j) -> Double.compare(p[j], p[i]));
        long positives = 0;
        for (int v : y) positives += v;
        boolean ev = economics.given();
        double best = Double.NEGATIVE_INFINITY;
        double bestThreshold = 1.0;
        long tp = 0;
        long contacted = 0;
        // Walk thresholds from the highest score down; each distinct score is a candidate "p >= threshold".
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            contacted++;
            tp += y[i];
            if (k + 1 < order.length && p[order[k + 1]] == p[i]) continue;
            double value = ev
                    ? economics.valueOfSavedCustomer() * tp - economics.costPerContact() * contacted
                    : positives == 0 ? 0 : 2.0 * tp / (contacted + positives);
            if (value > best) {
                best = value;
                bestThreshold = p[i];
            }
        }
        return new DecisionThreshold(bestThreshold, ev ? "expected_value" : "f1", best);
    }
}
