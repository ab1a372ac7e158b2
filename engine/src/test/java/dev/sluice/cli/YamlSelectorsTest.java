package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --selector with selectors.yml, as dbt's YAML selectors: definitions, defaults and mistakes. */
class YamlSelectorsTest extends ProjectTest {

    private static final String SELECTORS = """
            selectors:
              - name: customers_up
                description: A string definition is one criterion, graph operators included.
                definition: '+customers'
              - name: one_up
                definition:
                  method: fqn
                  value: customers
                  parents: true
                  parents_depth: 1
              - name: one_down
                definition: {method: fqn, value: stg_orders, children: true, children_depth: 1}
              - name: around
                definition: {method: fqn, value: stg_orders, childrens_parents: true}
              - name: staging
                definition: {tag: staging}
              - name: staging_again
                definition: {method: selector, value: staging}
              - name: all_but_customers
                definition:
                  union:
                    - method: tag
                      value: staging
                    - 'tag:marts'
                    - exclude:
                        - customers
              - name: staging_orders
                definition:
                  intersection:
                    - tag:staging
                    - '+orders'
              - name: customers_only
                definition: customers
              - name: orders_cautious
                definition: {method: fqn, value: orders, indirect_selection: cautious}
              - name: orders_eager
                definition: {method: fqn, value: orders}
              - name: marts_without_orders
                definition:
                  method: tag
                  value: marts
                  exclude:
                    - {method: fqn, value: orders}
            """;

    private CliHarness project() {
        CliHarness p = copy("shop");
        p.write("selectors.yml", SELECTORS);
        return p;
    }

    private static Set<String> names(CliHarness.Result r) {
        assertEquals(0, r.exitCode(), r.all());
        Set<String> out = new TreeSet<>();
        // Log lines start with a time; the listing does not.
        r.out().lines().filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d.*") && !l.isBlank()).forEach(out::add);
        return out;
    }

    private static Set<String> ls(CliHarness p, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("ls", "-o", "name"));
        all.addAll(List.of(args));
        return names(p.run(all.toArray(String[]::new)));
    }

    @Test
    void definitionsSelectAsTheSameSelectionOnTheCommandLine() {
        CliHarness p = project();
        // Each selector against the --select term dbt documents as its equivalent.
        assertEquals(ls(p, "-s", "+customers"), ls(p, "--selector", "customers_up"));
        assertEquals(ls(p, "-s", "1+customers"), ls(p, "--selector", "one_up"));
        assertEquals(ls(p, "-s", "stg_orders+1"), ls(p, "--selector", "one_down"));
        assertEquals(ls(p, "-s", "@stg_orders"), ls(p, "--selector", "around"));
        assertEquals(ls(p, "-s", "tag:staging"), ls(p, "--selector", "staging"));
        assertEquals(ls(p, "--selector", "staging"), ls(p, "--selector", "staging_again"));
        assertTrue(ls(p, "--selector", "one_up").containsAll(Set.of("customers", "orders", "stg_customers")));
        assertFalse(ls(p, "--selector", "one_up").contains("stg_orders"), "parents_depth 1 stops at orders");
    }

    @Test
    void setOperationsAndExclusions() {
        CliHarness p = project();
        assertEquals(Set.of("orders", "stg_customers", "stg_orders", "stg_payments"),
                ls(p, "--selector", "all_but_customers", "--resource-type", "model"));
        // As in dbt, excluding customers also excludes the tests that come with it, the relationships test of
        // orders (which refers to customers) included.
        Set<String> tests = ls(p, "--selector", "all_but_customers", "--resource-type", "test");
        assertTrue(tests.stream().noneMatch(t -> t.contains("relationships") || t.matches("(unique|not_null)_customers_customer_id")), tests.toString());
        assertTrue(tests.stream().anyMatch(t -> t.contains("orders_order_id")), tests.toString());
        assertEquals(Set.of("stg_orders", "stg_payments"), ls(p, "--selector", "staging_orders", "--resource-type", "model"));
        assertEquals(Set.of("customers"), ls(p, "--selector", "marts_without_orders", "--resource-type", "model"));
    }

    @Test
    void indirectSelectionPerCriterion() {
        CliHarness p = project();
        Set<String> eager = ls(p, "--selector", "orders_eager", "--resource-type", "test");
        Set<String> cautious = ls(p, "--selector", "orders_cautious", "--resource-type", "test");
        assertTrue(eager.stream().anyMatch(t -> t.startsWith("relationships_orders")), eager.toString());
        // Cautious: the relationships test also needs customers, which is not selected.
        Set<String> expected = new TreeSet<>(eager);
        expected.removeIf(t -> t.startsWith("relationships_orders"));
        assertEquals(expected, cautious);
        assertTrue(cautious.contains("assert_order_amount_not_negative"), cautious.toString());
        // The command's --indirect-selection applies to criteria that name none.
        assertEquals(Set.of(), ls(p, "--selector", "orders_eager", "--resource-type", "test", "--indirect-selection", "empty"));
    }

    @Test
    void theDefaultSelectorIsUsedWithoutASelection() throws IOException {
        CliHarness p = copy("shop");
        p.write("selectors.yml", """
                selectors:
                  - name: staging_built
                    default: true
                    definition:
                      union:
                        - '+tag:staging'
                """);
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Using default selector staging_built"), r.out());
        Set<String> ran = new TreeSet<>();
        JsonNode results = new ObjectMapper().readTree(p.dir.resolve("target/run_results.json").toFile()).path("results");
        results.forEach(n -> ran.add(n.path("unique_id").asText().replaceAll("^[a-z_]+\\.shop\\.", "").replaceAll("\\.[0-9a-f]+$", "")));
        // What ran is what ls lists for the same selector (the staging models, their seeds and their tests), but
        // the ephemeral models, which are inlined rather than run.
        Set<String> listed = ls(p, "--selector", "staging_built");
        listed.removeAll(ls(p, "-s", "config.materialized:ephemeral"));
        assertEquals(listed, ran);
        assertTrue(ran.containsAll(Set.of("stg_customers", "stg_orders", "raw_orders", "raw_payments")), ran.toString());
        assertFalse(ran.contains("customers") || ran.contains("orders"), ran.toString());
        // A selection on the command line wins over the default.
        assertEquals(Set.of("customers"), ls(p, "-s", "customers", "--resource-type", "model"));
    }

    @Test
    void showPreviewsTheOneNodeOfASelector() {
        CliHarness p = project();
        assertEquals(0, p.run("build", "-s", "+customers").exitCode());
        CliHarness.Result r = p.run("show", "--selector", "customers_only", "--limit", "2");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("Previewing node 'customers':"), r.out());
        r = p.run("show", "--selector", "staging");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("selector 'staging' selects 3"), r.err());
    }

    @Test
    void jinjaIsRenderedWithTargetAndVars() {
        CliHarness p = copy("shop");
        p.write("selectors.yml", """
                selectors:
                  - name: in_prod
                    default: "{{ target.name == 'prod' }}"
                    definition: tag:marts
                  - name: in_dev
                    default: "{{ target.name == 'dev' }}"
                    definition: "tag:{{ var('layer', 'staging') }}"
                """);
        CliHarness.Result r = p.run("ls", "-o", "name", "--resource-type", "model");
        assertTrue(r.out().contains("Using default selector in_dev"), r.out());
        assertEquals(Set.of("stg_customers", "stg_orders", "stg_payments"), names(r));
        assertEquals(Set.of("customers", "orders"), ls(p, "--selector", "in_dev", "--vars", "{layer: marts}", "--resource-type", "model"));
    }

    @Test
    void mistakesExitTwoWithOneLineAndBuildNothing() {
        CliHarness p = project();
        CliHarness.Result r = p.run("build", "--selector", "custmers_up");
        assertEquals(2, r.exitCode(), r.all());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("no selector named 'custmers_up'") && r.err().contains("did you mean 'customers_up'"), r.err());
        assertFalse(java.nio.file.Files.exists(p.dir.resolve("target/run_results.json")), "nothing built");

        r = p.run("run", "--selector", "staging", "-s", "customers");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("--selector cannot go with --select"), r.err());

        List<String[]> badFiles = List.of(
                new String[]{"selectors:\n  - name: a\n    definition:\n      method: tag\n      value: x\n      chidren: true\n",
                        "selectors.yml:6", "unknown key 'chidren'", "did you mean 'children'"},
                new String[]{"selectors:\n  - name: a\n    defintion: tag:x\n", "selectors.yml:3", "unknown key 'defintion'", "did you mean 'definition'"},
                new String[]{"selectors:\n  - name: a\n    definition: {method: tagg, value: x}\n", "selectors.yml:3", "unknown selection method 'tagg'", "did you mean 'tag'"},
                new String[]{"selectors:\n  - name: a\n    definition: {method: selector, value: b}\n  - name: b\n    definition: tag:x\n",
                        "selectors.yml:3", "selector 'b' is not defined above", ""},
                new String[]{"selectors:\n  - name: a\n    default: true\n    definition: tag:x\n  - name: b\n    default: true\n    definition: tag:y\n",
                        "selectors.yml:6", "both have default: true", ""},
                new String[]{"selectors:\n  - name: a\n    definition:\n      union:\n        - tag:x\n      intersection:\n        - tag:y\n",
                        "selectors.yml:4", "single 'union' or 'intersection' key", ""},
                new String[]{"selectors:\n  - name: a\n    definition: {method: fqn, value: x, children: yes please}\n",
                        "selectors.yml:3", "'children' must be true or false", ""});
        for (String[] bad : badFiles) {
            p.write("selectors.yml", bad[0]);
            r = p.run("build", "--selector", "a");
            String what = bad[0] + " -> " + r.all();
            assertEquals(2, r.exitCode(), what);
            assertEquals(1, r.err().strip().lines().count(), what);
            assertTrue(r.err().contains(bad[1]) && r.err().contains(bad[2]) && r.err().contains(bad[3]), what);
            assertFalse(r.all().contains("Exception"), what);
            assertFalse(java.nio.file.Files.exists(p.dir.resolve("target/run_results.json")), "nothing built: " + what);
        }
    }
}
