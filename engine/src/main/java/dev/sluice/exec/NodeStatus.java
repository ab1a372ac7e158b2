package dev.sluice.exec;

/** Outcome of one node, named as in dbt's run_results.json. */
public enum NodeStatus {
    SUCCESS("success"), ERROR("error"), SKIPPED("skipped"), PASS("pass"), FAIL("fail"), WARN("warn"),
    /**
     * Not built because its fingerprint equals the one stored when its relation was built (see dev.sluice.state).
     * Written as "skipped" in run_results.json, the status every dbt artifact reader knows, with the message
     * "SKIP (unchanged)"; unlike a skip after a failure it does not skip what depends on it.
     */
    UNCHANGED("skipped"),
    /** A microbatch model some of whose batches failed: the others' rows are in place, as in dbt. */
    PARTIAL_SUCCESS("partial success");

    private final String json;

    NodeStatus(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    /** Whether nodes downstream must be skipped. */
    public boolean blocksDownstream() {
        return this == ERROR || this == FAIL || this == SKIPPED;
    }
}
