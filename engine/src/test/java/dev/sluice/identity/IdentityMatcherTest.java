package dev.sluice.identity;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentityMatcherTest {
    private static MatchRecord rec(long id, String first, String last, String city, String address, String phone) {
        Map<String, String> v = new HashMap<>();
        v.put("first_name", first);
        v.put("last_name", last);
        v.put("city", city);
        v.put("address", address);
        v.put("phone", phone);
        return new MatchRecord(id, v);
    }

    private static final MatchRule PHONE = new MatchRule("phone", List.of("phone"), List.of(), Map.of());
    private static final MatchRule NAME_ADDRESS = new MatchRule("name_address", List.of(), List.of(List.of("city")),
            Map.of("last_name", 0.9, "first_name", 0.9, "address", 0.9));

    @Test
    void exactRulesLinkEqualKeysAndIgnoreMissingOnes() {
        List<MatchEdge> edges = new IdentityMatcher(List.of(PHONE)).match(List.of(
                rec(3, "a", "b", "x", "1", "555"), rec(1, "c", "d", "y", "2", "555"), rec(2, "e", "f", "z", "3", null),
                rec(4, "g", "h", "w", "4", null)));
        assertEquals(List.of(new MatchEdge(1L, 3L, "phone", 1.0)), edges, "smaller id first; two missing phones are no link");
    }

    @Test
    void similarityRulesCompareWithinBlocksAndNeedEveryThreshold() {
        List<MatchRecord> records = List.of(
                rec(1, "jennifer", "martinez", "austin", "123 maple st apt 4", null),
                rec(2, "jenifer", "martinez", "austin", "123 maple st apt 4", null),     // typo: linked
                rec(3, "jennifer", "martinez", "dallas", "123 maple st apt 4", null),    // other block: not compared
                rec(4, "mary", "martinez", "austin", "123 maple st apt 4", null),        // household member: first name differs
                rec(5, "jennifer", "martinez", "austin", "9 oak ave", null));            // other address
        List<MatchEdge> edges = new IdentityMatcher(List.of(NAME_ADDRESS)).match(records);
        assertEquals(1, edges.size(), edges.toString());
        MatchEdge e = edges.get(0);
        assertEquals(List.of(1L, 2L, "name_address"), List.of(e.fromId(), e.toId(), e.rule()));
        assertTrue(e.score() > 0.9 && e.score() < 1, "score is the least similarity: " + e.score());
    }

    @Test
    void aPairSharingSeveralBlocksIsOneEdge() {
        MatchRule rule = new MatchRule("name_phone", List.of(), List.of(List.of("city"), List.of("address")), Map.of("last_name", 0.9));
        List<MatchEdge> edges = new IdentityMatcher(List.of(rule)).match(List.of(
                rec(1, "a", "smith", "austin", "1 main st", null), rec(2, "b", "smith", "austin", "1 main st", null)));
        assertEquals(1, edges.size(), edges.toString());
    }

    @Test
    void blocksOfRepeatedNamesGiveTheEdgesOfScoringEveryCandidatePair() {
        // Few names over many records, so the matcher keeps name similarities per block; the expected edges are
        // found here the plain way: every pair agreeing on a block key, each column's Jaro-Winkler computed.
        String[] firsts = {"anna", "ana", "hannah", "john", "jon", "joan", "mary", "marie"};
        String[] lasts = {"smith", "smyth", "smithe", "jones", "johns", "brown", "browne"};
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        List<MatchRecord> records = new java.util.ArrayList<>();
        for (long id = 1; id <= 300; id++) {
            String first = firsts[r.nextInt(firsts.length)], last = lasts[r.nextInt(lasts.length)];
            Map<String, String> v = new HashMap<>();
            v.put("first_name", r.nextInt(20) == 0 ? null : first);
            v.put("last_name", last);
            v.put("city", r.nextBoolean() ? "austin" : "dallas");
            v.put("last_initial", last.substring(0, 1));
            v.put("first_initial", first.substring(0, 1));
            v.put("address", (r.nextInt(3) + 1) + " main st");
            records.add(new MatchRecord(id, v));
        }
        List<List<String>> blocks = List.of(List.of("city", "last_initial"), List.of("city", "first_initial"));
        Map<String, Double> similar = new java.util.LinkedHashMap<>();
        similar.put("address", 0.9);
        similar.put("last_name", 0.85);
        similar.put("first_name", 0.8);
        MatchRule rule = new MatchRule("name_address", List.of(), blocks, similar);

        org.apache.commons.text.similarity.JaroWinklerSimilarity jw = new org.apache.commons.text.similarity.JaroWinklerSimilarity();
        List<MatchEdge> expected = new java.util.ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            for (int j = i + 1; j < records.size(); j++) {
                MatchRecord a = records.get(i), b = records.get(j);
                boolean candidate = blocks.stream().anyMatch(key -> key.stream().allMatch(c -> a.get(c) != null && a.get(c).equals(b.get(c))));
                if (!candidate) continue;
                double least = 1;
                for (Map.Entry<String, Double> c : similar.entrySet()) {
                    String x = a.get(c.getKey()), y = b.get(c.getKey());
                    double s = x == null || y == null ? -1 : jw.apply(x, y);
                    least = Math.min(least, s < c.getValue() ? -1 : s);
                }
                if (least >= 0) expected.add(new MatchEdge(a.id(), b.id(), "name_address", least));
            }
        }
        List<MatchEdge> edges = new IdentityMatcher(List.of(rule)).match(records);
        assertTrue(expected.size() > 100, "the data links many pairs: " + expected.size());
        assertEquals(new java.util.HashSet<>(expected), new java.util.HashSet<>(edges));
        assertEquals(expected.size(), edges.size(), "each pair once");
    }

    @Test
    void qualityCountsPairsAfterGroupingAndPerRule() {
        // 1-2-3 are one person (linked 1-2 by phone and 2-3 by name_address, so 1-3 follows), 4 is another whom
        // name_address wrongly joins to 3; 5 is one person with 6, never linked.
        List<MatchRecord> records = List.of(rec(1, "", "", "", "", ""), rec(2, "", "", "", "", ""), rec(3, "", "", "", "", ""),
                rec(4, "", "", "", "", ""), rec(5, "", "", "", "", ""), rec(6, "", "", "", "", ""));
        Map<Object, String> labels = Map.of(1L, "A", 2L, "A", 3L, "A", 4L, "B", 5L, "C", 6L, "C");
        List<MatchEdge> edges = List.of(new MatchEdge(1L, 2L, "phone", 1), new MatchEdge(2L, 3L, "name_address", 0.95),
                new MatchEdge(3L, 4L, "name_address", 0.92));
        List<MatchQuality> q = MatchQuality.evaluate(records, labels, edges, List.of(PHONE, NAME_ADDRESS));
        // True pairs: 3 in A and 1 in C. The group {1,2,3,4} makes 6 pairs, 3 of them right.
        assertEquals(new MatchQuality("unified", 4, 6, 3), q.get(0));
        assertEquals(0.5, q.get(0).precision(), 1e-12);
        assertEquals(0.75, q.get(0).recall(), 1e-12);
        assertEquals(new MatchQuality("phone", 4, 1, 1), q.get(1));
        assertEquals(new MatchQuality("name_address", 4, 2, 1), q.get(2));
    }
}
