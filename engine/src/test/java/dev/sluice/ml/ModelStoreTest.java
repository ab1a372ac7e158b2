package dev.sluice.ml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelStoreTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsModelsProvenanceAndScaling() {
        FeatureFrame f = ChurnTrainerTest.frame(500, 13);
        ChurnResult r = new ChurnTrainer().train(f);
        ModelStore store = new ModelStore(dir.resolve("ml"));
        Path file = store.save("churn_model", r.modelVersion(), r.logisticModel(), ModelStore.describe(r.linear()));
        assertTrue(Files.exists(file) && file.toString().endsWith(r.modelVersion() + ".ser"));
        store.save("churn_model", r.modelVersion() + "-forest", r.forestModel(), Map.of("model", "forest"));

        Model<Label> back = store.load("churn_model", r.modelVersion()).castModel(Label.class);
        String[] names = f.featureNames().toArray(String[]::new);
        double[][] z = r.linear().standardizer().apply(f);
        assertArrayEquals(Learners.positiveProbability(r.logisticModel(), names, z), Learners.positiveProbability(back, names, z), 1e-12);
        Model<Label> forest = store.load("churn_model", r.modelVersion() + "-forest").castModel(Label.class);
        assertArrayEquals(Learners.positiveProbability(r.forestModel(), names, z), Learners.positiveProbability(forest, names, z), 1e-12);

        LinearScorer scorer = ModelStore.linearScorer(store.metadata("churn_model", r.modelVersion()));
        assertEquals(r.linear().probability(f.row(0)), scorer.probability(f.row(0)), 1e-15);
        Map<String, Object> prov = store.provenance("churn_model", r.modelVersion());
        assertTrue(prov.toString().contains("LinearSGDTrainer"), prov.toString());
        // Boosted trees are JSON, not a Tribuo model; they read back as the same trees, scoring alike.
        Path trees = store.saveTrees("churn_model", r.modelVersion() + "-boosted", r.boostedModel(), Map.of("model", "boosted"));
        assertTrue(trees.toString().endsWith(r.modelVersion() + "-boosted.trees.json"));
        TreeEnsemble boosted = store.loadTrees("churn_model", r.modelVersion() + "-boosted");
        assertEquals(r.boostedModel().trees(), boosted.trees());
        assertEquals(r.boostedModel().base(), boosted.base());
        for (int i = 0; i < f.rows(); i++) assertEquals(r.boostedModel().probability(f.row(i)), boosted.probability(f.row(i)));
        assertEquals(List.of(r.modelVersion(), r.modelVersion() + "-boosted", r.modelVersion() + "-forest"), store.versions("churn_model"));
        assertThrows(MlException.class, () -> store.load("churn_model", "missing"));
        assertThrows(MlException.class, () -> store.save("../escape", "v", r.logisticModel(), Map.of()));
    }

    @Test
    void reusedModelsGiveTheSameResultAsTraining() {
        FeatureFrame f = ChurnTrainerTest.frame(500, 13);
        ChurnTrainer trainer = new ChurnTrainer();
        ChurnResult trained = trainer.train(f);
        ModelStore store = new ModelStore(dir.resolve("ml"));
        store.save("churn_model", trained.modelVersion() + ".logistic_regression", trained.logisticModel(), Map.of());
        store.save("churn_model", trained.modelVersion() + ".random_forest", trained.forestModel(), Map.of());
        var logistic = (org.tribuo.classification.sgd.linear.LinearSGDModel) store.load("churn_model", trained.modelVersion() + ".logistic_regression");
        Model<Label> forest = store.load("churn_model", trained.modelVersion() + ".random_forest").castModel(Label.class);
        store.saveTrees("churn_model", trained.modelVersion() + ".boosted_trees", trained.boostedModel(), Map.of());
        TreeEnsemble boosted = store.loadTrees("churn_model", trained.modelVersion() + ".boosted_trees");
        ChurnResult reused = trainer.reuse(f, logistic, forest, boosted, trained.modelVersion());
        assertEquals(trained.predictions(), reused.predictions());
        assertEquals(trained.metrics(), reused.metrics());
        assertEquals(trained.parameters(), reused.parameters());
        // Parts of a version are not listed as versions.
        assertEquals(List.of(), store.versions("churn_model"));
    }

    @Test
    void treesSavedUnderTwoVersionsAreTheBytesOfEachSavedAlone() throws Exception {
        ChurnResult r = new ChurnTrainer().train(ChurnTrainerTest.frame(500, 13));
        ModelStore store = new ModelStore(dir.resolve("ml"));
        Map<String, Map<String, ?>> versions = new java.util.LinkedHashMap<>();
        versions.put("v.boosted_trees", Map.of("fingerprint", "f"));
        versions.put("v", Map.of("best_model", "boosted_trees"));
        store.saveTrees("churn_model", r.boostedModel(), versions);
        ModelStore alone = new ModelStore(dir.resolve("alone"));
        alone.saveTrees("churn_model", "w", r.boostedModel(), Map.of("best_model", "boosted_trees"));
        byte[] expected = Files.readAllBytes(alone.treesFile("churn_model", "w"));
        assertArrayEquals(expected, Files.readAllBytes(store.treesFile("churn_model", "v.boosted_trees")));
        assertArrayEquals(expected, Files.readAllBytes(store.treesFile("churn_model", "v")));
        assertArrayEquals(Files.readAllBytes(alone.metadataFile("churn_model", "w")), Files.readAllBytes(store.metadataFile("churn_model", "v")));
        assertEquals(Map.of("fingerprint", "f"), store.metadata("churn_model", "v.boosted_trees"));
        assertEquals(r.boostedModel().trees(), store.loadTrees("churn_model", "v").trees());
        assertEquals(List.of("v"), store.versions("churn_model"));
    }
}
