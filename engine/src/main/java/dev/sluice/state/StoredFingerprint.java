package dev.sluice.state;

import java.time.Instant;

/**
 * One row of the state table: the fingerprint a node had when it last built successfully.
 *
 * @param builtAt when the build committed (UTC)
 * @param runId   the invocation id of that run (as in run_results.json)
 */
public record StoredFingerprint(Fingerprint fingerprint, Instant builtAt, String runId) {

    public String nodeId() {
        return fingerprint.nodeId();
    }

    /** Whether a fingerprint computed now is the one this row recorded: the node would build the same thing. */
    public boolean matches(Fingerprint now) {
        return fingerprint.fingerprint().equals(now.fingerprint());
    }
}
