package dev.sluice.identity;

import org.apache.commons.text.similarity.JaroWinklerSimilarity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        List<List<String>> blocks = rule.blocks();
        List<Block> work = new ArrayList<>();
        for (int k = 0; k < blocks.size(); k++) {
            for (List<MatchRecord> group : groups(records, blocks.get(k)).values()) {
                if (group.size() > 1) work.add(new Block(k, group));
            }
        }
        // Blocks are scored on every core; match() sorts the edges, so the result does not depend on the order.
        return work.parallelStream().flatMap(b -> b.edges(rule).stream()).toList();
    }

    /** The records sharing one value of blocking key number {@code key}. */
    private record Block(int key, List<MatchRecord> members) {
        List<MatchEdge> edges(MatchRule rule) {
            List<MatchEdge> out = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                MatchRecord a = members.get(i);
                for (int j = i + 1; j < members.size(); j++) {
                    MatchRecord b = members.get(j);
                    // A pair sharing several blocking keys is scored under the first of them only: deciding that
                    // from the keys themselves needs no set of every pair seen (millions at 500,000 records).
                    if (sharesEarlierKey(rule.blocks(), key, a, b)) continue;
                    double score = score(rule, a, b);
                    if (score >= 0) out.add(edge(a, b, rule.name(), score));
                }
            }
            return out;
        }
    }

    private static boolean sharesEarlierKey(List<List<String>> blocks, int key, MatchRecord a, MatchRecord b) {
        for (int k = 0; k < key; k++) {
            if (sameKey(blocks.get(k), a, b)) return true;
        }
        return false;
    }

    /** Whether both records have every column of the key, with equal values (how groups() puts them together). */
    private static boolean sameKey(List<String> key, MatchRecord a, MatchRecord b) {
        for (String c : key) {
            String x = a.get(c);
            if (x == null || !x.equals(b.get(c))) return false;
        }
        return true;
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
