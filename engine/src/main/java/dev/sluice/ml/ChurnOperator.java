package dev.sluice.ml;

import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.materialize.Swap;
import dev.sluice.operator.Operator;
import dev.sluice.operator.OperatorContext;
import dev.sluice.operator.OperatorResult;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * churn_classifier: trains logistic regression, a random forest and gradient-boosted trees (or the subset listed
 * in 'models') on a labelled feature query, keeps the best by validation AUC and writes, in order: predictions (id, churn_probability, label, model_version),
 * metrics (model, metric, value) and parameters (model, feature, weight, original_unit_weight). With
 * score_in_warehouse the predictions are computed by SQL inside the warehouse (either model) on all rows,
 * while training used at most 'sample' rows. With score_sql (a query with the same id and feature columns, no
 * label) the trained model scores that query's rows instead of the training rows: train on features as of a
 * past cutoff, whose outcome is known, and score today's features.
 */
public final class ChurnOperator implements Operator {
    @Override
    public String type() {
        return "churn_classifier";
    }

    @Override
    public java.util.Set<String> configKeys() {
        return java.util.Set.of(OperatorSupport.ID_COLUMN, OperatorSupport.FEATURES, "label", "seed", "sample", "test_fraction",
                "cost_per_contact", "value_of_saved_customer", "score_sql", "score_in_warehouse", "models");
    }

    @Override
    public OperatorResult run(OperatorContext ctx) {
        List<Relation> out = OperatorSupport.outputs(ctx, List.of("predictions", "metrics", "parameters"), 3);
        String label = ctx.string("label", "churned");
        long seed = ctx.number("seed", 42);
        FeatureFrame all = OperatorSupport.frame(ctx, label);
        FeatureFrame frame = all.subset(OperatorSupport.sample(all.rows(), ctx.number("sample", 0), seed));
        ctx.log("training on " + frame.rows() + " of " + all.rows() + " rows, " + frame.width() + " features");
        List<String> models = ctx.strings("models");
        ChurnTrainer.Config cfg = ChurnTrainer.Config.defaults().withSeed(seed)
                .withTestFraction(ctx.decimal("test_fraction", 0.25))
                .withEconomics(new DecisionThreshold.Economics(ctx.decimal("cost_per_contact", 0),
                        ctx.decimal("value_of_saved_customer", 0)));
        if (!models.isEmpty()) cfg = cfg.withModels(models);
        ChurnTrainer trainer = new ChurnTrainer(cfg);
        ModelRegistry registry = new ModelRegistry(ctx.adapter(), ctx.session(), out.get(0));
        ModelStore store = new ModelStore(ctx.targetDir().resolve("ml"));
        String digest = Learners.fingerprint(frame);
        String fingerprint = trainer.fingerprintOf(digest);
        ChurnResult r = reuse(ctx, registry, store, trainer, frame, fingerprint);
        boolean reused = r != null;
        if (!reused) {
            long started = System.nanoTime();
            r = trainer.train(frame, digest);
            double seconds = (System.nanoTime() - started) / 1e9;
            save(ctx, store, r, fingerprint);
            registry.register(entry(ctx, store, trainer, r, fingerprint, seconds));
            ctx.log(String.format("trained model version %s in %.1f s; registered in %s", r.modelVersion(), seconds,
                    ctx.adapter().render(registry.table())));
        }
        double auc = r.metric(r.bestModel(), "auc");
        StringBuilder each = new StringBuilder();
        for (String m : r.metrics().keySet()) {
            each.append(each.length() == 0 ? "" : ", ").append(m.replace('_', ' '))
                    .append(String.format(" %.3f", r.metric(m, "auc")));
        }
        ctx.log(String.format("best model %s, held-out AUC %.3f (%s); threshold %.3f by %s: precision %.3f, recall %.3f",
                r.bestModel(), auc, each, r.threshold().threshold(), r.threshold().objective(),
                r.metric(r.bestModel(), "precision"), r.metric(r.bestModel(), "recall")));

        String scoreSql = ctx.string("score_sql", "");
        String toScoreSql = scoreSql.isBlank() ? ctx.inputSql() : scoreSql;
        FeatureFrame toScore = scoreSql.isBlank() ? all : FeatureFrame.fromQuery(ctx.session(),
                OperatorSupport.ordered(ctx, scoreSql, ctx.string("id_column", "customer_id")),
                ctx.string("id_column", "customer_id"), frame.featureNames(), null);
        TableWriter writer = new TableWriter(ctx.adapter());
        long rows;
        if (ctx.bool("score_in_warehouse", false)) {
            // Every model compiles to SQL (the trees as nested CASEs), so the chosen one scores every row there.
            ctx.log(String.format("scoring %d rows in the warehouse with the %s (AUC %.3f)", toScore.rows(),
                    r.bestModel().replace('_', ' '), auc));
            rows = scoreInWarehouse(ctx, out.get(0), r, toScoreSql);
        } else {
            if (toScore != all) ctx.log("scoring " + toScore.rows() + " rows of score_sql");
            ResultTable predictions = toScore == all && frame.rows() == all.rows() ? r.predictions() : r.score(toScore);
            rows = writer.write(ctx.session(), out.get(0), predictions);
        }
        writer.write(ctx.session(), out.get(1), withChoiceAndDrift(r, frame, toScore));
        writer.write(ctx.session(), out.get(2), r.parameters());
        writeInsights(ctx, frame, r);
        return new OperatorResult(String.format("AUC %.3f, %d scored, model %s %s", auc, rows, r.modelVersion(),
                reused ? "reused" : "trained"), rows);
    }

    /**
     * The registered model trained on this fingerprint, rebuilt from its files without training; null (and a
     * log line saying why) when there is none or its files are missing or unreadable.
     */
    private static ChurnResult reuse(OperatorContext ctx, ModelRegistry registry, ModelStore store, ChurnTrainer trainer,
                                     FeatureFrame frame, String fingerprint) {
        String node = ctx.node().name();
        var known = registry.find(node, fingerprint);
        if (known.isEmpty()) {
            ctx.log("no registered model for this training data and configuration (fingerprint "
                    + fingerprint.substring(0, 12) + "): training");
            return null;
        }
        String version = known.get().version();
        try {
            List<String> models = trainer.config().models();
            LinearSGDModel logistic = (LinearSGDModel) store.load(node, version + "." + ChurnTrainer.LOGISTIC);
            Model<Label> forest = !models.contains(ChurnTrainer.FOREST) ? null
                    : store.load(node, version + "." + ChurnTrainer.FOREST).castModel(Label.class);
            TreeEnsemble boosted = !models.contains(ChurnTrainer.BOOSTED) ? null
                    : store.loadTrees(node, version + "." + ChurnTrainer.BOOSTED);
            ChurnResult r = trainer.reuse(frame, logistic, forest, boosted, version);
            ctx.log("reusing model version " + version + " (trained " + known.get().trainedAt() + "): training data and "
                    + "configuration unchanged (fingerprint " + fingerprint.substring(0, 12) + "), no training");
            return r;
        } catch (MlException | ClassCastException e) {
            ctx.log("registered model version " + version + " cannot be reused (" + e.getMessage() + "): training again");
            return null;
        }
    }

    /** The chosen model under its version (what a user loads), and every trained model as a part for reuse. */
    private static void save(OperatorContext ctx, ModelStore store, ChurnResult r, String fingerprint) {
        String node = ctx.node().name();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("best_model", r.bestModel());
        meta.put("fingerprint", fingerprint);
        meta.put("auc", r.metric(r.bestModel(), "auc"));
        meta.put("threshold", r.threshold().threshold());
        meta.put("calibration", Map.of("a", r.calibration().a(), "b", r.calibration().b()));
        meta.put("linear", ModelStore.describe(r.linear()));
        store.save(node, r.modelVersion() + "." + ChurnTrainer.LOGISTIC, r.logisticModel(), Map.of("fingerprint", fingerprint));
        if (r.forestModel() != null) {
            store.save(node, r.modelVersion() + "." + ChurnTrainer.FOREST, r.forestModel(), Map.of("fingerprint", fingerprint));
        }
        boolean boostedChosen = ChurnTrainer.BOOSTED.equals(r.bestModel());
        if (r.boostedModel() != null) {
            // The part and, when chosen, the version itself: one JSON of the trees for both files.
            Map<String, Map<String, ?>> versions = new LinkedHashMap<>();
            versions.put(r.modelVersion() + "." + ChurnTrainer.BOOSTED, Map.of("fingerprint", fingerprint));
            if (boostedChosen) versions.put(r.modelVersion(), meta);
            store.saveTrees(node, r.boostedModel(), versions);
        }
        if (!boostedChosen) store.save(node, r.modelVersion(), r.chosen(), meta);
    }

    private static ModelRegistry.Entry entry(OperatorContext ctx, ModelStore store, ChurnTrainer trainer, ChurnResult r,
                                             String fingerprint, double seconds) {
        boolean boosted = ChurnTrainer.BOOSTED.equals(r.bestModel());
        Map<String, Object> metrics = new LinkedHashMap<>();
        r.metrics().get(r.bestModel()).forEach((k, v) -> metrics.put(k, Double.isFinite(v) ? v : null));
        return new ModelRegistry.Entry(ctx.node().name(), r.modelVersion(), fingerprint, r.bestModel(),
                ModelRegistry.json(metrics), r.threshold().threshold(),
                java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).withNano(0), seconds,
                boosted ? ModelRegistry.json(Map.of("trainer", trainer.boostedDescription(), "trees", r.boostedModel().trees().size()))
                        : ModelRegistry.provenanceJson(r.chosen()),
                artifact(ctx, boosted ? store.treesFile(ctx.node().name(), r.modelVersion())
                        : store.modelFile(ctx.node().name(), r.modelVersion())));
    }

    /** The model file relative to the project, as a user finds it. */
    static String artifact(OperatorContext ctx, java.nio.file.Path file) {
        try {
            return ctx.projectRoot().toAbsolutePath().relativize(file.toAbsolutePath()).toString();
        } catch (IllegalArgumentException e) {
            return file.toString();
        }
    }

    private static long scoreInWarehouse(OperatorContext ctx, Relation target, ChurnResult r, String inputSql) {
        SqlScoring scoring = new SqlScoring(ctx.adapter());
        String id = ctx.string("id_column", "customer_id");
        String input = "(\n" + inputSql + "\n) churn_input";
        String select = scoring.predictionQuery(r, input, id);
        new Swap(ctx.adapter()).replace(ctx.session(), target, RelationKind.TABLE,
                tmp -> ctx.session().execute(ctx.adapter().createTableSql(tmp, select)));
        Object n = ctx.session().query("select count(*) from " + ctx.adapter().render(target)).get(0).values().iterator().next();
        return ((Number) n).longValue();
    }

    /**
     * The metrics table plus, per model, "chosen" (1 for the model that scored) and for the chosen model the
     * population stability index of each feature between its training rows and the rows it scored ("psi_" +
     * feature) and their maximum ("max_psi"): what the ml_min_auc and ml_max_drift tests read.
     */
    static ResultTable withChoiceAndDrift(ChurnResult r, FeatureFrame trained, FeatureFrame scored) {
        List<List<Object>> rows = new java.util.ArrayList<>(r.metricsTable().rows());
        for (String model : r.metrics().keySet()) rows.add(List.of(model, "chosen", model.equals(r.bestModel()) ? 1.0 : 0.0));
        double max = 0;
        for (int j = 0; j < trained.width(); j++) {
            double psi = Drift.psi(Drift.column(trained, j), Drift.column(scored, j), 10);
            max = Math.max(max, psi);
            rows.add(List.of(r.bestModel(), "psi_" + trained.featureNames().get(j), psi));
        }
        rows.add(List.of(r.bestModel(), "max_psi", max));
        return new ResultTable(r.metricsTable().columns(), r.metricsTable().types(), rows);
    }

    /** ROC of the held-out rows for the docs site. */
    private static void writeInsights(OperatorContext ctx, FeatureFrame frame, ChurnResult r) {
        int[] test = r.split().test();
        double[] scores = new double[test.length];
        int[] labels = new int[test.length];
        Map<Object, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < r.predictions().size(); i++) index.put(r.predictions().get(i, "id"), i);
        for (int j = 0; j < test.length; j++) {
            Integer row = index.get(frame.id(test[j]));
            scores[j] = ((Number) r.predictions().get(row, "churn_probability")).doubleValue();
            labels[j] = frame.label(test[j]);
        }
        Map<String, Object> churn = new LinkedHashMap<>();
        churn.put("model", ctx.node().name() + " (" + r.bestModel() + ")");
        churn.put("auc", r.metric(r.bestModel(), "auc"));
        churn.put("precision", r.metric(r.bestModel(), "precision"));
        churn.put("recall", r.metric(r.bestModel(), "recall"));
        churn.put("threshold", r.threshold().threshold());
        Metrics.Confusion at = Metrics.Confusion.at(scores, labels, r.threshold().threshold());
        churn.put("threshold_roc", new double[]{at.fp() + at.tn() == 0 ? 0 : (double) at.fp() / (at.fp() + at.tn()), at.recall()});
        churn.put("threshold_objective", r.threshold().objective());
        churn.put("roc", Roc.points(scores, labels, 50));
        churn.put("pr", Roc.precisionRecall(scores, labels, 50));
        new Insights(ctx.targetDir()).put("churn", churn);
    }
}
