package dev.sluice.cli;

import dev.sluice.generate.StoreData;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 004's store clustering pipeline in the sample: the generator node writes the Parquet and CSV inputs, the
 * external sources load them, the models merge and preprocess them, two k-means nodes cluster the stores on
 * their need-state mix and on their markets, and one model merges both. Checked against StoreData regenerated
 * here in Java: the loaded sales, each store's need-state shares, and the adjusted Rand index of each clustering
 * against the stores' hidden archetypes, computed here rather than taken from the engine's metrics table.
 */
class RetailStoresTest extends ProjectTest {
    private static final int STORES = 60, WEEKS = 52;

    private CliHarness retail() {
        return CliHarness.copyOf(Path.of("..", "project").toAbsolutePath().normalize(), "retail", tmp, warehouse());
    }

    @Test
    void storesAreClusteredOnInternalAndExternalData() {
        CliHarness p = retail();
        CliHarness.Result r = p.run("build", "--select", "+store_cluster_assignment");
        assertEquals(0, r.exitCode(), r.all());
        for (String f : List.of("internal_sales.parquet", "need_state.csv", "external_sales.parquet", "store_archetypes.csv")) {
            assertTrue(Files.isRegularFile(p.dir.resolve("data/raw").resolve(f)), f);
        }
        assertTrue(r.out().contains("External source store_files.internal_sales: loaded " + STORES * WEEKS * 16 + " rows"), r.out());

        StoreData data = new StoreData(STORES, WEEKS, 42, LocalDate.parse("2025-06-30"));
        // Loaded and merged with need states: every row, the same total.
        Map<String, String> stateOf = new HashMap<>();
        for (List<Object> n : data.needStateRows()) stateOf.put(n.get(0).toString(), n.get(1).toString());
        BigDecimal total = BigDecimal.ZERO;
        Map<Long, Map<String, BigDecimal>> byState = new HashMap<>();
        for (List<Object> s : data.salesRows()) {
            BigDecimal amount = (BigDecimal) s.get(4);
            total = total.add(amount);
            byState.computeIfAbsent(((Number) s.get(0)).longValue(), k -> new HashMap<>())
                    .merge(stateOf.get(s.get(2).toString()), amount, BigDecimal::add);
        }
        assertEquals((long) data.salesRows().size(), p.count("main_stores.stg_store_sales"));
        assertEquals(0, total.compareTo((BigDecimal) p.scalar("select sum(sales_amount) from main_stores.stg_store_sales")));
        assertEquals(0L, ((Number) p.scalar("select count(*) from main_stores.stg_store_sales where need_state is null")).longValue());

        // Need-state shares per store, recomputed.
        for (Map<String, Object> f : p.query("select * from main_stores.store_internal_features")) {
            Map<String, BigDecimal> mine = byState.get(((Number) f.get("store_id")).longValue());
            BigDecimal sum = mine.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(mine.get("Fresh").doubleValue() / sum.doubleValue(), ((Number) f.get("fresh_share")).doubleValue(), 1e-9);
            assertEquals(mine.get("Personal Care").doubleValue() / sum.doubleValue(),
                    ((Number) f.get("personal_care_share")).doubleValue(), 1e-9);
        }

        // Both clusterings find the hidden archetypes; the merged assignment is both cluster ids.
        Map<Long, Long> internal = new HashMap<>(), external = new HashMap<>();
        List<Map<String, Object>> assigned = p.query("select * from main_stores.store_cluster_assignment");
        assertEquals(STORES, assigned.size());
        for (Map<String, Object> a : assigned) {
            long store = ((Number) a.get("store_id")).longValue();
            internal.put(store, ((Number) a.get("internal_cluster")).longValue());
            external.put(store, ((Number) a.get("external_cluster")).longValue());
            assertEquals(a.get("internal_cluster") + "-" + a.get("external_cluster"), a.get("merged_cluster"));
        }
        Map<Long, Long> truthIn = new HashMap<>(), truthEx = new HashMap<>();
        for (int s = 1; s <= STORES; s++) {
            truthIn.put((long) s, (long) data.internalArchetype(s));
            truthEx.put((long) s, (long) data.externalArchetype(s));
        }
        double ariIn = ari(internal, truthIn), ariEx = ari(external, truthEx);
        assertTrue(ariIn >= 0.9, "internal clustering against the archetypes: ARI " + ariIn);
        assertTrue(ariEx >= 0.9, "external clustering against the archetypes: ARI " + ariEx);
        // The two groupings are of different things: the internal clusters do not predict the external ones.
        assertTrue(ari(internal, truthEx) < 0.3, "internal vs external archetypes: " + ari(internal, truthEx));
    }

    @Test
    void seedFoursJobsRunThePipelineInSteps() {
        CliHarness p = retail();
        for (String job : List.of("internal_preprocessing_job", "internal_clustering_job", "external_preprocessing_job",
                "external_clustering_job", "merging_job")) {
            CliHarness.Result r = p.run("job", "run", job);
            assertEquals(0, r.exitCode(), job + ": " + r.all());
        }
        assertEquals((long) STORES, p.count("main_stores.store_cluster_assignment"));
        // The history appends a row when a run starts and one when it ends.
        List<Map<String, Object>> history = p.query("select job, status, tags from main.sluice_job_runs where status <> 'running' "
                + "order by started_at");
        assertEquals(5, history.size(), history.toString());
        assertTrue(history.stream().allMatch(h -> "success".equals(h.get("status"))), history.toString());
        assertTrue(history.get(4).get("tags").toString().contains("merging"), history.toString());
    }

    /** Adjusted Rand index of two labelings of the same items (Hubert and Arabie). */
    static double ari(Map<Long, Long> a, Map<Long, Long> b) {
        Map<List<Long>, Integer> both = new HashMap<>();
        Map<Long, Integer> ca = new HashMap<>(), cb = new HashMap<>();
        for (Long k : a.keySet()) {
            both.merge(List.of(a.get(k), b.get(k)), 1, Integer::sum);
            ca.merge(a.get(k), 1, Integer::sum);
            cb.merge(b.get(k), 1, Integer::sum);
        }
        double index = both.values().stream().mapToDouble(n -> n * (n - 1) / 2.0).sum();
        double sa = ca.values().stream().mapToDouble(n -> n * (n - 1) / 2.0).sum();
        double sb = cb.values().stream().mapToDouble(n -> n * (n - 1) / 2.0).sum();
        double n = a.size() * (a.size() - 1) / 2.0;
        double expected = sa * sb / n, max = (sa + sb) / 2;
        return (index - expected) / (max - expected);
    }
}
