package dev.sluice.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeResultTest {

    @Test
    void adapterResponseKeysComeOutInOneOrderWhateverTheCallersMap() {
        // Map.of iterates in an order that changes from JVM to JVM: run_results.json must not.
        NodeResult r = new NodeResult("model.p.m", NodeStatus.SUCCESS, "SKIP (unchanged)", Instant.EPOCH, Instant.EPOCH,
                null, null, Map.of("fingerprint", "ab12", "built_at", "2026-12-01T00:00:00Z", "built_by_run", "r1"));
        assertEquals(List.of("built_at", "built_by_run", "fingerprint"), List.copyOf(r.adapterResponse().keySet()));
        assertEquals("ab12", r.adapterResponse().get("fingerprint"));
        assertThrows(UnsupportedOperationException.class, () -> r.adapterResponse().put("x", 1));
    }

    @Test
    void aNullValueAndAMissingResponseAreKept() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("rows_affected", null);
        withNull.put("code", "SELECT");
        NodeResult r = new NodeResult("model.p.m", NodeStatus.SUCCESS, "OK", null, null, null, null, withNull);
        assertEquals(List.of("code", "rows_affected"), List.copyOf(r.adapterResponse().keySet()));
        assertEquals(Map.of(), new NodeResult("x", NodeStatus.SUCCESS, "OK", null, null, null, null, null).adapterResponse());
    }
}
