package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt's adapter tests for incremental configs (merge_exclude_columns, incremental_predicates and the legacy
 * predicates) re-created on our engine, plus merge_update_columns, their misuse, and the seed file configs
 * (delimiter, quote_columns, tests on seeds declared under models:).
 */
class IncrementalConfigsTest extends ProjectTest {

    /** The model of dbt's merge_exclude_columns and incremental_predicates tests: two rows, then three. */
    private static final String TWO_THEN_THREE = """
            {%% if not is_incremental() %%}
            select 1 as id, 'hello' as msg, 'blue' as color
            union all
            select 2 as id, 'goodbye' as msg, 'red' as color
            {%% else %%}
            select 1 as id, 'hey' as msg, 'blue' as color
            union all
            select 2 as id, 'yo' as msg, 'green' as color
            union all
            select 3 as id, 'anyway' as msg, 'purple' as color
            {%% endif %%}
            """;

    private CliHarness project(String name, String config, String projectConfig) {
        CliHarness p = copy("shop");
        p.write("models/inc/" + name + ".sql", "{{ config(materialized='incremental', " + config + ") }}\n"
                + TWO_THEN_THREE.formatted());
        if (!projectConfig.isEmpty()) {
            p.write("dbt_project.yml", p.read("dbt_project.yml") + "    inc:\n" + projectConfig);
        }
        return p;
    }

    /** Runs the model twice (full refresh, then incremental) and returns its rows in a stable order. */
    private List<Map<String, Object>> twoRuns(CliHarness p, String model) {
        CliHarness.Result first = p.run("run", "-s", model, "--full-refresh");
        assertEquals(0, first.exitCode(), first.all());
        CliHarness.Result second = p.run("run", "-s", model);
        assertEquals(0, second.exitCode(), second.all());
        assertTrue(second.out().contains("1 of 1 OK"), second.out());
        return p.query("select id, msg, color from main." + model + " order by id, msg");
    }

    private static String rows(String... rows) {
        StringBuilder out = new StringBuilder("[");
        for (String r : rows) {
            String[] f = r.split(",");
            out.append(out.length() > 1 ? ", " : "").append("{id=").append(f[0]).append(", msg=").append(f[1])
                    .append(", color=").append(f[2]).append('}');
        }
        return out.append(']').toString();
    }

    @Test
    void mergeExcludeColumnsKeepsTheExcludedValues() {
        CliHarness p = project("merge_exclude_columns",
                "unique_key='id', incremental_strategy='merge', merge_exclude_columns=['msg']", "");
        assertEquals(rows("1,hello,blue", "2,goodbye,green", "3,anyway,purple"),
                twoRuns(p, "merge_exclude_columns").toString());
    }

    /** dbt's should_full_refresh: full_refresh: false in the config wins over the --full-refresh flag. */
    @Test
    void fullRefreshFalseConfigWinsOverTheFlag() {
        CliHarness p = project("never_rebuilt", "unique_key='id', incremental_strategy='merge', full_refresh=false", "");
        CliHarness.Result first = p.run("run", "-s", "never_rebuilt");
        assertEquals(0, first.exitCode(), first.all());
        CliHarness.Result second = p.run("run", "-s", "never_rebuilt", "--full-refresh");
        assertEquals(0, second.exitCode(), second.all());
        // Merged as an increment (is_incremental() true), not rebuilt from the first query.
        assertEquals(rows("1,hey,blue", "2,yo,green", "3,anyway,purple"),
                p.query("select id, msg, color from main.never_rebuilt order by id, msg").toString());
    }

    @Test
    void mergeUpdateColumnsUpdatesOnlyThose() {
        CliHarness p = project("merge_update_columns",
                "unique_key='id', incremental_strategy='merge', merge_update_columns=['color']", "");
        assertEquals(rows("1,hello,blue", "2,goodbye,green", "3,anyway,purple"),
                twoRuns(p, "merge_update_columns").toString());
    }

    @Test
    void incrementalPredicatesNarrowTheDelete() {
        // The delete skips id 2, so its new version is inserted beside the old one.
        CliHarness p = project("delete_insert_incremental_predicates", "unique_key='id'",
                "      +incremental_predicates: ['id != 2']\n      +incremental_strategy: delete+insert\n");
        assertEquals(rows("1,hey,blue", "2,goodbye,red", "2,yo,green", "3,anyway,purple"),
                twoRuns(p, "delete_insert_incremental_predicates").toString());
    }

    @Test
    void legacyPredicatesConfigWorksTheSame() {
        CliHarness p = project("delete_insert_predicates", "unique_key='id'",
                "      +predicates: ['dbt_internal_dest.id != 2']\n      +incremental_strategy: delete+insert\n");
        assertEquals(rows("1,hey,blue", "2,goodbye,red", "2,yo,green", "3,anyway,purple"),
                twoRuns(p, "delete_insert_predicates").toString());
    }

    @Test
    void incrementalPredicatesNarrowTheMerge() {
        CliHarness p = project("merge_incremental_predicates",
                "unique_key='id', incremental_strategy='merge', incremental_predicates=['dbt_internal_dest.id != 2']", "");
        assertEquals(rows("1,hey,blue", "2,goodbye,red", "2,yo,green", "3,anyway,purple"),
                twoRuns(p, "merge_incremental_predicates").toString());
    }

    /**
     * A custom strategy as dbt's docs define one: a get_incremental_NAME_sql macro given dbt's arg_dict
     * (target_relation, temp_relation, unique_key, dest_columns, incremental_predicates). Here it inserts only the
     * rows whose key is new, narrowed by the model's incremental_predicates; a strategy no macro defines is an error.
     */
    @Test
    void aCustomStrategyMacroAppliesTheNewRows() {
        CliHarness p = project("insert_only", "unique_key='id', incremental_strategy='insert_only', "
                + "incremental_predicates=[\"color != 'nothing'\"]", "");
        p.write("macros/insert_only.sql", """
                {% macro get_incremental_insert_only_sql(arg_dict) %}
                  {%- set cols = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
                  {%- set key = arg_dict['unique_key'] -%}
                  insert into {{ arg_dict['target_relation'] }} ({{ cols }})
                  select {{ cols }} from {{ arg_dict['temp_relation'] }}
                  where {{ key }} not in (select {{ key }} from {{ arg_dict['target_relation'] }})
                  {%- for p in arg_dict['incremental_predicates'] %} and {{ p }}{% endfor %}
                {% endmacro %}
                """);
        // The existing rows keep their first values; only id 3 is new.
        assertEquals(rows("1,hello,blue", "2,goodbye,red", "3,anyway,purple"), twoRuns(p, "insert_only").toString());

        p.write("models/inc/insert_only.sql", p.read("models/inc/insert_only.sql").replace("'insert_only'", "'upsert_magic'"));
        CliHarness.Result r = p.run("run", "-s", "insert_only");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.all().contains("could not find an incremental strategy macro with the name \"get_incremental_upsert_magic_sql\""), r.all());
    }

    @Test
    void misusedMergeConfigsAreRejectedNotIgnored() {
        CliHarness p = project("both", "unique_key='id', merge_update_columns=['color'], merge_exclude_columns=['msg']", "");
        CliHarness.Result r = p.run("run", "-s", "both");
        assertTrue(r.exitCode() != 0, r.all());
        assertTrue(r.all().contains("cannot specify both merge_update_columns and merge_exclude_columns"), r.all());

        p = project("on_append", "incremental_strategy='append', incremental_predicates=['id > 1']", "");
        r = p.run("run", "-s", "on_append");
        assertTrue(r.exitCode() != 0, r.all());
        assertTrue(r.all().contains("incremental_predicates of model 'on_append' apply to the merge and delete+insert"), r.all());

        p = project("typo", "unique_key='id', merge_update_columns=['colour']", "");
        assertEquals(0, p.run("run", "-s", "typo").exitCode());
        r = p.run("run", "-s", "typo");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.all().contains("merge_update_columns names column 'colour', which is not a column of model 'typo'"), r.all());
        assertEquals(rows("1,hello,blue", "2,goodbye,red"),
                p.query("select id, msg, color from main.typo order by id").toString(), "the table is left as it was");
    }

    @Test
    void seedDelimiterAndUnquotedColumns() {
        CliHarness p = copy("shop");
        p.write("seeds/semicolons.csv", "ID;Name;note\n1;Ann;\"a;b\"\n2;Bob;plain\n");
        p.write("seeds/props.yml", """
                version: 2
                seeds:
                  - name: semicolons
                    config:
                      delimiter: ";"
                      quote_columns: false
                """);
        CliHarness.Result r = p.run("seed", "-s", "semicolons");
        assertEquals(0, r.exitCode(), r.all());
        // Unquoted, the names are folded as the warehouse folds unquoted identifiers (DuckDB keeps their case).
        String id = warehouse().isDuckDb() ? "ID" : "id";
        List<Map<String, Object>> cols = p.query("select column_name from information_schema.columns where table_name = 'semicolons' "
                + "order by ordinal_position");
        assertEquals("[{column_name=" + id + "}, {column_name=" + (warehouse().isDuckDb() ? "Name" : "name")
                + "}, {column_name=note}]", cols.toString());
        assertEquals("[{n=a;b}, {n=plain}]", p.query("select note as n from main.semicolons order by 1").toString());

        p.write("seeds/props.yml", p.read("seeds/props.yml").replace("\";\"", "\";;\""));
        r = p.run("seed", "-s", "semicolons");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.all().contains("seed delimiter must be one character"), r.all());
    }

    @Test
    void testsOnASeedDeclaredUnderModelsStillRun() {
        CliHarness p = copy("shop");
        p.write("seeds/codes.csv", "code\n1\n1\n");
        p.write("models/seed_tests.yml", """
                version: 2
                models:
                  - name: codes
                    columns:
                      - name: code
                        tests: [unique]
                """);
        CliHarness.Result r = p.run("build", "-s", "codes");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.all().contains("'codes' is a seed node, but it is specified in the models section"), r.all());
        assertTrue(r.out().contains("FAIL 1 unique_codes_code"), r.out());
    }
}
