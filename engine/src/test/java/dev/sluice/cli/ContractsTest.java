package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt's model contract tests re-created: names and data types of an enforced contract are checked against the
 * query before the build; a mismatch is an error of the model that leaves its previous table in place.
 */
class ContractsTest extends ProjectTest {

    private static final String YAML = """
            version: 2
            models:
              - name: my_model
                config:
                  contract: {enforced: true}
                columns:
                  - name: id
                    data_type: integer
                  - name: color
                    data_type: %s
                  - name: date_day
                    data_type: date
            """;

    @Test
    void aMatchingContractBuildsAndAMismatchFailsLeavingTheTable() {
        CliHarness p = copy("shop");
        p.write("models/contract/my_model.sql", "{{ config(materialized='table') }}\n"
                + "select 1 as id, 'blue' as color, cast('2019-01-01' as date) as date_day\n");
        p.write("models/contract/schema.yml", YAML.formatted("text"));
        CliHarness.Result r = p.run("run", "-s", "my_model");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals(1L, p.count("main.my_model"));

        // Wrong type, a column missing from the query, an extra column in it: all named at once.
        p.write("models/contract/my_model.sql", "{{ config(materialized='table') }}\n"
                + "select 'one' as id, 'blue' as color, 2 as extra union all select 'two', 'red', 3\n");
        r = p.run("run", "-s", "my_model");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("model 'my_model' has an enforced contract that failed"), r.out());
        assertTrue(r.out().contains("column 'id' is "), r.out());
        assertTrue(r.out().contains("column 'date_day' (") && r.out().contains("is in the contract but not returned by the model"), r.out());
        assertTrue(r.out().contains("column 'extra' (") && r.out().contains("returned by the model but not in the contract"), r.out());
        assertEquals(1L, p.count("main.my_model"), "the previous table is untouched");

        // Types compare as the warehouse sees them: varchar and text are one type where the warehouse says so.
        p.write("models/contract/my_model.sql", "{{ config(materialized='table') }}\n"
                + "select 1 as id, cast('blue' as varchar) as color, cast('2019-01-01' as date) as date_day\n");
        p.write("models/contract/schema.yml", YAML.formatted("varchar"));
        r = p.run("run", "-s", "my_model");
        assertEquals(0, r.exitCode(), r.all());

        // Constraints are created with the table (ConstraintsTest covers them): no warning for them any more.
        p.write("models/contract/schema.yml", YAML.formatted("varchar").replace("data_type: integer\n",
                "data_type: integer\n        constraints: [{type: not_null}]\n"));
        r = p.run("run", "-s", "my_model");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(!r.out().contains("'constraints'"), r.out());

        p.write("models/contract/schema.yml", YAML.formatted("varchar").replace("    data_type: date\n", ""));
        r = p.run("run", "-s", "my_model");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("column 'date_day' needs a data_type"), r.out());
    }
}
