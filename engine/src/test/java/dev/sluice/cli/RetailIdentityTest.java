package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 002 wf05's identity unification on the sample project: exact e-mail and phone links plus fuzzy name +
 * address and name + phone links (Jaro-Winkler), an identity graph with the rule of every edge, unification
 * statistics, and precision and recall measured twice: by the project itself on its hand-labelled records, and
 * here against the people the generator planted (a second record's id is customers + the person's id; household
 * members at one address are other people).
 */
class RetailIdentityTest extends ProjectTest {
    private static final int CUSTOMERS = 2000;
    private static final String SIZE = "{customers: " + CUSTOMERS + ", months: 1}";

    private CliHarness retail() {
        return CliHarness.copyOf(Path.of("..", "project").toAbsolutePath().normalize(), "retail", tmp, warehouse());
    }

    @Test
    void fuzzyMatchingFindsThePlantedDuplicatesAndNotTheHouseholds() {
        CliHarness p = retail();
        CliHarness.Result r = p.run("build", "--vars", SIZE, "--exclude", "tag:ml+");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("PASS identity_matching_meets_targets"), r.out());
        assertTrue(r.out().contains("PASS identity_links_converged"), r.out());

        // The labelled set: the project's own evaluation, at the targets.
        Map<String, Object> labelled = p.query("select precision, recall, true_pairs from main_silver.slv_identity_match_quality "
                + "where scope = 'unified'").get(0);
        double labelledPrecision = ((Number) labelled.get("precision")).doubleValue();
        double labelledRecall = ((Number) labelled.get("recall")).doubleValue();
        System.out.printf("labelled set: precision %.3f recall %.3f over %s true pairs%n", labelledPrecision, labelledRecall, labelled.get("true_pairs"));
        assertTrue(labelledPrecision >= 0.95 && labelledRecall >= 0.9, labelled.toString());
        assertEquals(24L, ((Number) labelled.get("true_pairs")).longValue(), "pairs of the 57 hand-labelled records that are one person");

        // The sample: pairs of records the unification put together against the pairs the generator planted.
        Map<Long, Long> unified = new HashMap<>();
        for (Map<String, Object> row : p.query("select customer_id, unified_customer_id from main_silver.slv_identity_links")) {
            unified.put(((Number) row.get("customer_id")).longValue(), ((Number) row.get("unified_customer_id")).longValue());
        }
        long planted = 0, found = 0, correct = 0;
        Map<Long, Long> groupSize = new HashMap<>();
        unified.values().forEach(u -> groupSize.merge(u, 1L, Long::sum));
        for (long size : groupSize.values()) found += size * (size - 1) / 2;
        Map<Long, List<Long>> byPerson = new HashMap<>();
        unified.keySet().forEach(id -> byPerson.computeIfAbsent(id > CUSTOMERS ? id - CUSTOMERS : id, k -> new java.util.ArrayList<>()).add(id));
        for (List<Long> records : byPerson.values()) {
            for (int i = 0; i < records.size(); i++) {
                for (int j = i + 1; j < records.size(); j++) {
                    planted++;
                    if (unified.get(records.get(i)).equals(unified.get(records.get(j)))) correct++;
                }
            }
        }
        double precision = correct / (double) found, recall = correct / (double) planted;
        System.out.printf("sample of %d people, %d records: %d planted pairs, %d found, %d correct: precision %.3f recall %.3f%n",
                CUSTOMERS, unified.size(), planted, found, correct, precision, recall);
        assertEquals(CUSTOMERS, byPerson.size());
        assertTrue(planted > 30, "the generator planted second records: " + planted);
        assertTrue(precision >= 0.95 && recall >= 0.9, "precision " + precision + ", recall " + recall);

        // Fuzzy rules did the work exact keys cannot: second records that share no e-mail or phone with their person.
        long fuzzyEdges = ((Number) p.scalar("select count(*) from main_silver.slv_identity_graph where rule in ('name_address', 'name_phone')")).longValue();
        long fuzzyCorrect = ((Number) p.scalar("select count(*) from main_silver.slv_identity_graph where rule in ('name_address', 'name_phone') "
                + "and to_id - from_id = " + CUSTOMERS)).longValue();
        assertTrue(fuzzyEdges > 10 && fuzzyCorrect >= 0.95 * fuzzyEdges, fuzzyCorrect + " of " + fuzzyEdges + " fuzzy edges join a planted pair");

        // The statistics agree with the links: records in, persons out, and each rule's edges.
        Map<String, Object> all = p.query("select records_in, persons_out, edges from main_silver.slv_identity_unification_stats where rule = 'all'").get(0);
        assertEquals((long) unified.size(), ((Number) all.get("records_in")).longValue());
        assertEquals((long) groupSize.size(), ((Number) all.get("persons_out")).longValue());
        assertEquals(p.count("main_silver.slv_customers"), ((Number) all.get("persons_out")).longValue());
        for (Map<String, Object> rule : p.query("select rule, edges from main_silver.slv_identity_unification_stats where rule <> 'all'")) {
            assertEquals(((Number) p.scalar("select count(*) from main_silver.slv_identity_graph where rule = '" + rule.get("rule") + "'")).longValue(),
                    ((Number) rule.get("edges")).longValue(), rule.toString());
        }

        // The threshold is a var: demanding near-identical names leaves fewer fuzzy links.
        CliHarness.Result strict = p.run("run", "-s", "identity_matching", "--vars",
                "{customers: " + CUSTOMERS + ", months: 1, identity_name_threshold: 0.99}");
        assertEquals(0, strict.exitCode(), strict.all());
        long strictEdges = ((Number) p.scalar("select count(*) from main_silver.slv_identity_graph where rule in ('name_address', 'name_phone')")).longValue();
        assertTrue(strictEdges < fuzzyEdges, strictEdges + " fuzzy edges at 0.99 against " + fuzzyEdges + " at 0.9");
    }
}
