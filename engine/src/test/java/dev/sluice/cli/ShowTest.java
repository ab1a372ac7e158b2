package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** engine show: previews a node's or an inline query's rows on the target without building anything. */
class ShowTest extends ProjectTest {

    private static List<String> dataRows(CliHarness.Result r) {
        List<String> table = r.out().lines().filter(l -> l.startsWith("|")).toList();
        return table.subList(2, table.size()); // header and rule
    }

    @Test
    void previewsANodeWithTheDefaultLimitAndWithout() {
        CliHarness p = copy("shop");
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("show", "--select", "stg_orders");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Previewing node 'stg_orders':"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| order_id ") && l.contains("| status ")), r.out());
        assertEquals(5, dataRows(r).size(), r.out());
        // raw_orders.csv has 10 rows; --limit -1 shows them all.
        r = p.run("show", "--select", "stg_orders", "--limit", "-1");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(10, dataRows(r).size(), r.out());
        // Read-only: the previewed model was not built.
        assertNull(p.relationType("main", "stg_orders"));
    }

    @Test
    void inlineQueryAsJson() throws Exception {
        CliHarness p = copy("shop");
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("show", "--inline", "select id, status from {{ ref('raw_orders') }} order by id",
                "--limit", "2", "--output", "json");
        assertEquals(0, r.exitCode(), r.all());
        String json = r.out().lines().filter(l -> l.startsWith("{\"node\"")).findFirst().orElseThrow();
        JsonNode doc = new ObjectMapper().readTree(json);
        assertEquals("inline", doc.get("node").asText());
        assertEquals(2, doc.get("show").size());
        assertEquals(1, doc.get("show").get(0).get("id").asInt());
        assertEquals("returned", doc.get("show").get(0).get("status").asText());
        assertEquals(2, doc.get("show").get(1).get("id").asInt());
        assertEquals("completed", doc.get("show").get(1).get("status").asText());
    }

    @Test
    void unbuiltUpstreamFailsWithTheWarehouseError() {
        CliHarness p = copy("shop");
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("show", "-s", "orders");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.err().contains("stg_orders"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertNull(p.relationType("main", "orders"));
    }

    @Test
    void needsExactlyOneOfSelectOrInline() {
        CliHarness p = copy("shop");
        CliHarness.Result r = p.run("show");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("--select NODE or --inline SQL"), r.err());
    }
}
