package dev.sluice.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GenericTestsTest {

    static final Path SCHEMA = Path.of("models/schema.yml");

    private static String squash(String sql) {
        return sql.replaceAll("\\s+", " ").trim();
    }

    private static String call(TemplateEngine e, String invocation, Map<String, Object> vars) {
        return squash(e.render(SCHEMA, "{{ " + invocation + " }}", vars, Map.of()));
    }

    @Test
    void builtinsAreListedWithUserTests() {
        TemplateEngine e = new TemplateEngine(List.of(new MacroFile(Path.of("macros/t.sql"),
                "{% test is_positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}")));
        assertEquals(Set.of("unique", "not_null", "accepted_values", "relationships", "ml_min_auc", "ml_max_drift", "ml_min_rows",
                "is_positive"), e.genericTests());
        assertEquals("select * from main.t where x <= 0", call(e, "test_is_positive('main.t', 'x')", Map.of()));
    }

    @Test
    void unique() {
        TemplateEngine e = new TemplateEngine(List.of());
        assertEquals("select id as unique_field, count(*) as n_records from main.orders where id is not null "
                + "group by id having count(*) > 1", call(e, "test_unique(model, column_name)",
                Map.of("model", "main.orders", "column_name", "id")));
    }

    /** DuckDB dispatches to its own form: the default's grouping, over the rows the integer-key bitmaps leave. */
    @Test
    void uniqueOnDuckDb() {
        TemplateEngine e = new TemplateEngine(List.of(), new TemplateSettings(null, "duckdb", Map.of()));
        String sql = call(e, "test_unique(model, column_name)", Map.of("model", "main.orders", "column_name", "id"));
        String key = "(case when typeof(id) in ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', "
                + "'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT') then try_cast(id as bigint) end)";
        assertEquals("select id as unique_field, count(*) as n_records from main.orders where id is not null and ( "
                + key + " is null or \">>\"(" + key + ", 6) in ( select \">>\"(" + key + ", 6) from main.orders where "
                + key + " is not null group by \">>\"(" + key + ", 6) having count(*) > bit_count(bit_or(\"<<\"(cast(1 as ubigint), "
                + "cast(\"&\"(" + key + ", 63) as ubigint)))) ) ) group by id having count(*) > 1", sql);
    }

    /** A project's default__test_unique comes before the built-in DuckDB form, as dbt searches the root project first. */
    @Test
    void projectDefaultUniqueWinsOverBuiltinDuckDbForm() {
        TemplateEngine e = new TemplateEngine(List.of(new MacroFile(Path.of("macros/u.sql"),
                "{% macro default__test_unique(model, column_name) %}mine {{ column_name }}{% endmacro %}")),
                new TemplateSettings("p", "duckdb", Map.of()));
        assertEquals("mine id", call(e, "test_unique('m', 'id')", Map.of()));
    }

    @Test
    void notNull() {
        assertEquals("select * from main.orders where id is null",
                call(new TemplateEngine(List.of()), "test_not_null('main.orders', 'id')", Map.of()));
    }

    @Test
    void acceptedValuesQuotedAndNot() {
        TemplateEngine e = new TemplateEngine(List.of());
        String quoted = call(e, "test_accepted_values('main.orders', 'status', ['placed', \"o'k\"])", Map.of());
        assertEquals("with all_values as ( select status as value_field, count(*) as n_records from main.orders "
                + "group by status ) select * from all_values where value_field is not null "
                + "and value_field not in ('placed', 'o''k')", quoted.replace("( '", "('").replace("' )", "')"));
        String unquoted = call(e, "test_accepted_values('main.orders', 'n', [1, 2], quote=False)", Map.of());
        assertTrue(unquoted.replace(" ", "").endsWith("notin(1,2)"), unquoted);
    }

    @Test
    void relationships() {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("to", "main.customers");
        String sql = call(new TemplateEngine(List.of()),
                "test_relationships(model='main.orders', column_name='customer_id', to=to, field='id')", vars);
        assertEquals("with child as ( select customer_id as from_field from main.orders where customer_id is not null ), "
                + "parent as ( select id as to_field from main.customers ) select child.from_field from child "
                + "left join parent on child.from_field = parent.to_field where parent.to_field is null", sql);
    }

    @Test
    void userTestOverridesBuiltin() {
        TemplateEngine e = new TemplateEngine(List.of(new MacroFile(Path.of("macros/t.sql"),
                "{% test not_null(model, column_name) %}custom {{ column_name }}{% endtest %}")));
        assertEquals("custom id", call(e, "test_not_null('m', 'id')", Map.of()));
        assertTrue(e.genericTests().contains("not_null"));
    }
}
