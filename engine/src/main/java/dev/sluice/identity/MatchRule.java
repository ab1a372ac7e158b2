package dev.sluice.identity;

import java.util.List;
import java.util.Map;

/**
 * One way two records are recognised as the same person.
 *
 * @param name    the rule's name, written on every edge it makes (e.g. email, name_address)
 * @param exact   columns that must all be equal and present (an exact rule); empty for a similarity rule
 * @param blocks  for a similarity rule, the candidate pairs: records agreeing on every column of at least one
 *                of these key lists are compared (blocking, so that not every pair is scored)
 * @param similar column to its least Jaro-Winkler similarity; every one must be reached, in this order
 */
public record MatchRule(String name, List<String> exact, List<List<String>> blocks, Map<String, Double> similar) {
    public MatchRule {
        exact = List.copyOf(exact);
        blocks = blocks.stream().map(List::copyOf).toList();
        similar = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(similar));
    }

    public boolean isExact() {
        return !exact.isEmpty();
    }

    /** Every column the rule reads. */
    public java.util.Set<String> columns() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>(exact);
        blocks.forEach(out::addAll);
        out.addAll(similar.keySet());
        return out;
    }
}
