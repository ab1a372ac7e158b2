package dev.sluice.ml;

import java.util.List;

/**
 * Nearest-centroid assignment in standardized space: a row belongs to the segment whose centroid is closest
 * in squared Euclidean distance, the lowest segment id winning exact ties. Compiled to SQL by {@link SqlScoring}.
 *
 * @param centroids standardized centroids, one per entry of segmentIds
 */
public record CentroidModel(List<String> featureNames, double[] imputationMeans, Standardizer standardizer,
                            double[][] centroids, int[] segmentIds) {

    public CentroidModel {
        featureNames = List.copyOf(featureNames);
        imputationMeans = imputationMeans.clone();
        double[][] c = new double[centroids.length][];
        for (int i = 0; i < c.length; i++) c[i] = centroids[i].clone();
        centroids = c;
        segmentIds = segmentIds.clone();
    }

    @Override
    public double[][] centroids() {
        double[][] c = new double[centroids.length][];
        for (int i = 0; i < c.length; i++) c[i] = centroids[i].clone();
        return c;
    }

    @Override
    public double[] imputationMeans() {
        return imputationMeans.clone();
    }

    @Override
    public int[] segmentIds() {
        return segmentIds.clone();
    }

    /** Index into centroids of the nearest one to a standardized row. */
    public int nearest(double[] z) {
        return Metrics.nearest(z, centroids);
    }

    /** Segment id for raw feature values; NaN marks a null and is imputed. */
    public int assign(double[] raw) {
        return segmentIds[nearest(standardize(raw))];
    }

    double[] standardize(double[] raw) {
        double[] x = raw.clone();
        for (int j = 0; j < x.length; j++) if (Double.isNaN(x[j])) x[j] = imputationMeans[j];
        return standardizer.apply(x);
    }
}
