package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Schema YAML as dbt reads it: Jinja in property values is rendered with var, env_var and target (but not in
 * descriptions, tests or hooks), and unknown blocks, properties and config keys are warnings naming the file and
 * line with a likely fix, printed once.
 */
class YamlPropertiesTest extends ProjectTest {

    private static long occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1L;
    }

    @Test
    void jinjaInPropertyValuesIsRendered() {
        CliHarness p = copy("shop");
        p.write("models/staging/props.yml", String.join("\n",
                "version: 2",
                "sources:",
                "  - name: raw",
                "    schema: \"{{ target.schema }}\"",
                "    description: \"kept as written: {{ not_rendered_here }}\"",
                "    tables:",
                "      - name: customers_src",
                "        identifier: \"{{ var('customers_table', 'raw_customers') }}\"",
                "models:",
                "  - name: from_source",
                "    description: \"{{ also_not_rendered }}\"",
                "    config:",
                "      alias: \"{{ 'renamed_' ~ var('suffix', 'x') }}\"",
                ""));
        p.write("models/staging/from_source.sql", "select count(*) as n from {{ source('raw', 'customers_src') }}\n");
        // The source names the seed's table, which (as in dbt) makes no dependency: load the seeds first.
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("run", "--vars", "{suffix: y}");
        assertEquals(0, r.exitCode(), r.all());
        long customers = ((Number) p.scalar("select count(*) from main.raw_customers")).longValue();
        assertEquals(customers, ((Number) p.scalar("select n from main.renamed_y")).longValue());
    }

    @Test
    void jinjaInProjectFileConfigsIsRendered() {
        CliHarness p = copy("shop");
        p.write("dbt_project.yml", p.read("dbt_project.yml") + String.join("\n",
                "      extra:",
                "        +alias: \"{{ 'extra_' ~ var('suffix', 'z') }}\"",
                "        +enabled: \"{{ var('extra_on', true) }}\"",
                "        +post-hook: \"select '{{ this }}' as kept_for_run_time\"",
                ""));
        p.write("models/marts/extra.sql", "select 1 as a\n");
        CliHarness.Result r = p.run("build", "--select", "extra", "--vars", "{suffix: q}");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(1L, ((Number) p.scalar("select a from main.extra_q")).longValue());
        p.delete("target/compiled/shop/models/marts/extra.sql");
        r = p.run("compile", "--vars", "{extra_on: false}");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(java.nio.file.Files.exists(p.dir.resolve("target/compiled/shop/models/marts/customers.sql")), r.all());
        assertTrue(!java.nio.file.Files.exists(p.dir.resolve("target/compiled/shop/models/marts/extra.sql")), r.all());
    }

    @Test
    void anUndefinedNameInAPropertyIsAnErrorAtItsLine() {
        CliHarness p = copy("shop");
        p.write("models/staging/props.yml", "version: 2\nmodels:\n  - name: stg_customers\n    config:\n"
                + "      alias: \"{{ no_such_var }}\"\n");
        CliHarness.Result r = p.run("compile");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("models/staging/props.yml:5"), r.err());
        assertTrue(r.err().contains("'no_such_var' is undefined"), r.err());
    }

    @Test
    void unknownKeysAreWarningsWithFileLineAndSuggestion() {
        CliHarness p = copy("shop");
        p.write("models/staging/props.yml", String.join("\n",
                "version: 2",
                "modles:",
                "  - name: x",
                "models:",
                "  - name: stg_customers",
                "    descripton: typo",
                "    config:",
                "      unnique_key: customer_id",
                "    columns:",
                "      - name: customer_id",
                "        data_typ: integer",
                "metrics:",
                "  - name: revenue",
                ""));
        String project = p.read("dbt_project.yml").replace("+materialized: view", "+materialization: view");
        p.write("dbt_project.yml", project + "\nmodel-path: [models]\n");
        p.write("models/marts/orders_copy.sql", "{{ config(\n    materialized='table',\n    uniqe_key='order_id'\n) }}\n"
                + "select * from {{ ref('orders') }}\n");
        CliHarness.Result r = p.run("compile");
        assertEquals(0, r.exitCode(), r.all());
        String out = r.all();
        String[] expected = {
            "models/staging/props.yml:3: unknown block 'modles:', ignored (did you mean 'models'?)",
            "models/staging/props.yml:6: unknown key 'descripton' in model 'stg_customers', ignored (did you mean 'description'?)",
            "models/staging/props.yml:8: unknown config 'unnique_key' in model 'stg_customers', ignored (did you mean 'unique_key'?)",
            "models/staging/props.yml:11: unknown key 'data_typ' in column 'customer_id' of model 'stg_customers', ignored (did you mean 'data_type'?)",
            "models/staging/props.yml:13: 'metrics:' blocks are not supported yet",
            "unknown config '+materialization' under models:, ignored (did you mean '+materialized'?)",
            "unknown key 'model-path' in the project file, ignored (did you mean 'model-paths'?)",
            "models/marts/orders_copy.sql:3: unknown config 'uniqe_key' in config(), ignored (did you mean 'unique_key'?)",
        };
        for (String w : expected) {
            assertEquals(1, occurrences(out, w), "once: " + w + "\n" + out);
        }
        assertTrue(out.contains("dbt_project.yml:") , out);
    }
}
