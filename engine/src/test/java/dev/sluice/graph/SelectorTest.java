package dev.sluice.graph;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectorTest {
    private final Dag dag = new Dag();
    private final Map<String, Selector.Candidate> nodes = new LinkedHashMap<>();

    SelectorTest() {
        add("source.p.raw.orders", "source", "orders", List.of("raw", "orders"), null, Map.of(), Set.of());
        add("model.p.stg_orders", "model", "stg_orders", List.of("p", "staging", "stg_orders"), "models/staging/stg_orders.sql",
                Map.of("tags", List.of("daily"), "materialized", "view"), Set.of());
        add("model.p.orders", "model", "orders", List.of("p", "marts", "orders"), "models/marts/orders.sql",
                Map.of("materialized", "table"), Set.of());
        add("model.p.kpis", "model", "kpis", List.of("p", "marts", "kpis"), "models/marts/kpis.sql",
                Map.of("materialized", "table", "tags", List.of("daily", "finance")), Set.of());
        add("test.p.unique_orders_id.x", "test", "unique_orders_id", List.of("p", "unique_orders_id"), "models/marts/schema.yml",
                Map.of(), Set.of("model.p.orders"));
        dag.addEdge("source.p.raw.orders", "model.p.stg_orders");
        dag.addEdge("model.p.stg_orders", "model.p.orders");
        dag.addEdge("model.p.orders", "model.p.kpis");
        dag.addEdge("model.p.orders", "test.p.unique_orders_id.x");
    }

    /** The generic test each test node applies, by node name; a test named elsewhere is singular. */
    private static final Map<String, String> GENERIC_TESTS = Map.of("unique_orders_id", "unique", "rel", "relationships");

    private void add(String id, String type, String name, List<String> fqn, String file, Map<String, Object> config, Set<String> tested) {
        nodes.put(id, new Selector.Candidate(id, type, name, fqn, file == null ? null : Path.of(file), config,
                type.equals("test") ? GENERIC_TESTS.get(name) : null, tested));
        dag.addNode(id);
    }

    private Set<String> select(String... terms) {
        return new Selector(dag, nodes).select(List.of(terms), List.of(), null);
    }

    @Test
    void namesGlobsAndFolders() {
        assertEquals(Set.of("model.p.orders"), select("orders"));
        assertEquals(Set.of("model.p.stg_orders"), select("stg_*"));
        assertEquals(Set.of("model.p.orders", "model.p.kpis"), select("marts"));
        assertEquals(Set.of("model.p.orders", "model.p.kpis"), select("p.marts.*"));
    }

    @Test
    void graphOperators() {
        assertEquals(Set.of("model.p.orders", "model.p.kpis", "test.p.unique_orders_id.x"), select("orders+"));
        assertEquals(Set.of("model.p.orders", "model.p.stg_orders", "source.p.raw.orders"), select("+orders"));
        assertEquals(Set.of("model.p.orders", "model.p.stg_orders"), select("1+orders"));
        assertEquals(Set.of("model.p.stg_orders", "model.p.orders"), select("stg_orders+1"));
        assertTrue(select("@stg_orders").contains("source.p.raw.orders"));
    }

    @Test
    void methodsUnionIntersectionAndExclude() {
        assertEquals(Set.of("model.p.stg_orders", "model.p.kpis"), select("tag:daily"));
        assertEquals(Set.of("model.p.kpis"), select("tag:daily,config.materialized:table"));
        assertEquals(Set.of("model.p.stg_orders", "model.p.orders"), select("stg_orders orders"));
        // As in dbt, generic tests live in their schema file, so path: selects them too.
        assertEquals(Set.of("model.p.orders", "model.p.kpis", "test.p.unique_orders_id.x"), select("path:models/marts"));
        assertEquals(Set.of("source.p.raw.orders", "model.p.stg_orders", "model.p.orders", "model.p.kpis",
                "test.p.unique_orders_id.x"), select("source:raw+"));
        Set<String> s = new Selector(dag, nodes).select(List.of("marts"), List.of("kpis"), IndirectSelection.EAGER);
        assertEquals(Set.of("model.p.orders", "test.p.unique_orders_id.x"), s);
    }

    @Test
    void testNameSelectsGenericTestsByTheirTestAndOthersByName() {
        add("unit_test.p.orders.totals_add_up", "unit_test", "totals_add_up", List.of("p", "orders", "totals_add_up"),
                "models/marts/schema.yml", Map.of(), Set.of("model.p.orders"));
        add("test.p.orders_balance", "test", "orders_balance", List.of("p", "orders_balance"), "tests/orders_balance.sql",
                Map.of(), Set.of("model.p.orders"));
        assertEquals(Set.of("unit_test.p.orders.totals_add_up"), select("test_name:totals_*"));
        // As dbt: a generic test by the test it applies (test_metadata.name), not by its node name.
        assertEquals(Set.of("test.p.unique_orders_id.x"), select("test_name:unique"));
        assertEquals(Set.of(), select("test_name:unique_orders_id"));
        assertEquals(Set.of("test.p.orders_balance"), select("test_name:orders_balance"));
        assertEquals(Set.of("test.p.orders_balance"), select("test_type:singular"));
        assertEquals(Set.of(), select("test_name:orders"));
    }

    @Test
    void indirectSelectionModes() {
        // A test on both kpis and stg_orders, like a relationships test between two models.
        add("test.p.rel.y", "test", "rel", List.of("p", "rel"), "models/marts/schema.yml", Map.of(),
                Set.of("model.p.kpis", "model.p.stg_orders"));
        dag.addEdge("model.p.kpis", "test.p.rel.y");
        dag.addEdge("model.p.stg_orders", "test.p.rel.y");
        Selector s = new Selector(dag, nodes);
        assertTrue(s.select(List.of("kpis"), List.of(), IndirectSelection.EAGER).contains("test.p.rel.y"));
        // stg_orders is upstream of kpis: buildable keeps the test, cautious wants both selected.
        assertTrue(s.select(List.of("+kpis"), List.of(), IndirectSelection.BUILDABLE).contains("test.p.rel.y"));
        assertTrue(s.select(List.of("kpis"), List.of(), IndirectSelection.BUILDABLE).contains("test.p.rel.y"));
        assertTrue(!s.select(List.of("kpis"), List.of(), IndirectSelection.CAUTIOUS).contains("test.p.rel.y"));
        assertTrue(s.select(List.of("kpis", "stg_orders"), List.of(), IndirectSelection.CAUTIOUS).contains("test.p.rel.y"));
        assertEquals(Set.of("model.p.kpis"), s.select(List.of("kpis"), List.of(), IndirectSelection.EMPTY));
        // Excluding a model excludes every test of it, even one that also tests a kept model (as dbt).
        Set<String> all = s.select(List.of(), List.of("stg_orders"), IndirectSelection.EAGER);
        assertTrue(!all.contains("test.p.rel.y") && all.contains("model.p.kpis") && all.contains("test.p.unique_orders_id.x"), all.toString());
        assertTrue(!s.select(List.of("kpis+"), List.of("stg_orders"), IndirectSelection.EAGER).contains("test.p.rel.y"));
        // A test whose other parent is neither selected nor upstream is left out by buildable.
        assertTrue(!s.select(List.of("stg_orders"), List.of(), IndirectSelection.BUILDABLE).contains("test.p.rel.y"));
    }
}
