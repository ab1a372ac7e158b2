package dev.sluice.ml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Points of ROC and precision/recall curves, thinned to at most a given number for plotting. */
public final class Roc {
    private Roc() {
    }

    /** @return [false positive rate, true positive rate] pairs from (0,0) to (1,1) */
    public static List<double[]> points(double[] scores, int[] labels, int max) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        long pos = Arrays.stream(labels).filter(l -> l == 1).count();
        long neg = labels.length - pos;
        List<double[]> all = new ArrayList<>();
        all.add(new double[]{0, 0});
        long tp = 0, fp = 0;
        for (int k = 0; k < order.length; k++) {
            if (labels[order[k]] == 1) tp++;
            else fp++;
            // Tied scores form one step of the curve.
            if (k + 1 < order.length && scores[order[k + 1]] == scores[order[k]]) continue;
            all.add(new double[]{neg == 0 ? 0 : (double) fp / neg, pos == 0 ? 0 : (double) tp / pos});
        }
        if (all.size() <= max) return all;
        List<double[]> thin = new ArrayList<>();
        for (int i = 0; i < max; i++) thin.add(all.get((int) Math.round(i * (all.size() - 1) / (double) (max - 1))));
        return thin;
    }
    /** @return [recall, precision, threshold] triples, from the highest threshold down, thinned to at most max */
    public static List<double[]> precisionRecall(double[] scores, int[] labels, int max) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        long pos = Arrays.stream(labels).filter(l -> l == 1).count();
        List<double[]> all = new ArrayList<>();
        long tp = 0, contacted = 0;
        for (int k = 0; k < order.length; k++) {
            contacted++;
            if (labels[order[k]] == 1) tp++;
            if (k + 1 < order.length && scores[order[k + 1]] == scores[order[k]]) continue;
            all.add(new double[]{pos == 0 ? 0 : (double) tp / pos, (double) tp / contacted, scores[order[k]]});
        }
        if (all.size() <= max) return all;
        List<double[]> thin = new ArrayList<>();
        for (int i = 0; i < max; i++) thin.add(all.get((int) Math.round(i * (all.size() - 1) / (double) (max - 1))));
        return thin;
    }
}
