package dev.sluice.identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairwise precision and recall of matching against records labelled with the person they belong to: a pair
 * of records is a true match when their labels are equal. Overall, the pairs are those the unified groups
 * (edges taken transitively) put together; per rule, the pairs the rule links directly.
 *
 * @param scope     "unified" for the groups, else a rule's name
 * @param truePairs pairs of records that are one person
 * @param predicted pairs the matching put together
 * @param correct   predicted pairs that are one person
 */
public record MatchQuality(String scope, long truePairs, long predicted, long correct) {
    public static final String UNIFIED = "unified";

    /** correct / predicted; NaN when nothing was predicted. */
    public double precision() {
        return predicted == 0 ? Double.NaN : correct / (double) predicted;
    }

    /** correct / true pairs; NaN when there are none. */
    public double recall() {
        return truePairs == 0 ? Double.NaN : correct / (double) truePairs;
    }

    public static List<MatchQuality> evaluate(List<MatchRecord> records, Map<Object, String> labels, List<MatchEdge> edges,
                                              List<MatchRule> rules) {
        long truePairs = pairs(count(records, r -> labels.get(r.id())));
        Clusters clusters = new Clusters(records, edges);
        Map<Object, List<MatchRecord>> groups = new LinkedHashMap<>();
        records.forEach(r -> groups.computeIfAbsent(clusters.personOf(r.id()), k -> new ArrayList<>()).add(r));
        long predicted = 0, correct = 0;
        for (List<MatchRecord> g : groups.values()) {
            predicted += pairs(Map.of("", (long) g.size()));
            correct += pairs(count(g, r -> labels.get(r.id())));
        }
        List<MatchQuality> out = new ArrayList<>();
        out.add(new MatchQuality(UNIFIED, truePairs, predicted, correct));
        for (MatchRule rule : rules) {
            long p = 0, c = 0;
            for (MatchEdge e : edges) {
                if (!e.rule().equals(rule.name())) continue;
                p++;
                if (labels.get(e.fromId()).equals(labels.get(e.toId()))) c++;
            }
            out.add(new MatchQuality(rule.name(), truePairs, p, c));
        }
        return out;
    }

    private static Map<String, Long> count(List<MatchRecord> records, java.util.function.Function<MatchRecord, String> label) {
        Map<String, Long> n = new HashMap<>();
        records.forEach(r -> n.merge(label.apply(r), 1L, Long::sum));
        return n;
    }

    private static long pairs(Map<String, Long> counts) {
        long total = 0;
        for (long n : counts.values()) total += n * (n - 1) / 2;
        return total;
    }
}
