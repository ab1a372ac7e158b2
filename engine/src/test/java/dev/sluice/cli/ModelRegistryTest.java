package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The model registry through the CLI: the first build trains and registers a version; a second build on the same
 * data and configuration reuses it without training (same version, same scores); changed data trains a new
 * version, which the predictions then carry.
 */
class ModelRegistryTest extends ProjectTest {

    @Test
    void unchangedBuildReusesTheModelAndChangedDataTrainsANewVersion() throws Exception {
        CliHarness p = copy("ml_registry");
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("trained model version"), r.all());
        assertFalse(r.out().contains("reusing model version"), r.all());

        List<Map<String, Object>> rows = p.query("select name, version, fingerprint, model_type, metrics, threshold, "
                + "trained_at, training_seconds, provenance, artifact from main_ml.model_registry");
        assertEquals(1, rows.size(), rows.toString());
        Map<String, Object> first = rows.get(0);
        String version = first.get("version").toString();
        assertEquals("churn_model", first.get("name"));
        assertEquals(64, first.get("fingerprint").toString().length());
        assertTrue(first.get("trained_at") != null && ((Number) first.get("training_seconds")).doubleValue() > 0, first.toString());
        assertTrue(Files.isRegularFile(p.dir.resolve(first.get("artifact").toString())), first.toString());
        // Tribuo provenance as JSON, or the boosted trees' settings (trained here, not by Tribuo).
        assertTrue(first.get("provenance").toString().matches("(?s).*(Trainer|boosted_trees).*"), first.toString());
        // The registry's metrics and threshold are those of the chosen model in churn_metrics.
        Map<?, ?> metrics = new ObjectMapper().readValue(first.get("metrics").toString(), Map.class);
        String chosen = first.get("model_type").toString();
        double auc = ((Number) p.scalar("select value from main_ml.churn_metrics where model = '" + chosen + "' and metric = 'auc'")).doubleValue();
        assertEquals(auc, ((Number) metrics.get("auc")).doubleValue(), 1e-12);
        assertTrue(auc > 0.8, "AUC " + auc);
        assertEquals(((Number) metrics.get("threshold")).doubleValue(), ((Number) first.get("threshold")).doubleValue(), 1e-12);
        assertEquals(600L, ((Number) p.scalar("select count(*) from main_ml.churn_predictions where model_version = '" + version + "'")).longValue());

        String scores = p.query("select id, churn_probability, label, model_version from main_ml.churn_predictions order by id").toString();
        String table = p.query("select model, metric, value from main_ml.churn_metrics order by model, metric").toString();

        // Same data, same configuration: the stored model is reused, nothing trains, the outputs are the same.
        r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("reusing model version " + version), r.all());
        assertTrue(r.out().contains("no training"), r.all());
        assertTrue(r.out().contains("model " + version + " reused"), r.all());
        assertFalse(r.out().contains("trained model version"), r.all());
        assertEquals(1L, p.count("main_ml.model_registry"));
        assertEquals(scores, p.query("select id, churn_probability, label, model_version from main_ml.churn_predictions order by id").toString());
        assertEquals(table, p.query("select model, metric, value from main_ml.churn_metrics order by model, metric").toString());

        // Changed data: a new fingerprint, so training and a second version row; predictions carry the new version.
        r = p.run("build", "--vars", "{shift: 3}");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("trained model version"), r.all());
        assertEquals(2L, p.count("main_ml.model_registry"));
        String second = p.scalar("select version from main_ml.model_registry where version <> '" + version + "'").toString();
        assertNotEquals(version, second);
        assertEquals(600L, ((Number) p.scalar("select count(*) from main_ml.churn_predictions where model_version = '" + second + "'")).longValue());

        // A changed configuration retrains too; deleting the model files makes a known fingerprint train again.
        p.write("models/_ml.yml", p.read("models/_ml.yml").replace("seed: 7", "seed: 8"));
        r = p.run("build", "--vars", "{shift: 3}");
        assertTrue(r.out().contains("trained model version"), r.all());
        assertEquals(3L, p.count("main_ml.model_registry"));
        p.write("models/_ml.yml", p.read("models/_ml.yml").replace("seed: 8", "seed: 7"));
        try (var files = Files.list(p.dir.resolve("target/ml/churn_model"))) {
            for (var f : files.filter(f -> f.getFileName().toString().startsWith(version)).toList()) Files.delete(f);
        }
        r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("cannot be reused"), r.all());
        assertTrue(r.out().contains("trained model version " + version), r.all());
        assertEquals(3L, p.count("main_ml.model_registry"), "the retrained version replaces its row");
        assertEquals(scores, p.query("select id, churn_probability, label, model_version from main_ml.churn_predictions order by id").toString(),
                "training is deterministic: the same version scores the same");
    }
}
