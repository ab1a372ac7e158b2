package dev.sluice.identity;

/**
 * Two records a rule links, the smaller id first.
 *
 * @param score the least similarity of the rule's columns (1 for an exact rule)
 */
public record MatchEdge(Object fromId, Object toId, String rule, double score) {
}
