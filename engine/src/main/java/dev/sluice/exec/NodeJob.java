package dev.sluice.exec;

import dev.sluice.adapter.Session;

/** One node's work in a run: how it is announced and what it does with a warehouse session. */
public interface NodeJob {
    String uniqueId();

    /** The job this one wraps (fingerprints, retries), or itself: what kind of node it runs. */
    default NodeJob unwrapped() {
        return this;
    }

    /** e.g. "sql table model main.orders" or "test not_null_orders_id". */
    String describe();

    /** The resource type word in the final summary: "seed", "view model", "data test"... */
    String kind();

    /** Runs the node. Expected failures are returned as results; an exception is an ERROR. */
    NodeResult execute(Session session);

    /**
     * Asked on the node's session just before it would start: a result when the node need not run because what
     * it would build is already there (see dev.sluice.state.FingerprintTracker); null to run it.
     */
    default NodeResult unchanged(Session session) {
        return null;
    }

    /** What the last execute found worth a warning that did not fail it (a documented column the relation lacks). */
    default java.util.List<String> warnings() {
        return java.util.List.of();
    }
}
