package dev.sluice.state;

import dev.sluice.adapter.Relation;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * --defer as dbt does it: a ref() to a node this run does not build reads the state's relation of that node when
 * the node's own relation does not exist in the target; with --favor-state, whenever the state has the node.
 * Ephemeral models are inlined, never deferred.
 */
public final class StateDefer {
    private StateDefer() {
    }

    /** A node that might be deferred: its id, its relation in this target, and whether it is ephemeral. */
    public record Candidate(String uniqueId, Relation relation, boolean ephemeral) {
    }

    /**
     * @param unselected the nodes refs may point to that this run does not build
     * @param exists     whether a relation exists in the current target
     * @return the relation ref() renders for each deferred node
     */
    public static Map<String, Relation> relations(StateManifest state, Collection<Candidate> unselected,
                                                  boolean favorState, Predicate<Relation> exists) {
        Map<String, Relation> out = new LinkedHashMap<>();
        for (Candidate c : unselected) {
            if (c.ephemeral()) continue;
            state.relation(c.uniqueId()).ifPresent(r -> {
                if (r.equals(c.relation())) return;
                if (favorState || !exists.test(c.relation())) out.put(c.uniqueId(), r);
            });
        }
        return out;
    }
}
