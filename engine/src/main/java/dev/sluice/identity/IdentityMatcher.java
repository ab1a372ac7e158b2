package dev.sluice.identity;

import org.apache.commons.text.similarity.JaroWinklerSimilarity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
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
            Similarities sim = new Similarities(rule, members);
            List<MatchEdge> out = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                MatchRecord a = members.get(i);
                for (int j = i + 1; j < members.size(); j++) {
                    double score = sim.score(i, j);
                    if (score < 0) continue;
                    MatchRecord b = members.get(j);
                    // A pair sharing several blocking keys is linked under the first of them only: deciding that
                    // from the keys themselves needs no set of every pair seen (millions at 500,000 records).
                    if (!sharesEarlierKey(rule.blocks(), key, a, b)) out.add(edge(a, b, rule.name(), score));
                }
            }
            return out;
        }
    }

    /**
     * The rule's similarities between the members of one block. A column whose values repeat (names: a city's block
     * holds thousands of records but a few hundred surnames) keeps each pair of values' similarity once computed,
     * and is compared first, so most pairs are rejected by a table look-up. Each score is the least Jaro-Winkler
     * similarity over the columns, as computed pair by pair.
     */
    private static final class Similarities {
        private static final int MAX_MEMO_VALUES = 1024;

        /** One column: its threshold, each member's value as an index into values (-1 when missing), and the
         *  values x values similarities already computed (NaN: not yet), or null when its values hardly repeat. */
        private record Column(double threshold, int[] codes, String[] values, double[] memo) {}

        private final Column[] columns;

        Similarities(MatchRule rule, List<MatchRecord> members) {
            List<Column> cols = new ArrayList<>();
            for (Map.Entry<String, Double> c : rule.similar().entrySet()) {
                Map<String, Integer> dictionary = new HashMap<>();
                int[] codes = new int[members.size()];
                for (int i = 0; i < members.size(); i++) {
                    String v = members.get(i).get(c.getKey());
                    codes[i] = v == null ? -1 : dictionary.computeIfAbsent(v, x -> dictionary.size());
                }
                String[] values = new String[dictionary.size()];
                dictionary.forEach((v, code) -> values[code] = v);
                double[] memo = null;
                if (values.length <= MAX_MEMO_VALUES && 2 * values.length <= members.size()) {
                    memo = new double[values.length * values.length];
                    Arrays.fill(memo, Double.NaN);
                }
                cols.add(new Column(c.getValue(), codes, values, memo));
            }
            // Memoized columns first: the least similarity does not depend on the order it is taken in.
            cols.sort(Comparator.comparing(c -> c.memo() == null));
            columns = cols.toArray(Column[]::new);
        }

        /** The least similarity of members i and j over the rule's columns, or -1 as soon as one falls short or is missing. */
        double score(int i, int j) {
            double least = 1;
            for (Column c : columns) {
                int x = c.codes()[i], y = c.codes()[j];
                if (x < 0 || y < 0) return -1;
                double s;
                if (c.memo() == null) {
                    s = JARO_WINKLER.apply(c.values()[x], c.values()[y]);
                } else {
                    int cell = x * c.values().length + y;
                    s = c.memo()[cell];
                    if (Double.isNaN(s)) c.memo()[cell] = s = JARO_WINKLER.apply(c.values()[x], c.values()[y]);
                }
                if (s < c.threshold()) return -1;
                least = Math.min(least, s);
            }
            return least;
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

    /** Records by the values of the key columns, in input order; records missing any of them are left out. */
    private static Map<List<String>, List<MatchRecord>> groups(List<MatchRecord> records, List<String> key) {
        Map<List<String>, List<MatchRecord>> out = new LinkedHashMap<>();
        for (MatchRecord r : records) {
            List<String> k = keyOf(r, key);
            if (k != null) out.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /**
     * The record's values of the key columns, or null when it lacks one. A method of its own, so that groups' loop
     * stays small: with this inline C2 compiled all of groups two or three times (JFR of a 50,000-customer build).
     */
    private static List<String> keyOf(MatchRecord r, List<String> key) {
        List<String> k = new ArrayList<>(key.size());
        for (String c : key) {
            String v = r.get(c);
            if (v == null) return null;
            k.add(v);
        }
        return k;
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
