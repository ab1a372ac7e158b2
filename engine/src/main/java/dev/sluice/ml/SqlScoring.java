package dev.sluice.ml;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.seed.ColumnType;

/**
 * Compiles trained models to SQL so scoring runs inside the warehouse on every row. Constants are written as
 * cast('&lt;shortest repr&gt;' as double): parsing the text gives back exactly the JVM's double, where a bare
 * literal like 0.1 could become a DECIMAL first.
 */
public final class SqlScoring {
    /** exp() of more than ~709 overflows a double; beyond ±500 the probability is already 0 or 1 to 1e-200. */
    private static final double CLAMP = 500;
    private final Adapter adapter;
    private final String dbl;

    public SqlScoring(Adapter adapter) {
        this.adapter = adapter;
        this.dbl = adapter.typeFor(ColumnType.DOUBLE);
    }

    public String number(double v) {
        if (!Double.isFinite(v)) throw new MlException("cannot compile a non-finite constant " + v + " to SQL");
        return "cast('" + v + "' as " + dbl + ")";
    }

    /** ((coalesce(col, mean_imputed) - mean) / std) for feature j. */
    String standardized(String column, double imputationMean, double mean, double std) {
        return "((coalesce(cast(" + adapter.quote(column) + " as " + dbl + "), " + number(imputationMean) + ") - "
                + number(mean) + ") / " + number(std) + ")";
    }

    /** 1 / (1 + exp(-(b0 + sum w_i * z_i))) over the relation's columns named like the model's features. */
    public String probabilityExpression(LinearScorer model) {
        Standardizer s = model.standardizer();
        double[] imp = model.imputationMeans();
        double[] w = model.weights();
        StringBuilder z = new StringBuilder(number(model.intercept()));
        for (int j = 0; j < w.length; j++) {
            z.append("\n    + ").append(number(w[j])).append(" * ")
                    .append(standardized(model.featureNames().get(j), imp[j], s.mean(j), s.std(j)));
        }
        return "1 / (1 + exp(-greatest(" + number(-CLAMP) + ", least(" + number(CLAMP) + ", " + z + "))))";
    }

    /** select id, probability as &lt;scoreColumn&gt; from relation. */
    public String scoreQuery(LinearScorer model, String relationSql, String idColumn, String scoreColumn) {
        return "select " + adapter.quote(idColumn) + ", " + probabilityExpression(model) + " as " + adapter.quote(scoreColumn)
                + "\nfrom " + relationSql;
    }

    public String scoreQuery(LinearScorer model, Relation relation, String idColumn, String scoreColumn) {
        return scoreQuery(model, adapter.render(relation), idColumn, scoreColumn);
    }

    /**
     * select id, P(label = 1) as scoreColumn: the ensemble's trees as nested CASE expressions over the standardized
     * features, computed once per row in an inner query, combined in tree order as {@link TreeEnsemble} does (the
     * forest's mean, or the boosted trees' sigmoid of base plus leaves).
     */
    public String scoreQuery(TreeEnsemble forest, String relationSql, String idColumn, String scoreColumn) {
        Standardizer s = forest.standardizer();
        double[] imp = forest.imputationMeans();
        String id = adapter.quote(idColumn);
        StringBuilder inner = new StringBuilder("select ").append(id);
        for (int j = 0; j < forest.featureNames().size(); j++) {
            inner.append(",\n    ").append(standardized(forest.featureNames().get(j), imp[j], s.mean(j), s.std(j)))
                    .append(" as ").append(zColumn(j));
        }
        inner.append("\nfrom ").append(relationSql);
        boolean boosted = forest.link() == TreeEnsemble.Link.LOGISTIC_SUM;
        // Boosted trees add their leaves to the base score, in tree order as the JVM does, then take the sigmoid.
        StringBuilder sum = new StringBuilder(boosted ? "\n    " + number(forest.base()) : "");
        for (TreeEnsemble.Tree tree : forest.trees()) {
            sum.append(sum.length() == 0 ? "\n    " : "\n  + ").append(treeExpression(tree));
        }
        String score = boosted
                ? "1 / (1 + exp(-greatest(" + number(-CLAMP) + ", least(" + number(CLAMP) + ", " + sum + "\n))))"
                : "(" + sum + "\n) / " + number(forest.trees().size());
        return "select " + id + ", " + score + " as " + adapter.quote(scoreColumn)
                + "\nfrom (\n" + inner + "\n) as " + adapter.quote("sluice_standardized");
    }

    public String scoreQuery(TreeEnsemble forest, Relation relation, String idColumn, String scoreColumn) {
        return scoreQuery(forest, adapter.render(relation), idColumn, scoreColumn);
    }

    /** One tree as nested CASEs, built from the leaves up (children are numbered after their parents). */
    String treeExpression(TreeEnsemble.Tree tree) {
        String[] sql = new String[tree.size()];
        for (int i = tree.size() - 1; i >= 0; i--) {
            sql[i] = tree.isLeaf(i) ? number(tree.value(i))
                    : "case when " + zColumn(tree.feature(i)) + " > " + number(tree.threshold(i)) + " then "
                    + sql[tree.greater(i)] + " else " + sql[tree.lessOrEqual(i)] + " end";
            if (!tree.isLeaf(i)) {
                sql[tree.greater(i)] = null;
                sql[tree.lessOrEqual(i)] = null;
            }
        }
        return sql[0];
    }

    private String zColumn(int feature) {
        return adapter.quote("sluice_z" + (feature + 1));
    }

    /**
     * The churn predictions table computed in SQL: id, churn_probability (the chosen model, calibrated), label (at
     * the chosen threshold) and model_version, the same columns and values as {@link ChurnResult#predictions()}.
     */
    public String predictionQuery(ChurnResult r, String relationSql, String idColumn) {
        String raw = switch (r.bestModel()) {
            case ChurnTrainer.FOREST -> scoreQuery(r.forest(), relationSql, idColumn, "churn_probability");
            case ChurnTrainer.BOOSTED -> scoreQuery(r.boostedModel(), relationSql, idColumn, "churn_probability");
            default -> scoreQuery(r.linear(), relationSql, idColumn, "churn_probability");
        };
        String scored = calibrated(r.calibration(), raw, idColumn, "churn_probability");
        return "select " + adapter.quote(idColumn) + " as " + adapter.quote("id") + ", churn_probability, "
                + "case when churn_probability >= " + number(r.threshold().threshold()) + " then 1 else 0 end as label, '"
                + r.modelVersion() + "' as model_version from (\n" + scored + "\n) as " + adapter.quote("sluice_scored");
    }

    /** Wraps a score query's column in the calibration: sigmoid(a * score + b), clamped as the linear model is. */
    public String calibrated(Calibration calibration, String scoreQuery, String idColumn, String scoreColumn) {
        String col = adapter.quote(scoreColumn);
        String z = number(calibration.a()) + " * " + col + " + " + number(calibration.b());
        return "select " + adapter.quote(idColumn) + ", 1 / (1 + exp(-greatest(" + number(-CLAMP) + ", least(" + number(CLAMP)
                + ", " + z + ")))) as " + col + "\nfrom (\n" + scoreQuery + "\n) as " + adapter.quote("sluice_uncalibrated");
    }

    /** Squared standardized distance of a row to centroid c. */
    String squaredDistance(CentroidModel model, int c) {
        Standardizer s = model.standardizer();
        double[] imp = model.imputationMeans();
        double[] centroid = model.centroids()[c];
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < centroid.length; j++) {
            String diff = "(" + standardized(model.featureNames().get(j), imp[j], s.mean(j), s.std(j)) + " - " + number(centroid[j]) + ")";
            sb.append(j == 0 ? "" : " + ").append(diff).append(" * ").append(diff);
        }
        return sb.toString();
    }

    /**
     * select id, segment_id, distance from relation: a CASE over the squared distances picks the nearest
     * centroid, the lowest segment id on exact ties, as {@link CentroidModel#nearest} does.
     */
    public String assignmentQuery(CentroidModel model, String relationSql, String idColumn) {
        int k = model.segmentIds().length;
        String id = adapter.quote(idColumn);
        StringBuilder inner = new StringBuilder("select ").append(id);
        for (int c = 0; c < k; c++) inner.append(",\n    ").append(squaredDistance(model, c)).append(" as ").append(distanceColumn(c));
        inner.append("\nfrom ").append(relationSql);

        StringBuilder kase = new StringBuilder("case");
        for (int c = 0; c < k - 1; c++) {
            kase.append("\n    when ");
            for (int o = c + 1; o < k; o++) {
                kase.append(o == c + 1 ? "" : " and ").append(distanceColumn(c)).append(" <= ").append(distanceColumn(o));
            }
            // Earlier centroids already lost (strictly) to one of the later ones, so only later ones matter here.
            kase.append(" then ").append(model.segmentIds()[c]);
        }
        kase.append("\n    else ").append(model.segmentIds()[k - 1]).append(" end");
        StringBuilder least = new StringBuilder(k == 1 ? distanceColumn(0) : "least(");
        if (k > 1) {
            for (int c = 0; c < k; c++) least.append(c == 0 ? "" : ", ").append(distanceColumn(c));
            least.append(')');
        }
        return "select " + id + ", " + kase + " as " + adapter.quote("segment_id") + ", sqrt(" + least + ") as "
                + adapter.quote("distance") + "\nfrom (\n" + inner + "\n) as " + adapter.quote("sluice_distances");
    }

    public String assignmentQuery(CentroidModel model, Relation relation, String idColumn) {
        return assignmentQuery(model, adapter.render(relation), idColumn);
    }

    private String distanceColumn(int c) {
        return adapter.quote("sluice_d" + (c + 1));
    }
}
