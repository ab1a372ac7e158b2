package dev.sluice.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.seed.ColumnType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** SQL scores against the JVM's on one warehouse: the same checks for DuckDB and PostgreSQL. */
final class ScoringParity {
    private final Adapter adapter;
    private final Session session;

    ScoringParity(Adapter adapter, Session session) {
        this.adapter = adapter;
        this.session = session;
    }

    /** Loads query-shaped rows as a table, typing each column from its first non-null value. */
    Relation load(String schema, String name, List<Map<String, Object>> rows) {
        List<String> cols = new ArrayList<>(rows.get(0).keySet());
        List<ColumnType> types = new ArrayList<>();
        for (String c : cols) {
            Object v = rows.stream().map(r -> r.get(c)).filter(Objects::nonNull).findFirst().orElseThrow();
            types.add(v instanceof Boolean ? ColumnType.BOOLEAN : v instanceof BigDecimal ? ColumnType.DECIMAL
                    : v instanceof Double ? ColumnType.DOUBLE : ColumnType.BIGINT);
        }
        List<List<Object>> data = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            List<Object> row = new ArrayList<>();
            for (String c : cols) row.add(r.get(c) instanceof Integer i ? (Object) i.longValue() : r.get(c));
            data.add(row);
        }
        Relation rel = new Relation(null, schema, name);
        new TableWriter(adapter).write(session, rel, new ResultTable(cols, types, data));
        return rel;
    }

    /**
     * Trains on synthetic churn rows read back through the warehouse, then checks the forest three ways: its
     * plain trees against Tribuo in the JVM (1e-12) and its SQL against Tribuo (1e-9), on every row.
     */
    void forestMatches(String schema) {
        Relation rel = load(schema, "customers", Synthetic.churn(400, 17));
        FeatureFrame f = FeatureFrame.fromQuery(session, "select * from " + adapter.render(rel) + " order by customer_id",
                "customer_id", ChurnTrainerTest.FEATURES_LIST, "churned");
        assertTrue(f.imputedCounts()[0] > 0, "the data has nulls to impute");
        ChurnResult r = new ChurnTrainer().train(f);
        TreeEnsemble forest = r.forest();
        assertEquals(ChurnTrainer.Config.defaults().trees(), forest.trees().size());
        assertTrue(forest.nodeCount() > 3 * forest.trees().size(), "the trees split: " + forest.nodeCount() + " nodes");

        double[][] z = r.linear().standardizer().apply(f);
        double[] tribuo = Learners.positiveProbability(r.forestModel(), f.featureNames().toArray(String[]::new), z);
        Set<Double> distinct = new HashSet<>();
        for (int i = 0; i < f.rows(); i++) {
            assertEquals(tribuo[i], forest.probability(f.row(i)), 1e-12, "JVM trees, row " + f.id(i));
            distinct.add(tribuo[i]);
        }
        assertTrue(distinct.size() > 50, "probabilities vary across rows: " + distinct.size());

        String sql = new SqlScoring(adapter).scoreQuery(forest, rel, "customer_id", "p");
        Map<Object, Double> inSql = new HashMap<>();
        for (Map<String, Object> row : session.query(sql)) inSql.put(key(row.get("customer_id")), ((Number) row.get("p")).doubleValue());
        assertEquals(f.rows(), inSql.size());
        for (int i = 0; i < f.rows(); i++) assertEquals(tribuo[i], inSql.get(key(f.id(i))), 1e-9, "SQL, row " + f.id(i));
    }

    /**
     * The predictions table as the operator computes it in SQL (chosen model, calibrated, labelled at the chosen
     * threshold) equals the JVM's predictions, for a forest and for a logistic regression.
     */
    void predictionsMatch(String schema) {
        Relation rel = load(schema, "customers_pred", Synthetic.churn(400, 17));
        FeatureFrame f = FeatureFrame.fromQuery(session, "select * from " + adapter.render(rel) + " order by customer_id",
                "customer_id", ChurnTrainerTest.FEATURES_LIST, "churned");
        ChurnResult trained = new ChurnTrainer().train(f);
        for (String model : ChurnTrainer.MODELS) {
            // Every model's SQL is exercised whichever won, by re-deriving the result around each choice.
            ChurnResult r = model.equals(trained.bestModel()) ? trained : new ChurnResult(model, trained.modelVersion(),
                    trained.logisticModel(), trained.forestModel(), trained.boostedModel(), trained.linear(), trained.split(), trained.calibration(),
                    trained.threshold(), trained.predictions(), trained.metricsTable(), trained.parameters(), trained.metrics());
            String sql = new SqlScoring(adapter).predictionQuery(r, adapter.render(rel), "customer_id");
            Map<Object, Map<String, Object>> inSql = new HashMap<>();
            for (Map<String, Object> row : session.query(sql)) inSql.put(key(row.get("id")), row);
            ResultTable jvm = r.score(f);
            assertEquals(f.rows(), inSql.size());
            int positives = 0;
            for (int i = 0; i < f.rows(); i++) {
                Map<String, Object> row = inSql.get(key(f.id(i)));
                assertEquals(((Number) jvm.get(i, "churn_probability")).doubleValue(), ((Number) row.get("churn_probability")).doubleValue(),
                        1e-9, model + " row " + f.id(i));
                assertEquals(((Number) jvm.get(i, "label")).longValue(), ((Number) row.get("label")).longValue(), model + " row " + f.id(i));
                positives += ((Number) row.get("label")).intValue();
            }
            assertTrue(positives > 0 && positives < f.rows(), model + ": the threshold splits the rows, " + positives + " positive");
        }
    }

    /**
     * The boosted trees two ways on every row: compiled to SQL against the JVM (1e-9), and the JVM's trees against a
     * walk of the same trees written here, so the check does not only compare the ensemble with itself.
     */
    void boostedMatches(String schema) {
        Relation rel = load(schema, "customers_gbt", Synthetic.churn(400, 23));
        FeatureFrame f = FeatureFrame.fromQuery(session, "select * from " + adapter.render(rel) + " order by customer_id",
                "customer_id", ChurnTrainerTest.FEATURES_LIST, "churned");
        assertTrue(f.imputedCounts()[0] > 0, "the data has nulls to impute");
        ChurnResult r = new ChurnTrainer().train(f);
        TreeEnsemble gbt = r.boostedModel();
        assertTrue(gbt.trees().size() > 5, "boosting ran rounds: " + gbt.trees().size());
        assertTrue(gbt.nodeCount() > 3 * gbt.trees().size(), "the trees split: " + gbt.nodeCount() + " nodes");
        double[][] z = r.linear().standardizer().apply(f);
        Set<Double> distinct = new HashSet<>();
        double[] jvm = new double[f.rows()];
        for (int i = 0; i < f.rows(); i++) {
            jvm[i] = gbt.probability(f.row(i));
            double margin = gbt.base();
            for (TreeEnsemble.Tree t : gbt.trees()) {
                int n = 0;
                while (t.feature(n) >= 0) n = z[i][t.feature(n)] > t.threshold(n) ? t.greater(n) : t.lessOrEqual(n);
                margin += t.value(n);
            }
            assertEquals(1 / (1 + Math.exp(-margin)), jvm[i], 1e-12, "JVM trees, row " + f.id(i));
            distinct.add(jvm[i]);
        }
        assertTrue(distinct.size() > 50, "probabilities vary across rows: " + distinct.size());
        String sql = new SqlScoring(adapter).scoreQuery(gbt, rel, "customer_id", "p");
        Map<Object, Double> inSql = new HashMap<>();
        for (Map<String, Object> row : session.query(sql)) inSql.put(key(row.get("customer_id")), ((Number) row.get("p")).doubleValue());
        assertEquals(f.rows(), inSql.size());
        for (int i = 0; i < f.rows(); i++) assertEquals(jvm[i], inSql.get(key(f.id(i))), 1e-9, "SQL, row " + f.id(i));
    }

    /** The logistic model's SQL against Tribuo on every row. */
    void logisticMatches(String schema) {
        Relation rel = load(schema, "customers_lr", Synthetic.churn(300, 5));
        FeatureFrame f = FeatureFrame.fromQuery(session, "select * from " + adapter.render(rel) + " order by customer_id",
                "customer_id", ChurnTrainerTest.FEATURES_LIST, "churned");
        ChurnResult r = new ChurnTrainer().train(f);
        String sql = new SqlScoring(adapter).scoreQuery(r.linear(), rel, "customer_id", "p");
        Map<Object, Double> inSql = new HashMap<>();
        for (Map<String, Object> row : session.query(sql)) inSql.put(key(row.get("customer_id")), ((Number) row.get("p")).doubleValue());
        double[] tribuo = Learners.positiveProbability(r.logisticModel(), f.featureNames().toArray(String[]::new),
                r.linear().standardizer().apply(f));
        assertEquals(f.rows(), inSql.size());
        for (int i = 0; i < f.rows(); i++) assertEquals(tribuo[i], inSql.get(key(f.id(i))), 1e-9, "row " + f.id(i));
    }

    /** Ids come back as Integer or Long depending on the driver. */
    private static Object key(Object id) {
        return id instanceof Number n ? n.longValue() : id;
    }
}
