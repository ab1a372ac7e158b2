package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt-tests-adapter's `incremental` suites test_incremental_on_schema_change.py and test_incremental_unique_id.py
 * ported with fixtures of our own: the same scenarios (each policy run twice against a table model of the expected
 * result; each form of unique_key after an insert into the seed that adds rows or repeats a key). The suite's
 * merge_exclude_columns and incremental_predicates cases are in IncrementalConfigsTest, its microbatch case in
 * MicrobatchTest.
 */
class AdapterIncrementalTest extends AdapterSuite {

    // ---- test_incremental_on_schema_change.py -------------------------------------------------------------------

    /** The upstream table every schema-change model reads: six products with four attributes. */
    private static final String STOCK = """
            {{ config(materialized='table') }}
            select 1 as id, 'anvil' as sku, 'grey' as colour, 10 as qty, 'A1' as code
            union all select 2, 'bucket', 'red', 20, 'B2'
            union all select 3, 'chisel', 'blue', 30, 'C3'
            union all select 4, 'drill', 'black', 40, 'D4'
            union all select 5, 'easel', 'white', 50, 'E5'
            union all select 6, 'file', 'green', 60, 'F6'
            """;

    /** An incremental model on stock: the first build takes ids 1-3 with firstCols, later runs the new ids with laterCols. */
    private static String incremental(String policy, String firstCols, String laterCols) {
        return "{{ config(materialized='incremental', unique_key='id', on_schema_change='" + policy + "') }}\n"
                + "{% set s = dbt.type_string() %}\n"
                + "with src as (select * from {{ ref('stock') }})\n"
                + "{% if is_incremental() %}\n"
                + "select " + laterCols + " from src where id not in (select id from {{ this }})\n"
                + "{% else %}\n"
                + "select " + firstCols + " from src where id <= 3\n"
                + "{% endif %}\n";
    }

    private static String str(String col) {
        return "cast(" + col + " as {{ s }}) as " + col;
    }

    /** A column of the expected table: the stock column for ids 4-6 (added later), null for 1-3, or the reverse. */
    private static String onlyLater(String col) {
        return "cast(case when id <= 3 then null else " + col + " end as {{ s }}) as " + col;
    }

    private static String onlyFirst(String col) {
        return "cast(case when id > 3 then null else " + col + " end as {{ s }}) as " + col;
    }

    private static String table(String cols) {
        return "{{ config(materialized='table') }}\n{% set s = dbt.type_string() %}\nselect " + cols + " from {{ ref('stock') }}\n";
    }

    private CliHarness schemaChangeProject() {
        return project("osc", files(
                "models/stock.sql", STOCK,
                "models/inc_ignore.sql", incremental("ignore", "id, sku, colour", "id, sku, colour, qty, code"),
                "models/inc_ignore_target.sql", table("id, sku, colour"),
                "models/inc_append.sql", incremental("append_new_columns", "id, " + str("sku") + ", " + str("colour"),
                        "id, " + str("sku") + ", " + str("colour") + ", " + str("qty") + ", " + str("code")),
                "models/inc_append_target.sql", table("id, " + str("sku") + ", " + str("colour") + ", " + onlyLater("qty")
                        + ", " + onlyLater("code")),
                "models/inc_append_remove_one.sql", incremental("append_new_columns", "id, " + str("sku") + ", " + str("colour"),
                        "id, " + str("sku") + ", " + str("qty") + ", " + str("code")),
                "models/inc_append_remove_one_target.sql", table("id, " + str("sku") + ", " + onlyFirst("colour") + ", "
                        + onlyLater("qty") + ", " + onlyLater("code")),
                "models/inc_sync.sql", incremental("sync_all_columns", "id, " + str("sku") + ", " + str("colour"),
                        "id, " + str("sku") + ", " + str("qty") + ", " + str("code")),
                "models/inc_sync_target.sql", table("id, " + str("sku") + ", " + onlyLater("qty") + ", " + onlyLater("code")),
                "models/inc_sync_remove_only.sql", incremental("sync_all_columns", "id, " + str("sku") + ", " + str("colour"),
                        "id, " + str("sku")),
                "models/inc_sync_remove_only_target.sql", table("id, " + str("sku")),
                "models/inc_fail.sql", "{{ config(materialized='incremental', unique_key='id', on_schema_change='fail') }}\n"
                        + "{% if is_incremental() %}select id, sku, colour from {{ ref('stock') }}"
                        + "{% else %}select id, sku, qty from {{ ref('stock') }}{% endif %}\n"));
    }

    /** BaseIncrementalOnSchemaChangeSetup.run_twice_and_assert: three models run twice, then model and target equal. */
    private static void runTwiceAndCompare(CliHarness p, String model) {
        for (int i = 0; i < 2; i++) {
            expect(0, p, "run", "--select", "stock", model, model + "_target");
            assertEquals(3, results(p).size(), results(p).toString());
        }
        assertEquals(6L, p.count(S + "." + model));
        relationsEqual(p, model, model + "_target");
    }

    /** test_run_incremental_ignore: the new columns are left out, the new rows still come in. */
    @Test
    void onSchemaChangeIgnore() {
        CliHarness p = schemaChangeProject();
        runTwiceAndCompare(p, "inc_ignore");
    }

    /** test_run_incremental_append_new_columns, both cases: new columns added (old rows null), removed ones kept (new rows null). */
    @Test
    void onSchemaChangeAppendNewColumns() {
        CliHarness p = schemaChangeProject();
        runTwiceAndCompare(p, "inc_append");
        runTwiceAndCompare(p, "inc_append_remove_one");
        assertEquals(java.util.List.of("id", "sku", "colour", "qty", "code"), columns(p, "inc_append_remove_one"));
    }

    /** test_run_incremental_sync_all_columns, both cases: the table's columns become the query's. */
    @Test
    void onSchemaChangeSyncAllColumns() {
        CliHarness p = schemaChangeProject();
        runTwiceAndCompare(p, "inc_sync");
        runTwiceAndCompare(p, "inc_sync_remove_only");
        assertEquals(java.util.List.of("id", "sku"), columns(p, "inc_sync_remove_only"));
    }

    /** test_run_incremental_fail_on_schema_change: an error of the model, the table as it was. */
    @Test
    void onSchemaChangeFail() {
        CliHarness p = schemaChangeProject();
        expect(0, p, "run", "--select", "stock", "inc_fail", "--full-refresh");
        CliHarness.Result r = expect(1, p, "run", "--select", "stock", "inc_fail");
        assertEquals("error", results(p).get("inc_fail"));
        String message = message(p, "inc_fail");
        assertTrue(message.contains("on_schema_change") && message.contains("colour") && message.contains("qty"), message + "\n" + r.all());
        assertEquals(java.util.List.of("id", "sku", "qty"), columns(p, "inc_fail"));
        assertEquals(6L, p.count(S + ".inc_fail"));
    }

    private static String message(CliHarness p, String node) {
        for (JsonNode r : json(p, "target/run_results.json").path("results")) {
            if (r.path("unique_id").asText().endsWith("." + node)) return r.path("message").asText();
        }
        throw new AssertionError("no result for " + node);
    }

    // ---- test_incremental_unique_id.py --------------------------------------------------------------------------

    /** Seven visits; one without a town, so a key over the town has a null in it. */
    private static final String VISITS = """
            region,district,town,last_visit_date
            North,Fells,Ambleside,2020-09-23
            East,Broads,Norwich,2020-02-12
            South,Downs,Lewes,2022-01-01
            West,Moor,Tavistock,2021-04-02
            West,Levels,Glastonbury,2021-04-01
            Midlands,Peak,Buxton,2021-05-21
            Wales,Valleys,,2021-06-18
            """;

    /** add_new_rows.sql: two later visits with new keys; the model grows and still equals the seed. */
    private static final String ADD_NEW_ROWS = "insert into " + S + ".seed (region, district, town, last_visit_date) values "
            + "('Scotland','Highland','Inverness','2022-02-01'), ('Ireland','Antrim','Belfast','2022-02-01')";

    /** duplicate_insert.sql: a later visit repeating the first row's keys; the model overwrites that row. */
    private static final String DUPLICATE_INSERT = "insert into " + S + ".seed (region, district, town, last_visit_date) values "
            + "('North','Fells','Ambleside','2022-02-14')";

    private static String keyed(String uniqueKey, boolean incrementalFilter) {
        return "{{ config(materialized='incremental', unique_key=" + uniqueKey + ") }}\n"
                + "select region, district, town, last_visit_date from {{ ref('seed') }}\n"
                + (incrementalFilter ? "{% if is_incremental() %}\nwhere last_visit_date > (select max(last_visit_date) from {{ this }})\n{% endif %}\n" : "");
    }

    /** The seed after duplicate_insert with the first row replaced by the later visit: what every overwriting key gives. */
    private static final String OVERWRITTEN = """
            {{ config(materialized='table') }}
            select cast('North' as {{ dbt.type_string() }}) as region, cast('Fells' as {{ dbt.type_string() }}) as district,
                   cast('Ambleside' as {{ dbt.type_string() }}) as town, cast('2022-02-14' as date) as last_visit_date
            union all select 'East', 'Broads', 'Norwich', cast('2020-02-12' as date)
            union all select 'South', 'Downs', 'Lewes', cast('2022-01-01' as date)
            union all select 'West', 'Moor', 'Tavistock', cast('2021-04-02' as date)
            union all select 'West', 'Levels', 'Glastonbury', cast('2021-04-01' as date)
            union all select 'Midlands', 'Peak', 'Buxton', cast('2021-05-21' as date)
            union all select 'Wales', 'Valleys', null, cast('2021-06-18' as date)
            """;

    private CliHarness uniqueKeyProject() {
        return project("uid", files(
                "seeds/seed.csv", VISITS,
                "models/trinary_unique_key_list.sql", keyed("['region', 'district', 'town']", true),
                "models/unary_unique_key_list.sql", keyed("['region']", true),
                "models/duplicated_unary_unique_key_list.sql", keyed("['region', 'region']", true),
                "models/str_unique_key.sql", keyed("'region'", true),
                "models/empty_unique_key_list.sql", keyed("[]", true),
                "models/empty_str_unique_key.sql", keyed("''", true),
                "models/no_unique_key.sql", keyed("none", true).replace(", unique_key=none", ""),
                "models/not_found_unique_key.sql", keyed("'thisisnotacolumn'", true),
                "models/not_found_unique_key_list.sql", keyed("['region', 'thisisnotacolumn']", false),
                "models/expected/overwritten.sql", OVERWRITTEN));
    }

    /**
     * SubBaseIncrementalUniqueKey.get_test_fields and check_scenario_correctness: seed and model built afresh, the
     * seed changed by sql, the model run incrementally, and then equal to expected.
     */
    private void scenario(String model, String sql, long seedRows, String expected) {
        CliHarness p = uniqueKeyProject();
        expect(0, p, "seed", "--select", "seed", "--full-refresh");
        assertEquals(1, results(p).size());
        expect(0, p, "run", "--select", model, "--full-refresh");
        assertEquals(Map.of(model, "success"), results(p));
        execute(p, sql);
        assertEquals(seedRows, p.count(S + ".seed"));
        expect(0, p, "run", "--select", model);
        assertEquals(Map.of(model, "success"), results(p));
        if (!expected.equals("seed")) expect(0, p, "run", "--select", expected);
        relationsEqual(p, expected, model);
    }

    @Test
    void emptyUniqueKeyListAppends() {
        scenario("empty_unique_key_list", ADD_NEW_ROWS, 9, "seed");
    }

    @Test
    void noUniqueKeyAppends() {
        scenario("no_unique_key", ADD_NEW_ROWS, 9, "seed");
    }

    @Test
    void emptyStringUniqueKeyAppends() {
        scenario("empty_str_unique_key", ADD_NEW_ROWS, 9, "seed");
    }

    @Test
    void oneStringUniqueKeyOverwrites() {
        scenario("str_unique_key", DUPLICATE_INSERT, 8, "overwritten");
    }

    @Test
    void unaryUniqueKeyListOverwrites() {
        scenario("unary_unique_key_list", DUPLICATE_INSERT, 8, "overwritten");
    }

    @Test
    void duplicatedUnaryUniqueKeyListOverwrites() {
        scenario("duplicated_unary_unique_key_list", DUPLICATE_INSERT, 8, "overwritten");
    }

    @Test
    void trinaryUniqueKeyListOverwrites() {
        scenario("trinary_unique_key_list", DUPLICATE_INSERT, 8, "overwritten");
    }

    /** test__trinary_unique_key_list_no_update: new keys only, so model and seed stay equal. */
    @Test
    void trinaryUniqueKeyListWithNewKeysOnlyAppends() {
        scenario("trinary_unique_key_list", ADD_NEW_ROWS, 9, "seed");
    }

    /** test__bad_unique_key and test__bad_unique_key_list: the incremental run is an error naming the column. */
    @Test
    void uniqueKeyNotInTheModelIsAnError() {
        for (String model : new String[] {"not_found_unique_key", "not_found_unique_key_list"}) {
            CliHarness p = uniqueKeyProject();
            expect(0, p, "seed", "--select", "seed", "--full-refresh");
            // A key is used only when the table exists, so the first (full) build passes.
            expect(0, p, "run", "--select", model, "--full-refresh");
            expect(1, p, "run", "--select", model);
            assertEquals(Map.of(model, "error"), results(p));
            assertTrue(message(p, model).toLowerCase(java.util.Locale.ROOT).contains("thisisnotacolumn"), message(p, model));
            assertEquals(7L, p.count(S + "." + model), "the table is left as it was");
        }
    }

    // ---- on_schema_change with quoted column names (dbt-postgres' special-characters cases) ---------------------

    private static String quoted(String name) {
        return "{{ adapter.quote('" + name + "') }}";
    }

    /** stock with names that need quoting: a reserved word, a space, a dash and a dot. */
    private static final String ODD_STOCK = "{{ config(materialized='table') }}\nselect id, sku as " + quoted("select") + ", colour as "
            + quoted("shelf colour") + ", qty as " + quoted("qty-on-hand") + ", code as " + quoted("code.v2") + " from {{ ref('stock') }}\n";

    private static String oddIncremental(String policy, String firstCols, String laterCols) {
        return incremental(policy, firstCols, laterCols).replace("ref('stock')", "ref('odd_stock')");
    }

    private static String oddStr(String name) {
        return "cast(" + quoted(name) + " as {{ s }}) as " + quoted(name);
    }

    private static String oddOnlyLater(String name) {
        return "cast(case when id <= 3 then null else " + quoted(name) + " end as {{ s }}) as " + quoted(name);
    }

    /** append_new_columns and sync_all_columns add and drop columns whose names must be quoted. */
    @Test
    void onSchemaChangeWithColumnNamesThatNeedQuoting() {
        CliHarness p = project("osc", files(
                "models/stock.sql", STOCK,
                "models/odd_stock.sql", ODD_STOCK,
                "models/odd_append.sql", oddIncremental("append_new_columns", "id, " + oddStr("select") + ", " + oddStr("shelf colour"),
                        "id, " + oddStr("select") + ", " + oddStr("shelf colour") + ", " + oddStr("qty-on-hand") + ", " + oddStr("code.v2")),
                "models/odd_append_target.sql", table("id, " + oddStr("select") + ", " + oddStr("shelf colour") + ", "
                        + oddOnlyLater("qty-on-hand") + ", " + oddOnlyLater("code.v2")).replace("ref('stock')", "ref('odd_stock')"),
                "models/odd_sync.sql", oddIncremental("sync_all_columns", "id, " + oddStr("select") + ", " + oddStr("shelf colour"),
                        "id, " + oddStr("shelf colour") + ", " + oddStr("qty-on-hand") + ", " + oddStr("code.v2")),
                "models/odd_sync_target.sql", table("id, " + oddStr("shelf colour") + ", " + oddOnlyLater("qty-on-hand") + ", "
                        + oddOnlyLater("code.v2")).replace("ref('stock')", "ref('odd_stock')")));
        expect(0, p, "run", "--select", "stock");
        for (String model : new String[] {"odd_append", "odd_sync"}) {
            for (int i = 0; i < 2; i++) expect(0, p, "run", "--select", "odd_stock", model, model + "_target");
            assertEquals(6L, p.count(S + "." + model));
            relationsEqual(p, model, model + "_target");
        }
        assertEquals(java.util.List.of("id", "select", "shelf colour", "qty-on-hand", "code.v2"), columns(p, "odd_append"));
        assertEquals(java.util.List.of("id", "shelf colour", "qty-on-hand", "code.v2"), columns(p, "odd_sync"));
    }

    // ---- incremental strategies (dbt-postgres' get_incremental_strategy_macro test, seen from a project) -------

    /** Each strategy the warehouse has gives dbt's rows; insert_overwrite, which it lacks, is an error naming it. */
    @Test
    void eachIncrementalStrategy() {
        String model = """
                {{ config(materialized='incremental', incremental_strategy='%s', unique_key=%s) }}
                {%% if is_incremental() %%}
                select 2 as id, 'second, changed' as note union all select 3, 'third'
                {%% else %%}
                select 1 as id, 'first' as note union all select 2, 'second'
                {%% endif %%}
                """;
        CliHarness p = project("strategies", files(
                "models/by_default.sql", model.formatted("default", "'id'").replace("incremental_strategy='default', ", ""),
                "models/by_append.sql", model.formatted("append", "none"),
                "models/by_delete_insert.sql", model.formatted("delete+insert", "'id'"),
                "models/by_merge.sql", model.formatted("merge", "'id'"),
                "models/by_insert_overwrite.sql", model.formatted("insert_overwrite", "'id'")));
        expect(0, p, "run", "--exclude", "by_insert_overwrite");
        expect(0, p, "run", "--exclude", "by_insert_overwrite");
        String replaced = "[{id=1, note=first}, {id=2, note=second, changed}, {id=3, note=third}]";
        for (String m : new String[] {"by_default", "by_delete_insert", "by_merge"}) {
            assertEquals(replaced, p.query("select id, note from " + S + "." + m + " order by id, note").toString(), m);
        }
        assertEquals("[{id=1, note=first}, {id=2, note=second}, {id=2, note=second, changed}, {id=3, note=third}]",
                p.query("select id, note from " + S + ".by_append order by id, note").toString());

        // dbt looks the strategy up only once the table exists; it is checked here before the first build too.
        CliHarness.Result r = expect(1, p, "run", "--select", "by_insert_overwrite");
        assertEquals(Map.of("by_insert_overwrite", "error"), results(p));
        assertTrue(message(p, "by_insert_overwrite").contains("'insert_overwrite'"), r.all());
        assertEquals(null, p.relationType(S, "by_insert_overwrite"));
    }
}
