package dev.sluice.state;

import dev.sluice.template.MacroFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each kind of change that state:modified sees, on manifests written as the engine writes them. */
class StateComparisonTest {

    private static Map<String, Object> node(String raw, Map<String, Object> config, String description,
                                            Map<String, Object> columns, List<String> macros, Map<String, String> vars) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("resource_type", "model");
        n.put("raw_code", raw);
        n.put("checksum", Map.of("name", "sha256", "checksum", Digest.sha256(raw)));
        n.put("config", config);
        n.put("description", description);
        n.put("columns", columns);
        n.put("depends_on", Map.of("nodes", List.of(), "macros", macros));
        n.put("vars_used", vars);
        n.put("schema", "whatever_the_target_says");
        return n;
    }

    private static Map<String, Object> manifest(Map<String, Object> nodes, Map<String, Object> macros) {
        return Map.of("nodes", nodes, "macros", macros);
    }

    private static Map<String, Object> macro(String sql, List<String> calls) {
        return Map.of("macro_sql", sql, "depends_on", Map.of("macros", calls));
    }

    @Test
    void everyKindOfChangeHasItsSubSelector() {
        Map<String, Object> view = Map.of("materialized", "view");
        Map<String, Object> cols = Map.of("id", Map.of("name", "id", "description", "key", "data_type", "int"));
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("model.p.same", node("select 1", view, "", cols, List.of("macro.p.outer"), Map.of()));
        before.put("model.p.body", node("select 1", view, "", cols, List.of(), Map.of()));
        before.put("model.p.conf", node("select 1", view, "", cols, List.of(), Map.of()));
        before.put("model.p.rel", node("select 1", view, "", cols, List.of(), Map.of()));
        before.put("model.p.docs", node("select 1", Map.of("persist_docs", Map.of("columns", true)), "", cols, List.of(), Map.of()));
        before.put("model.p.docs_unpersisted", node("select 1", view, "", cols, List.of(), Map.of()));
        before.put("model.p.contract", node("select 1", Map.of("contract", Map.of("enforced", true)), "", cols, List.of(), Map.of()));
        before.put("model.p.vars", node("select 1", view, "", cols, List.of(), Map.of("var.x", "a")));
        before.put("model.p.gone", node("select 1", view, "", cols, List.of(), Map.of()));
        Map<String, Object> macrosBefore = Map.of("macro.p.outer", macro("{% macro outer() %}{{ inner() }}{% endmacro %}", List.of("macro.p.inner")),
                "macro.p.inner", macro("{% macro inner() %}1{% endmacro %}", List.of()));

        Map<String, Object> after = new LinkedHashMap<>(before);
        after.remove("model.p.gone");
        after.put("model.p.body", node("select 2", view, "", cols, List.of(), Map.of()));
        after.put("model.p.conf", node("select 1", Map.of("materialized", "table"), "", cols, List.of(), Map.of()));
        after.put("model.p.rel", node("select 1", Map.of("materialized", "view", "schema", "other"), "", cols, List.of(), Map.of()));
        Map<String, Object> newDocs = Map.of("id", Map.of("name", "id", "description", "the key", "data_type", "int"));
        after.put("model.p.docs", node("select 1", Map.of("persist_docs", Map.of("columns", true)), "", newDocs, List.of(), Map.of()));
        after.put("model.p.docs_unpersisted", node("select 1", view, "", newDocs, List.of(), Map.of()));
        Map<String, Object> retyped = Map.of("id", Map.of("name", "id", "description", "key", "data_type", "bigint"));
        after.put("model.p.contract", node("select 1", Map.of("contract", Map.of("enforced", true)), "", retyped, List.of(), Map.of()));
        after.put("model.p.vars", node("select 1", view, "", cols, List.of(), Map.of("var.x", "b")));
        after.put("model.p.added", node("select 3", view, "", cols, List.of(), Map.of()));
        // Only the macro called through another macro changed.
        Map<String, Object> macrosAfter = Map.of("macro.p.outer", macrosBefore.get("macro.p.outer"),
                "macro.p.inner", macro("{% macro inner() %}2{% endmacro %}", List.of()));

        StateComparison c = new StateComparison(StateManifest.of(manifest(before, macrosBefore)), StateManifest.of(manifest(after, macrosAfter)));
        assertEquals(Set.of("model.p.added"), c.state("new"));
        assertEquals(Set.of("model.p.added", "model.p.body"), c.state("modified.body"));
        assertEquals(Set.of("model.p.added", "model.p.conf"), c.state("modified.configs"));
        assertEquals(Set.of("model.p.added", "model.p.rel"), c.state("modified.relation"));
        assertEquals(Set.of("model.p.added", "model.p.docs"), c.state("modified.persisted_descriptions"));
        assertEquals(Set.of("model.p.added", "model.p.contract"), c.state("modified.contract"));
        assertEquals(Set.of("model.p.same"), c.state("modified.macros"));
        assertEquals(Set.of("model.p.vars"), c.state("modified.vars"));
        assertEquals(Set.of("model.p.added", "model.p.body", "model.p.conf", "model.p.rel", "model.p.docs", "model.p.contract",
                "model.p.same", "model.p.vars"), c.state("modified"));
        assertEquals(Set.of("model.p.docs_unpersisted"), c.state("unmodified"));
        assertEquals(after.size() - 1, c.state("old").size());
    }

    @Test
    void macroCallsAreReadFromJinjaTagsWithDispatch() {
        MacroIndex index = new MacroIndex("p", List.of(
                new MacroFile(Path.of("macros/a.sql"), """
                        {% macro money(x) %}{{ return(adapter.dispatch('money', 'p')(x)) }}{% endmacro %}
                        {% macro default__money(x) %}round({{ x }}, 2){% endmacro %}
                        {% macro postgres__money(x) %}round({{ x }}::numeric, 2){% endmacro %}
                        {% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} < 0{% endtest %}
                        """, null),
                new MacroFile(Path.of("dbt_packages/u/macros/u.sql"), "{% macro star(r) %}*{% endmacro %}", "u")));
        assertEquals(Set.of("macro.p.money", "macro.p.default__money", "macro.p.postgres__money", "macro.p.test_positive", "macro.u.star"),
                index.macros().keySet());
        // SQL functions outside Jinja tags are not macro calls, even with a macro's name.
        assertEquals(List.of("macro.p.money", "macro.u.star"),
                index.calls("select money(1), {{ money('a') }}, {{ u.star(ref('x')) }} from t", "p"));
        assertEquals(List.of("macro.p.default__money", "macro.p.postgres__money"),
                index.calls("{{ return(adapter.dispatch('money', 'p')(x)) }}", "p"));
    }
}
