package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt's groups, model access and exposures through the CLI: a private model is ref'd only from its group, with
 * dbt's error naming both nodes; exposures are in manifest.json with their parents and selectable with
 * exposure:name and +exposure:name, never run.
 */
class GroupsExposuresTest extends ProjectTest {

    private static final String GROUPS = """
            version: 2
            groups:
              - name: finance
                owner: {name: Finance Team, email: finance@example.com}
              - name: marketing
                owner: {email: marketing@example.com}
            models:
              - name: revenue
                access: private
                config:
                  group: finance
              - name: finance_report
                config:
                  group: finance
            """;

    private CliHarness project() {
        CliHarness p = copy("shop");
        p.write("models/g/revenue.sql", "select 1 as id, 100 as amount\n");
        p.write("models/g/finance_report.sql", "select * from {{ ref('revenue') }}\n");
        p.write("models/g/schema.yml", GROUPS);
        return p;
    }

    @Test
    void aPrivateModelIsRefdOnlyFromItsGroup() throws Exception {
        CliHarness p = project();
        CliHarness.Result r = p.run("run", "-s", "+finance_report");
        assertEquals(0, r.exitCode(), r.all());
        assertFalse(r.out().contains("'access'") || r.out().contains("'group'"), "no 'not applied' warning: " + r.out());
        assertEquals(100, ((Number) p.scalar("select amount from main.finance_report")).intValue());

        JsonNode manifest = new ObjectMapper().readTree(p.read("target/manifest.json"));
        assertEquals("finance@example.com", manifest.path("groups").path("group.shop.finance").path("owner").path("email").asText());
        assertEquals("private", manifest.path("nodes").path("model.shop.revenue").path("config").path("access").asText());
        assertTrue(manifest.path("group_map").path("finance").toString().contains("model.shop.revenue"));

        // A model of another group (or of none) may not ref it: dbt's error, naming both, exit 2.
        p.write("models/g/campaigns.sql", "{{ config(group='marketing') }}\nselect * from {{ ref('revenue') }}\n");
        r = p.run("run", "-s", "campaigns");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("Node model.shop.campaigns attempted to reference node model.shop.revenue, which is "
                + "not allowed because the referenced node is private to the 'finance' group"), r.all());
        assertTrue(r.all().contains("models/g/campaigns.sql"), r.all());
        p.delete("models/g/campaigns.sql");

        // Tests of the private model are in its group.
        p.write("models/g/schema.yml", GROUPS.replace("    access: private\n",
                "    access: private\n    columns:\n      - name: id\n        data_tests: [unique]\n"));
        r = p.run("build", "-s", "revenue");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("PASS unique_revenue_id") || r.out().contains("unique_revenue_id"), r.out());
        // access: and group: select too.
        r = p.run("ls", "-s", "access:private", "--resource-type", "model");
        assertEquals(List.of("shop.g.revenue"), lines(r));
        r = p.run("ls", "-s", "group:finance", "--resource-type", "model");
        assertEquals(Set.of("shop.g.revenue", "shop.g.finance_report"), new TreeSet<>(lines(r)));
    }

    @Test
    void badGroupsAndAccessAreErrors() {
        CliHarness p = project();
        p.write("models/g/schema.yml", GROUPS.replace("group: finance\n  - name: finance_report", "group: finanse\n  - name: finance_report"));
        CliHarness.Result r = p.run("ls");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("model 'revenue' is in group 'finanse', which no groups: block declares (did you mean 'finance'?)"), r.all());

        p.write("models/g/schema.yml", GROUPS.replace("access: private", "access: secret"));
        r = p.run("ls");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("access of model 'revenue' must be private, protected or public, not 'secret'"), r.all());

        p.write("models/g/schema.yml", GROUPS.replace("    config:\n      group: finance\n  - name: finance_report", "  - name: finance_report"));
        r = p.run("ls");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("model 'revenue' has private access but no group"), r.all());

        p.write("models/g/schema.yml", GROUPS.replace("owner: {email: marketing@example.com}", "description: none"));
        r = p.run("ls");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("models/g/schema.yml:5") && r.all().contains("group 'marketing' needs an owner"), r.all());
    }

    @Test
    void exposuresAreInTheManifestAndSelectable() throws Exception {
        CliHarness p = copy("shop");
        p.write("models/marts/exposures.yml", """
                version: 2
                exposures:
                  - name: weekly_revenue
                    label: Weekly revenue
                    type: dashboard
                    maturity: high
                    url: https://bi.example.com/dashboards/1
                    description: Revenue by week
                    depends_on:
                      - ref('orders')
                      - source('jaffle', 'raw_things')
                    owner:
                      name: Finance
                      email: finance@example.com
                    tags: [finance]
                """);
        p.write("models/staging/sources.yml", """
                version: 2
                sources:
                  - name: jaffle
                    schema: main
                    tables:
                      - name: raw_things
                """);
        CliHarness.Result r = p.run("ls", "-s", "+exposure:weekly_revenue");
        assertEquals(0, r.exitCode(), r.all());
        List<String> listed = lines(r);
        assertTrue(listed.contains("exposure:shop.marts.weekly_revenue"), listed.toString());
        assertTrue(listed.contains("shop.marts.orders"), listed.toString());
        assertTrue(listed.contains("shop.staging.stg_orders"), listed.toString());
        assertTrue(listed.contains("source:shop.jaffle.raw_things"), listed.toString());
        assertFalse(listed.contains("shop.marts.customers"), listed.toString());

        r = p.run("ls", "-s", "exposure:weekly_revenue");
        assertEquals(List.of("exposure:shop.marts.weekly_revenue"), lines(r));
        assertFalse(r.out().contains("not supported"), r.out());

        // +exposure: builds its parents; the exposure itself is never run.
        assertEquals(0, p.run("seed").exitCode());
        r = p.run("run", "-s", "+exposure:weekly_revenue");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("main.orders"), r.out());
        assertFalse(r.out().contains("main.customers "), r.out());

        JsonNode e = new ObjectMapper().readTree(p.read("target/manifest.json")).path("exposures").path("exposure.shop.weekly_revenue");
        assertEquals("dashboard", e.path("type").asText());
        assertEquals("high", e.path("maturity").asText());
        assertEquals("Weekly revenue", e.path("label").asText());
        assertEquals("finance@example.com", e.path("owner").path("email").asText());
        assertEquals(Set.of("model.shop.orders", "source.shop.jaffle.raw_things"),
                new TreeSet<>(List.of(e.path("depends_on").path("nodes").get(0).asText(), e.path("depends_on").path("nodes").get(1).asText())));
        assertEquals("orders", e.path("refs").get(0).path("name").asText());
        assertEquals("[\"jaffle\",\"raw_things\"]", e.path("sources").get(0).toString());
        assertTrue(new ObjectMapper().readTree(p.read("target/manifest.json")).path("nodes").path("exposure.shop.weekly_revenue").isMissingNode());

        // A bad depends_on or type is an error naming the file and line.
        p.write("models/marts/exposures.yml", """
                version: 2
                exposures:
                  - name: weekly_revenue
                    type: report
                    owner: {name: Finance}
                    depends_on: [ref('orders')]
                """);
        r = p.run("ls");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("models/marts/exposures.yml:4") && r.all().contains("not 'report'"), r.all());
        p.write("models/marts/exposures.yml", """
                version: 2
                exposures:
                  - name: weekly_revenue
                    type: dashboard
                    owner: {name: Finance}
                    depends_on: [ref('ordres')]
                """);
        r = p.run("ls");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("'ordres'") && r.all().contains("did you mean 'orders'"), r.all());
    }

    private static List<String> lines(CliHarness.Result r) {
        return r.out().lines().map(String::strip).filter(l -> !l.isEmpty() && !l.matches("\\d\\d:\\d\\d:\\d\\d.*")).toList();
    }
}
