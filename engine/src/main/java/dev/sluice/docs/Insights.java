package dev.sluice.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the optional {@code target/insights.json} that ML and segmentation nodes write. The format
 * (every section optional, unknown keys ignored):
 *
 * <pre>
 * {
 *   "segments": [ {"name": "loyal", "size": 120, "share": 0.4,
 *                  "profile": {"orders": 7.5, "avg_basket": 42.0}} ],
 *   "churn": {"model": "churn_scores", "auc": 0.82, "precision": 0.71, "recall": 0.64,
 *             "roc": [[0.0, 0.0], [0.1, 0.45], [1.0, 1.0]]},
 *   "timings": [ {"name": "train churn model", "seconds": 3.2} ]
 * }
 * </pre>
 *
 * {@code share} is a fraction in [0, 1]; when absent it is computed from the sizes. {@code churn.model}
 * is a model name or unique_id and becomes a link when it names a node. ROC points are [fpr, tpr]
 * pairs in [0, 1]. Per-node timings come from run_results.json; the {@code timings} section adds
 * steps that run_results does not know about. Bad entries are dropped with a warning rather than
 * failing the site, because these files come from user code.
 */
final class Insights {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Insights() {
    }

    /** The cleaned sections: {segments: [...], churn: {...} or null, timings: [...]}. */
    static ObjectNode read(JsonNode root, List<String> warnings) {
        ObjectNode out = F.objectNode();
        out.set("segments", segments(root.path("segments"), warnings));
        out.set("churn", churn(root.path("churn"), warnings));
        out.set("timings", timings(root.path("timings"), warnings));
        return out;
    }

    private static ArrayNode segments(JsonNode in, List<String> warnings) {
        ArrayNode out = F.arrayNode();
        if (in.isMissingNode() || in.isNull()) return out;
        if (!in.isArray()) {
            warnings.add("insights.json: 'segments' is not a list; ignored");
            return out;
        }
        List<ObjectNode> kept = new ArrayList<>();
        double total = 0;
        boolean allShares = true;
        for (JsonNode s : in) {
            String name = s.path("name").asText("");
            if (name.isEmpty() || !s.path("size").isNumber() || s.path("size").asDouble() < 0) {
                warnings.add("insights.json: segment without a name or a non-negative size; ignored");
                continue;
            }
            ObjectNode j = F.objectNode();
            j.put("name", name);
            j.put("size", s.path("size").asDouble());
            total += s.path("size").asDouble();
            if (s.path("share").isNumber()) j.put("share", clamp(s.path("share").asDouble()));
            else allShares = false;
            ObjectNode profile = F.objectNode();
            s.path("profile").fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) profile.put(e.getKey(), e.getValue().asDouble());
            });
            j.set("profile", profile);
            kept.add(j);
        }
        for (ObjectNode j : kept) {
            if (!allShares && !j.has("share")) j.put("share", total > 0 ? j.get("size").asDouble() / total : 0);
            out.add(j);
        }
        return out;
    }

    private static JsonNode churn(JsonNode in, List<String> warnings) {
        if (in.isMissingNode() || in.isNull()) return F.nullNode();
        if (!in.isObject()) {
            warnings.add("insights.json: 'churn' is not an object; ignored");
            return F.nullNode();
        }
        ObjectNode j = F.objectNode();
        j.put("model", in.path("model").asText(""));
        for (String k : List.of("auc", "precision", "recall")) {
            if (in.path(k).isNumber()) j.put(k, clamp(in.path(k).asDouble()));
            else j.putNull(k);
        }
        ArrayNode roc = F.arrayNode();
        List<double[]> points = new ArrayList<>();
        for (JsonNode p : in.path("roc")) {
            if (p.isArray() && p.size() == 2 && p.get(0).isNumber() && p.get(1).isNumber()) {
                points.add(new double[]{clamp(p.get(0).asDouble()), clamp(p.get(1).asDouble())});
            } else {
                warnings.add("insights.json: ROC point is not [fpr, tpr]; ignored");
            }
        }
        // The curve is drawn left to right; writers may emit thresholds in either direction.
        points.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        for (double[] p : points) roc.add(F.arrayNode().add(p[0]).add(p[1]));
        j.set("roc", roc);
        // The chosen decision threshold, its point on the ROC curve and the precision/recall curve, when given.
        if (in.path("threshold").isNumber()) j.put("threshold", clamp(in.path("threshold").asDouble()));
        else j.putNull("threshold");
        j.put("threshold_objective", in.path("threshold_objective").asText(""));
        JsonNode tp = in.path("threshold_roc");
        if (tp.isArray() && tp.size() == 2 && tp.get(0).isNumber() && tp.get(1).isNumber()) {
            j.set("threshold_roc", F.arrayNode().add(clamp(tp.get(0).asDouble())).add(clamp(tp.get(1).asDouble())));
        } else {
            j.putNull("threshold_roc");
        }
        ArrayNode pr = F.arrayNode();
        for (JsonNode p : in.path("pr")) {
            if (p.isArray() && p.size() >= 2 && p.get(0).isNumber() && p.get(1).isNumber()) {
                pr.add(F.arrayNode().add(clamp(p.get(0).asDouble())).add(clamp(p.get(1).asDouble())));
            } else {
                warnings.add("insights.json: precision/recall point is not [recall, precision]; ignored");
            }
        }
        j.set("pr", pr);
        return j;
    }

    private static ArrayNode timings(JsonNode in, List<String> warnings) {
        ArrayNode out = F.arrayNode();
        if (in.isMissingNode() || in.isNull()) return out;
        for (JsonNode t : in) {
            if (t.path("name").asText("").isEmpty() || !t.path("seconds").isNumber()) {
                warnings.add("insights.json: timing without a name or seconds; ignored");
                continue;
            }
            out.add(F.objectNode().put("name", t.path("name").asText()).put("seconds", Math.max(0, t.path("seconds").asDouble())));
        }
        return out;
    }

    private static double clamp(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }
}
