package dev.sluice.ml;

import org.tribuo.clustering.kmeans.KMeansModel;

import java.util.List;

/**
 * What {@link Segmenter} produces.
 *
 * @param k             the chosen number of segments
 * @param modelVersion  short hash of the k-means trainer provenance, the data and the configuration
 * @param model         the Tribuo k-means model for k (its cluster numbers are not the segment ids)
 * @param centroidModel segment ids 1..k with standardized centroids, for scoring and SQL
 * @param segmentNames  name of segment i + 1 at index i
 * @param assignments   id, segment_id, segment_name, distance (Euclidean, standardized units, to its centroid)
 * @param centroids     segment_id, feature, value: centroids in original units
 * @param profiles      segment_id, segment_name, size, share, mean_&lt;feature&gt; for each feature
 * @param selection     k, silhouette, chosen: the silhouette of each k tried
 */
public record SegmentationResult(int k, String modelVersion, KMeansModel model, CentroidModel centroidModel,
                                 List<String> segmentNames, ResultTable assignments, ResultTable centroids,
                                 ResultTable profiles, ResultTable selection) {
}
