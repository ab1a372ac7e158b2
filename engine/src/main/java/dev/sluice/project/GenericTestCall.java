package dev.sluice.project;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes the template of a generic test node: a call of its test macro with the schema file's arguments as
 * Jinja literals. The tested relation is passed in the {@code __sluice_model} variable at compile time.
 */
final class GenericTestCall {
    /** Arguments such as {@code to: ref('customers')} are Jinja expressions, not strings (as in dbt). */
    private static final Pattern EXPRESSION = Pattern.compile("^\\s*(ref|source)\\s*\\(.*\\)\\s*$", Pattern.DOTALL);
    /** A whole-value template such as "{{ var('statuses') }}" passes the value itself, list or not. */
    private static final Pattern WHOLE_TEMPLATE = Pattern.compile("^\\s*\\{\\{(.*)}}\\s*$", Pattern.DOTALL);

    private GenericTestCall() {
    }

    static String render(TestSpec t) {
        // dbt_utils.expression_is_true calls test_expression_is_true of package dbt_utils.
        String name = t.testName();
        int dot = name.lastIndexOf('.');
        String callee = dot < 0 ? "test_" + name : name.substring(0, dot + 1) + "test_" + name.substring(dot + 1);
        StringBuilder sb = new StringBuilder("{{ ").append(callee).append("(model=__sluice_model");
        if (t.columnName() != null) sb.append(", column_name=").append(literal(t.columnName()));
        Map<String, Object> args = new TreeMap<>(t.args());
        args.forEach((k, v) -> {
            if (k.equals("column_name") || k.equals("model")) return;
            sb.append(", ").append(k).append('=').append(argument(v));
        });
        return sb.append(") }}").toString();
    }

    /**
     * One argument as a Jinja expression. dbt renders every string of a test's arguments, however deep in lists
     * and mappings (dbt_expectations passes {@code [date, "{{ dbt_expectations.type_timestamp() }}"]}).
     */
    private static String argument(Object v) {
        if (v instanceof String s) {
            if (EXPRESSION.matcher(s).matches()) return s.trim();
            java.util.regex.Matcher whole = WHOLE_TEMPLATE.matcher(s);
            if (whole.matches() && !whole.group(1).contains("}}")) return "(" + whole.group(1).trim() + ")";
            if (s.contains("{{")) return concatenation(s);
            return literal(s);
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) sb.append(i > 0 ? ", " : "").append(argument(l.get(i)));
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ", ").append(literal(String.valueOf(e.getKey()))).append(": ").append(argument(e.getValue()));
                first = false;
            }
            return sb.append('}').toString();
        }
        return literal(v);
    }

    /** "cast('{{ var('d') }}' as date)" becomes ('cast(\'' ~ (var('d')) ~ '\' as date)'): rendered as dbt does. */
    private static String concatenation(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL).matcher(s);
        List<String> parts = new java.util.ArrayList<>();
        int at = 0;
        while (m.find()) {
            if (m.start() > at) parts.add(literal(s.substring(at, m.start())));
            parts.add("(" + m.group(1).trim() + ")");
            at = m.end();
        }
        if (at < s.length()) parts.add(literal(s.substring(at)));
        return "(" + String.join(" ~ ", parts) + ")";
    }

    static String literal(Object v) {
        if (v == null) return "none";
        if (v instanceof Boolean b) return b ? "true" : "false";
        if (v instanceof Number n) return n.toString();
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) sb.append(i > 0 ? ", " : "").append(literal(l.get(i)));
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ", ").append(literal(String.valueOf(e.getKey()))).append(": ").append(literal(e.getValue()));
                first = false;
            }
            return sb.append('}').toString();
        }
        return "'" + v.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
