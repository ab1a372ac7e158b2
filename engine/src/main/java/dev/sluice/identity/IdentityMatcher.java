package dev.sluice.identity;

import org.apache.commons.text.similarity.JaroWinklerSimilarity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the pairs of records each rule links. Exact rules link records whose key columns are all equal;
 * similarity rules compare only records that share a blocking key and link them when every column reaches its
 * Jaro-Winkler threshold. The result is sorted, so the same records give the same edges in the same order.
 */
public final class IdentityMatcher {
    private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

    private final List<MatchRule> rules;

    public IdentityMatcher(List<MatchRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<MatchEdge> match(List<MatchRecord> records) {
        List<MatchEdge> edges = new ArrayList<>();
        for (MatchRule rule : rules) {
            if (rule.isExact()) edges.addAll(exact(rule, records));
            else edges.addAll(similar(rule, records));
        }
        edges.sort(Comparator.comparing(MatchEdge::rule).thenComparing(e -> e.fromId(), IdentityMatcher::compareIds)
                .thenComparing(e -> e.toId(), IdentityMatcher::compareIds));
        return edges;
    }

    private static List<MatchEdge> exact(MatchRule rule, List<MatchRecord> records) {
        List<MatchEdge> out = new ArrayList<>();
        for (List<MatchRecord> group : groups(records, rule.exact()).values()) {
            for (int i = 0; i < group.size(); i++) {
                for (int j = i + 1; j < group.size(); j++) out.add(edge(group.get(i), group.get(j), rule.name(), 1.0));
            }
        }
        return out;
    }

    private static List<MatchEdge> similar(MatchRule rule, List<MatchRecord> records) {
        List<MatchEdge> out = new ArrayList<>();
        // A pair sharing several blocking keys is scored once.
        Set<List<Object>> seen = new HashSet<>();
        for (List<String> block : rule.blocks()) {
            for (List<MatchRecord> group : groups(records, block).values()) {
                for (int i = 0; i < group.size(); i++) {
                    for (int j = i + 1; j < group.size(); j++) {
                        MatchRecord a = group.get(i), b = group.get(j);
                        if (rule.blocks().size() > 1 && !seen.add(List.of(a.id(), b.id()))) continue;
                        double score = score(rule, a, b);
                        if (score >= 0) out.add(edge(a, b, rule.name(), score));
                    }
                }
            }
        }
        return out;
    }

    /** The least similarity over the rule's columns, or -1 as soon as one falls short or is missing. */
    static double score(MatchRule rule, MatchRecord a, MatchRecord b) {
        double least = 1;
        for (Map.Entry<String, Double> c : rule.similar().entrySet()) {
            String x = a.get(c.getKey()), y = b.get(c.getKey());
            if (x == null || y == null) return -1;
            double s = JARO_WINKLER.apply(x, y);
            if (s < c.getValue()) return -1;
            least = Math.min(least, s);
        }
        return least;
    }

    /** Records by the values of the key columns, in input order; records missing any of them are left out. */
    private static Map<List<String>, List<MatchRecord>> groups(List<MatchRecord> records, List<String> key) {
        Map<List<String>, List<MatchRecord>> out = new LinkedHashMap<>();
        for (MatchRecord r : records) {
            List<String> k = new ArrayList<>(key.size());
            for (String c : key) {
                String v = r.get(c);
                if (v == null) break;
                k.add(v);
            }
            if (k.size() == key.size()) out.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private static MatchEdge edge(MatchRecord a, MatchRecord b, String rule, double score) {
        return compareIds(a.id(), b.id()) <= 0 ? new MatchEdge(a.id(), b.id(), rule, score) : new MatchEdge(b.id(), a.id(), rule, score);
    }

    /** Numbers by value, anything else by its text. */
    static int compareIds(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) return Long.compare(x, y);
        return String.valueOf(a).compareTo(String.valueOf(b));
    }
}
