package dev.sluice.ml;

import dev.sluice.adapter.DuckDbAdapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.project.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SQL scoring parity and table writing against a real DuckDB file. */
class WarehouseTest {
    @TempDir
    Path dir;
    private DuckDbAdapter adapter;
    private Session session;

    @BeforeEach
    void open() {
        Target t = new Target("test", "dev", "duckdb", null, "main", 1,
                Map.of("type", "duckdb", "path", dir.resolve("wh.duckdb").toString()), null);
        adapter = new DuckDbAdapter(t);
        session = adapter.open();
    }

    @AfterEach
    void close() {
        session.close();
        adapter.close();
    }

    private Relation load(String name, List<Map<String, Object>> rows) {
        return new ScoringParity(adapter, session).load("raw", name, rows);
    }

    @Test
    void churnProbabilitiesMatchInSql() {
        List<Map<String, Object>> rows = Synthetic.churn(400, 17);
        Relation rel = load("customers", rows);
        // The frame is read back through the warehouse, as a DAG node would.
        FeatureFrame f = FeatureFrame.fromQuery(session, "select * from " + adapter.render(rel) + " order by customer_id",
                "customer_id", ChurnTrainerTest.FEATURES_LIST, "churned");
        assertTrue(f.imputedCounts()[0] > 0, "the data has nulls to impute");
        ChurnResult r = new ChurnTrainer().train(f);

        String sql = new SqlScoring(adapter).scoreQuery(r.linear(), rel, "customer_id", "p");
        Map<Object, Double> inSql = new HashMap<>();
        for (Map<String, Object> row : session.query(sql)) inSql.put(row.get("customer_id"), ((Number) row.get("p")).doubleValue());
        double[][] z = r.linear().standardizer().apply(f);
        double[] tribuo = Learners.positiveProbability(r.logisticModel(), f.featureNames().toArray(String[]::new), z);
        assertEquals(400, inSql.size());
        for (int i = 0; i < f.rows(); i++) assertEquals(tribuo[i], inSql.get(f.id(i)), 1e-6, "row " + f.id(i));
    }

    @Test
    void framesReadAsRowsArriveEqualThoseReadFromRowMaps() {
        // Every type a feature query gives (integers, decimals, a hugeint sum, doubles, booleans, nulls), a label
        // written in another case and a label given twice (a row map keeps the last): both reads the same to the bit.
        String sql = """
                select i as "ID", cast(i * 7 % 5 as integer) as small, cast(i as bigint) * 1000003 as big,
                       cast(i / 7.0 as decimal(18, 6)) as dec, sum(i) over (order by i) as running,
                       case when i % 4 = 0 then null else i / 3.0 end as maybe, i % 3 = 0 as flag,
                       cast(i as double) as twice, sqrt(i) as twice, i % 2 = 0 as churned
                from range(1, 300) t(i) order by i""";
        for (List<String> features : List.of(List.<String>of(), List.of("BIG", "twice", "maybe", "dec"))) {
            FeatureFrame read = FeatureFrame.fromQuery(session, sql, "id", features, "churned");
            FeatureFrame mapped = FeatureFrame.fromRows(session.query(sql), "id", features, "churned");
            assertEquals(mapped.featureNames(), read.featureNames());
            assertEquals(mapped.ids(), read.ids());
            assertEquals(List.of(mapped.labels().length), List.of(read.labels().length));
            assertTrue(java.util.Arrays.equals(mapped.labels(), read.labels()));
            assertTrue(java.util.Arrays.equals(mapped.imputedCounts(), read.imputedCounts()));
            for (int i = 0; i < mapped.rows(); i++) {
                for (int j = 0; j < mapped.width(); j++) {
                    assertEquals(Double.doubleToRawLongBits(mapped.value(i, j)), Double.doubleToRawLongBits(read.value(i, j)),
                            "row " + i + ", " + mapped.featureNames().get(j));
                    assertEquals(mapped.isImputed(i, j), read.isImputed(i, j));
                }
            }
        }
        assertEquals(List.of("small", "big", "dec", "running", "maybe", "flag", "twice"),
                FeatureFrame.fromQuery(session, sql, "id", List.of(), "churned").featureNames());
        MlException none = org.junit.jupiter.api.Assertions.assertThrows(MlException.class,
                () -> FeatureFrame.fromQuery(session, "select 1 as id, 2.0 as x where false", "id", List.of(), null));
        assertTrue(none.getMessage().contains("no rows"), none.getMessage());
    }

    @Test
    void forestProbabilitiesMatchInSql() {
        new ScoringParity(adapter, session).forestMatches("raw");
        new ScoringParity(adapter, session).boostedMatches("raw");
        new ScoringParity(adapter, session).predictionsMatch("raw");
    }

    @Test
    void segmentAssignmentsMatchInSql() {
        int[][] truth = new int[1][];
        List<Map<String, Object>> rows = Synthetic.blobs(100, 8, truth);
        rows.get(3).put("spend", null);
        rows.get(150).put("recency", null);
        Relation rel = load("blobs", rows);
        FeatureFrame f = FeatureFrame.fromRows(rows, "customer_id", List.of(), null);
        SegmentationResult r = new Segmenter(Segmenter.Config.defaults().withK(2, 6)).segment(f);

        String sql = new SqlScoring(adapter).assignmentQuery(r.centroidModel(), rel, "customer_id");
        Map<Object, Map<String, Object>> inSql = new HashMap<>();
        for (Map<String, Object> row : session.query(sql)) inSql.put(row.get("customer_id"), row);
        for (int i = 0; i < f.rows(); i++) {
            Map<String, Object> row = inSql.get(f.id(i));
            assertEquals(r.assignments().get(i, "segment_id"), ((Number) row.get("segment_id")).longValue());
            assertEquals((Double) r.assignments().get(i, "distance"), ((Number) row.get("distance")).doubleValue(), 1e-9);
        }
    }

    @Test
    void writesResultTablesAndReplacesThem() {
        ChurnResult r = new ChurnTrainer().train(FeatureFrame.fromRows(Synthetic.churn(300, 2), "customer_id",
                ChurnTrainerTest.FEATURES_LIST, "churned"));
        Relation out = new Relation(null, "ml", "churn_predictions");
        TableWriter w = new TableWriter(adapter);
        assertEquals(300, w.write(session, out, r.predictions()));
        assertEquals(300, w.write(session, out, r.predictions()));
        List<Map<String, Object>> back = session.query("select count(*) as n, count(distinct model_version) as v, "
                + "min(churn_probability) as lo, max(churn_probability) as hi from " + adapter.render(out));
        assertEquals(300L, ((Number) back.get(0).get("n")).longValue());
        assertEquals(1L, ((Number) back.get(0).get("v")).longValue());
        assertTrue(((Number) back.get(0).get("lo")).doubleValue() >= 0 && ((Number) back.get(0).get("hi")).doubleValue() <= 1);
        w.write(session, new Relation(null, "ml", "churn_metrics"), r.metricsTable());
        w.write(session, new Relation(null, "ml", "churn_parameters"), r.parameters());
        assertEquals(List.of("model", "feature", "weight", "original_unit_weight"),
                session.columns(new Relation(null, "ml", "churn_parameters")).stream().map(c -> c.name()).toList());
    }
}
