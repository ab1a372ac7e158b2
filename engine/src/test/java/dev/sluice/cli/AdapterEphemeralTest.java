package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt-tests-adapter's `ephemeral` suite (tests/adapter/ephemeral/test_ephemeral.py) ported. dbt compares the DDL it
 * writes to target/run/; this engine writes the compiled select to target/compiled/ (no target/run/), so the CTE
 * structure is checked there: the same CTEs, each once, in dependency order.
 */
class AdapterEphemeralTest extends AdapterSuite {

    private static String seedCsv() {
        StringBuilder sb = new StringBuilder("id,first_name,last_name,email,gender,ip_address\n");
        String[] first = {"Jack", "Kathryn", "Gerald", "Bonnie", "Harold", "Jacqueline", "Wanda"};
        for (int i = 1; i <= 100; i++) {
            sb.append(i).append(',').append(first[i % first.length]).append(",Last").append(i).append(",p").append(i)
                    .append("@example.org,").append(i % 3 == 0 ? "Female" : "Male").append(",10.1.").append(i).append(".1\n");
        }
        return sb.toString();
    }

    /** BaseEphemeralMulti.test_ephemeral_multi. */
    @Test
    void ephemeralMulti() {
        CliHarness p = project("test", files(
                "seeds/seed.csv", seedCsv(),
                "models/dependent.sql", """
                        -- multiple ephemeral refs should share a cte
                        select * from {{ref('base')}} where gender = 'Male'
                        union all
                        select * from {{ref('base')}} where gender = 'Female'
                        """,
                "models/double_dependent.sql", """
                        -- base_copy just pulls from base. Make sure the listed
                        -- graph of CTEs all share the same dbt_cte__base cte
                        select * from {{ref('base')}} where gender = 'Male'
                        union all
                        select * from {{ref('base_copy')}} where gender = 'Female'
                        """,
                "models/super_dependent.sql", """
                        select * from {{ref('female_only')}}
                        union all
                        select * from {{ref('double_dependent')}} where gender = 'Male'
                        """,
                "models/base/female_only.sql", "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('base_copy') }} where gender = 'Female'\n",
                "models/base/base.sql", "{{ config(materialized='ephemeral') }}\nselect * from {{ this.schema }}.seed\n",
                "models/base/base_copy.sql", "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('base') }}\n"));
        expect(0, p, "seed");
        expect(0, p, "run");
        assertEquals(Map.of("dependent", "success", "double_dependent", "success", "super_dependent", "success"), results(p));
        relationsEqual(p, "seed", "dependent");
        relationsEqual(p, "seed", "double_dependent");
        relationsEqual(p, "seed", "super_dependent");
        String sql = squeeze(p.read("target/compiled/test/models/double_dependent.sql"));
        assertEquals(squeeze("""
                with __dbt__cte__base as (
                select * from dbt_test.seed
                ),  __dbt__cte__base_copy as (
                select * from __dbt__cte__base
                )-- base_copy just pulls from base. Make sure the listed
                -- graph of CTEs all share the same dbt_cte__base cte
                select * from __dbt__cte__base where gender = 'Male'
                union all
                select * from __dbt__cte__base_copy where gender = 'Female'
                """), sql);
        assertEquals(1, count(p.read("target/compiled/test/models/dependent.sql"), "__dbt__cte__base as ("));
    }

    /** BaseEphemeralNested.test_ephemeral_nested. */
    @Test
    void ephemeralNested() {
        CliHarness p = project("test", files(
                "models/ephemeral_level_two.sql", "{{ config(materialized = \"ephemeral\") }}\nselect * from {{ ref('source_table') }}\n",
                "models/root_view.sql", "select * from {{ref(\"ephemeral\")}}\n",
                "models/ephemeral.sql", "{{ config(materialized = \"ephemeral\") }}\nselect * from {{ref(\"ephemeral_level_two\")}}\n",
                "models/source_table.sql", """
                        {{ config(materialized='table') }}
                        with source_data as (
                            select 1 as id
                            union all
                            select null as id
                        )
                        select *
                        from source_data
                        """));
        expect(0, p, "run");
        assertEquals(Map.of("source_table", "success", "root_view", "success"), results(p));
        String sql = squeeze(p.read("target/compiled/test/models/root_view.sql"));
        Matcher m = Pattern.compile("with__dbt__cte__ephemeral_level_twoas\\(select\\*from(.+)\\),__dbt__cte__ephemeralas\\("
                + "select\\*from__dbt__cte__ephemeral_level_two\\)select\\*from__dbt__cte__ephemeral").matcher(sql);
        assertTrue(m.matches(), sql);
        assertTrue(m.group(1).replace("\"", "").endsWith("dbt_test.source_table"), m.group(1));
        assertEquals(2L, p.count(S + ".root_view"));
    }

    /**
     * BaseEphemeralErrorHandling.test_ephemeral_error_handling: an ephemeral parent whose template fails. dbt reports
     * its dependant skipped with the compilation error; this engine stops before running anything, as with every
     * template error (bad input: exit 2, one line naming file and line), so nothing is built either way.
     */
    @Test
    void ephemeralErrorHandling() {
        CliHarness p = project("test", files(
                "seeds/seed.csv", seedCsv(),
                "models/dependent.sql", "-- base copy is an error\nselect * from {{ref('base_copy')}} where gender = 'Male'\n",
                "models/base/base.sql", "{{ config(materialized='ephemeral') }}\nselect * from {{ this.schema }}.seed\n",
                "models/base/base_copy.sql", "{{ config(materialized='ephemeral') }}\n{{ adapter.invalid_method() }}\nselect * from {{ ref('base') }}\n"));
        CliHarness.Result r = p.run("run");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("Compilation Error in models/base/base_copy.sql:2") && r.all().contains("invalid_method"), r.all());
        assertEquals(null, p.relationType(S, "dependent"));
    }

    private static String squeeze(String s) {
        return s.replaceAll("\\s+", "");
    }

    private static int count(String s, String part) {
        return s.split(Pattern.quote(part), -1).length - 1;
    }
}
