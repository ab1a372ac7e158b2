package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --state, state: and result: selectors and --defer, as README's slim-CI recipe uses them: build prod, keep its
 * target/ as the state, change a model, a macro and a var, and build only what changed (and what depends on it)
 * into a CI schema, reading everything else from prod.
 */
class StateTest extends ProjectTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shop project with a prod and a ci output (schemas prod and ci) and two more models on stg_orders. */
    CliHarness prodAndCi() {
        CliHarness p = copy("shop");
        String out = p.warehouse.output(p.dir);
        p.write("profiles.yml", "shop:\n  target: ci\n  outputs:\n    ci:\n" + out.replace("schema: main", "schema: ci")
                + "    prod:\n" + out.replace("schema: main", "schema: prod"));
        p.write("models/marts/recent_orders.sql",
                "select order_id, status from {{ ref('stg_orders') }} where order_date >= '{{ var(\"cutoff\", \"2024-01-01\") }}'\n");
        p.write("models/marts/order_count.sql", "select count(*) as n from {{ ref('stg_orders') }}\n");
        return p;
    }

    static void copyDir(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path f : walk.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t);
                else Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Set<String> ran(CliHarness p, String type) throws IOException {
        Set<String> out = new TreeSet<>();
        for (JsonNode r : JSON.readTree(p.dir.resolve("target/run_results.json").toFile()).path("results")) {
            String id = r.path("unique_id").asText();
            if (id.startsWith(type + ".")) out.add(id.substring(id.lastIndexOf('.') + 1));
        }
        return out;
    }

    @Test
    void slimCiBuildsOnlyWhatChangedAndReadsTheRestFromProd() throws Exception {
        CliHarness p = prodAndCi();
        CliHarness.Result r = p.run("build", "--target", "prod");
        assertEquals(0, r.exitCode(), r.all());
        copyDir(p.dir.resolve("target"), p.dir.resolve("prod-artifacts"));

        // Nothing changed: nothing is selected.
        r = p.run("ls", "-s", "state:modified", "--state", "prod-artifacts", "--resource-type", "model");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("", r.out().lines().filter(l -> l.startsWith("shop.")).reduce("", String::concat), r.out());

        // A model in the middle, a macro (used by the ephemeral stg_payments, so by orders) and a var.
        p.write("models/staging/stg_customers.sql", p.read("models/staging/stg_customers.sql") + "where id > 0\n");
        p.write("macros/cents_to_dollars.sql", p.read("macros/cents_to_dollars.sql").replace("/ 100", "/ 100.0"));
        String vars = "{cutoff: '2024-01-06'}";

        r = p.run("ls", "-s", "state:modified", "--state", "prod-artifacts", "--vars", vars, "--resource-type", "model", "-o", "name");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(Set.of("stg_customers", "stg_payments", "recent_orders"), Set.copyOf(r.out().strip().lines().toList()), r.out());
        r = p.run("ls", "-s", "state:modified.macros", "--state", "prod-artifacts", "--resource-type", "model", "-o", "name");
        assertEquals(List.of("stg_payments"), r.out().strip().lines().toList(), r.out());
        r = p.run("ls", "-s", "state:modified.vars", "--state", "prod-artifacts", "--vars", vars, "--resource-type", "model", "-o", "name");
        assertEquals(List.of("recent_orders"), r.out().strip().lines().toList(), r.out());
        r = p.run("ls", "-s", "state:modified.body", "--state", "prod-artifacts", "--resource-type", "model", "-o", "name");
        assertEquals(List.of("stg_customers"), r.out().strip().lines().toList(), r.out());

        // The recipe.
        r = p.run("build", "-s", "state:modified+", "--defer", "--state", "prod-artifacts", "--vars", vars);
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(Set.of("stg_customers", "orders", "customers", "recent_orders"), ran(p, "model"), r.out());
        assertEquals(Set.of(), ran(p, "seed"), r.out());
        // Unselected parents were not built in ci but read from prod.
        assertNull(p.relationType("ci", "stg_orders"));
        assertNull(p.relationType("ci", "raw_customers"));
        assertNull(p.relationType("ci", "order_count"));
        String compiled = p.read("target/compiled/shop/models/marts/orders.sql");
        assertTrue(compiled.matches("(?s).*\"?prod\"?\\.\"?stg_orders\"?.*"), compiled);
        assertTrue(p.read("target/compiled/shop/models/staging/stg_customers.sql").matches("(?s).*\"?prod\"?\\.\"?raw_customers\"?.*"));
        // Same rows as prod (the edits change no values), and the var's effect recomputed independently.
        assertEquals(p.query("select * from prod.customers order by customer_id").toString(),
                p.query("select * from ci.customers order by customer_id").toString());
        assertEquals(p.query("select order_id, amount from prod.orders order by order_id").toString(),
                p.query("select order_id, amount from ci.orders order by order_id").toString());
        assertEquals(p.count("prod.stg_orders where order_date >= '2024-01-06'"), p.count("ci.recent_orders"));
        assertTrue(p.count("ci.recent_orders") < p.count("prod.stg_orders"));
    }

    @Test
    void newOldUnmodifiedAndResultSelectors() throws Exception {
        CliHarness p = prodAndCi();
        p.write("models/marts/broken.sql", "select no_such_column from {{ ref('stg_orders') }}\n");
        p.write("models/marts/after_broken.sql", "select * from {{ ref('broken') }}\n");
        CliHarness.Result r = p.run("build", "--target", "prod");
        assertEquals(1, r.exitCode(), r.all());
        copyDir(p.dir.resolve("target"), p.dir.resolve("prod-artifacts"));
        p.write("models/marts/brand_new.sql", "select 1 as x\n");

        r = p.run("ls", "-s", "state:new", "--state", "prod-artifacts", "-o", "name");
        assertEquals(List.of("brand_new"), r.out().strip().lines().toList(), r.out());
        r = p.run("ls", "-s", "state:modified", "--exclude", "state:new", "--state", "prod-artifacts", "-o", "name");
        assertEquals("", r.out().strip(), r.out());
        r = p.run("ls", "-s", "state:old,resource_type:model", "--exclude", "state:unmodified", "--state", "prod-artifacts");
        assertEquals("", r.out().strip(), r.out());
        r = p.run("ls", "-s", "result:error", "--state", "prod-artifacts", "-o", "name");
        assertEquals(List.of("broken"), r.out().strip().lines().toList(), r.out());
        r = p.run("ls", "-s", "result:error+", "--state", "prod-artifacts", "-o", "name", "--resource-type", "model");
        assertEquals(Set.of("broken", "after_broken"), Set.copyOf(r.out().strip().lines().toList()), r.out());
        r = p.run("ls", "-s", "result:skipped", "--state", "prod-artifacts", "-o", "name", "--resource-type", "model");
        assertEquals(List.of("after_broken"), r.out().strip().lines().toList(), r.out());

        // Fix it and retry only what failed, as a CI job would.
        p.write("models/marts/broken.sql", "select order_id from {{ ref('stg_orders') }}\n");
        r = p.run("build", "-s", "result:error+", "result:skipped+", "--state", "prod-artifacts", "--target", "prod");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(Set.of("broken", "after_broken"), ran(p, "model"), r.out());
        assertEquals(p.count("prod.stg_orders"), p.count("prod.after_broken"));
    }

    @Test
    void cloneMakesTheStateRelationsAvailableInTheTarget() throws Exception {
        CliHarness p = prodAndCi();
        assertEquals(0, p.run("build", "--target", "prod").exitCode());
        copyDir(p.dir.resolve("target"), p.dir.resolve("prod-artifacts"));

        CliHarness.Result r = p.run("clone", "--state", "prod-artifacts");
        assertEquals(0, r.exitCode(), r.all());
        // Every model, seed and snapshot but the ephemeral one, as a view onto prod (no zero-copy clone here).
        assertEquals(Set.of("stg_customers", "stg_orders", "orders", "customers", "recent_orders", "order_count"), ran(p, "model"));
        assertEquals(Set.of("raw_customers", "raw_orders", "raw_payments"), ran(p, "seed"));
        assertEquals("view", p.relationType("ci", "customers"));
        assertEquals("view", p.relationType("ci", "raw_orders"));
        assertNull(p.relationType("ci", "stg_payments"));
        assertEquals(p.query("select * from prod.customers order by customer_id").toString(),
                p.query("select * from ci.customers order by customer_id").toString());
        assertTrue(p.read("target/run_results.json").contains("\"success\""));

        // What the target has is kept: a CI build of customers (a table), then clone again.
        r = p.run("build", "-s", "customers", "--defer", "--state", "prod-artifacts", "--exclude", "resource_type:test");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("table", p.relationType("ci", "customers"));
        r = p.run("clone", "--state", "prod-artifacts", "-s", "customers", "orders");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("exists (--full-refresh replaces it)"), r.out());
        assertEquals("table", p.relationType("ci", "customers"));
        // A view made by hand on the CI table stays and reads the clone (PostgreSQL would drop it with the table).
        p.execute("create view ci.customers_seen as select count(*) as n from ci.customers");
        r = p.run("clone", "--state", "prod-artifacts", "-s", "customers", "--full-refresh");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("view", p.relationType("ci", "customers"));
        assertEquals(p.count("prod.customers"), p.count("ci.customers"));
        assertEquals(p.count("prod.customers"), ((Number) p.scalar("select n from ci.customers_seen")).longValue());

        r = p.run("clone", "-s", "customers");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("clone needs --state"), r.err());
    }

    @Test
    void sourceStatusFresherSelectsSourcesLoadedSinceTheState() throws Exception {
        CliHarness p = prodAndCi();
        assertEquals(0, p.run("seed", "--target", "prod").exitCode());
        p.write("models/sources.yml", """
                version: 2
                sources:
                  - name: shop_raw
                    schema: prod
                    config:
                      freshness:
                        warn_after: {count: 100000, period: day}
                    tables:
                      - name: raw_orders
                        loaded_at_field: "cast(order_date as timestamp)"
                      - name: raw_customers
                        loaded_at_field: "cast(signup_date as timestamp)"
                """);
        p.write("models/marts/source_orders.sql", "select * from {{ source('shop_raw', 'raw_orders') }}\n");
        assertEquals(0, p.run("source", "freshness", "--target", "prod").exitCode());
        copyDir(p.dir.resolve("target"), p.dir.resolve("prod-artifacts"));
        // A later order arrives in raw_orders only.
        p.write("seeds/raw_orders.csv", p.read("seeds/raw_orders.csv") + "11,2,2024-02-01,placed\n");
        assertEquals(0, p.run("seed", "--target", "prod", "-s", "raw_orders").exitCode());
        CliHarness.Result r = p.run("source", "freshness", "--target", "prod");
        assertEquals(0, r.exitCode(), r.all());

        r = p.run("ls", "-s", "source_status:fresher+", "--state", "prod-artifacts", "-o", "name");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(Set.of("shop_raw.raw_orders", "source_orders"), Set.copyOf(r.out().strip().lines().toList()), r.out());
        r = p.run("ls", "-s", "source_status:stale", "--state", "prod-artifacts");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("source_status:stale") && r.err().contains("fresher"), r.err());
    }

    @Test
    void badStateIsOneLineExitTwo() throws Exception {
        CliHarness p = prodAndCi();
        CliHarness.Result r = p.run("build", "-s", "state:modified", "--state", "nowhere");
        assertEquals(2, r.exitCode(), r.all());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--state") && r.err().contains("nowhere"), r.err());
        Files.createDirectories(p.dir.resolve("broken-state"));
        Files.writeString(p.dir.resolve("broken-state/manifest.json"), "{not json");
        r = p.run("ls", "-s", "state:modified", "--state", "broken-state");
        assertEquals(2, r.exitCode(), r.all());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("manifest.json"), r.err());
        r = p.run("ls", "-s", "state:modified");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("needs --state"), r.err());
        r = p.run("build", "--defer");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("--defer needs --state"), r.err());
        r = p.run("ls", "-s", "state:modifed", "--state", "nowhere");
        assertEquals(2, r.exitCode(), r.all());
        // Nothing was built by any of these.
        assertNull(p.relationType("ci", "orders"));
    }

    @Test
    void stateFromTheEnvironmentAsDbt() throws Exception {
        CliHarness p = prodAndCi();
        assertEquals(0, p.run("build", "--target", "prod", "-s", "+stg_orders").exitCode());
        copyDir(p.dir.resolve("target"), p.dir.resolve("prod-artifacts"));
        p.write("models/marts/order_count.sql", "select count(*) as n, 1 as one from {{ ref('stg_orders') }}\n");
        for (String var : List.of("DBT_STATE", "ENGINE_STATE")) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int code = Main.run(new String[]{"ls", "-s", "state:modified", "-o", "name", "--project-dir", p.dir.toString(),
                            "--profiles-dir", p.dir.toString()}, new java.io.PrintStream(out, true), System.err,
                    Map.of(var, p.dir.resolve("prod-artifacts").toString()), false);
            assertEquals(0, code, out.toString());
            assertEquals(List.of("order_count"), out.toString().strip().lines().toList(), var + ": " + out);
        }
    }
}
