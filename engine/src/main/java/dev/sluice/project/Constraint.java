package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry of dbt's constraints: on a column of a model with an enforced contract, or on the model itself.
 *
 * @param type       not_null, unique, primary_key, foreign_key, check or custom
 * @param name       the constraint's name in the DDL, or null
 * @param expression check: the condition; foreign_key: "table (columns)" when there is no to; custom: the DDL
 * @param columns    model-level constraints: the columns it is on (empty on a column)
 * @param to         foreign_key: ref('model') or source('src', 'table') of the referenced relation, or null
 * @param toColumns  foreign_key: the referenced columns
 * @param location   where it is written, for errors
 */
public record Constraint(String type, String name, String expression, List<String> columns, String to,
                         List<String> toColumns, boolean warnUnenforced, boolean warnUnsupported,
                         SourceLocation location) {

    public static final Set<String> TYPES = Set.of("not_null", "unique", "primary_key", "foreign_key", "check", "custom");
    private static final Set<String> KEYS = Set.of("type", "name", "expression", "columns", "to", "to_columns",
            "warn_unenforced", "warn_unsupported");

    /** Parses and checks one entry; bad ones are errors naming the file and line, as in dbt's parse. */
    static Constraint parse(Yaml y, boolean modelLevel, String what) {
        if (!y.isMap()) throw y.error("a constraint of " + what + " must be a mapping with a type");
        for (String key : y.entries("constraint").keySet()) {
            if (!KEYS.contains(key) || (!modelLevel && key.equals("columns"))) {
                throw y.get(key).isNull() ? y.error("unknown key '" + key + "' in a constraint of " + what)
                        : y.get(key).error("unknown key '" + key + "' in a constraint of " + what
                        + KnownKeys.didYouMean(key, KEYS));
            }
        }
        String type = y.get("type").string("type");
        if (type == null) throw y.error("a constraint of " + what + " has no type (one of " + String.join(", ", sorted()) + ")");
        if (!TYPES.contains(type)) {
            throw y.get("type").error("unknown constraint type '" + type + "' of " + what + " (known: "
                    + String.join(", ", sorted()) + ")" + KnownKeys.didYouMean(type, TYPES));
        }
        String expression = y.get("expression").string("expression");
        List<String> columns = ProjectConfigLoader.strings(y.get("columns"), "columns", List.of());
        String to = y.get("to").string("to");
        List<String> toColumns = ProjectConfigLoader.strings(y.get("to_columns"), "to_columns", List.of());
        Constraint c = new Constraint(type, y.get("name").string("name"), expression, columns, to == null ? null : to.strip(),
                toColumns, bool(y.get("warn_unenforced")), bool(y.get("warn_unsupported")),
                new SourceLocation(y.file(), y.location().line(), 0));
        if ((type.equals("check") || type.equals("custom")) && (expression == null || expression.isBlank())) {
            throw y.error("the " + type + " constraint of " + what + " needs an expression");
        }
        if (modelLevel && Set.of("not_null", "unique", "primary_key", "foreign_key").contains(type) && columns.isEmpty()) {
            throw y.error("the " + type + " constraint of " + what + " needs columns: the model's columns it is on");
        }
        if (type.equals("foreign_key")) {
            if (to != null && toColumns.isEmpty()) {
                throw y.error("the foreign_key constraint of " + what + " has to: but no to_columns");
            }
            if (to == null && (expression == null || expression.isBlank())) {
                throw y.error("the foreign_key constraint of " + what + " needs to: ref('...') with to_columns, "
                        + "or an expression naming the referenced table and columns");
            }
            if (to != null && !to.strip().matches("(?s)(ref|source)\\s*\\(.*\\)")) {
                throw y.get("to").error("to: of the foreign_key constraint of " + what + " must be ref('model') or "
                        + "source('source', 'table'), not '" + to + "'");
            }
        }
        return c;
    }

    private static boolean bool(Yaml y) {
        Object v = y.value();
        if (v == null) return true;
        if (v instanceof Boolean b) return b;
        String s = v.toString().strip();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) return Boolean.parseBoolean(s);
        throw y.error("must be true or false, not '" + v + "'");
    }

    private static List<String> sorted() {
        List<String> l = new ArrayList<>(TYPES);
        l.sort(null);
        return l;
    }

    /** The entry as dbt's manifest shows it. */
    public Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("type", type);
        j.put("name", name);
        j.put("expression", expression);
        j.put("warn_unenforced", warnUnenforced);
        j.put("warn_unsupported", warnUnsupported);
        j.put("to", to);
        j.put("to_columns", toColumns);
        if (!columns.isEmpty()) j.put("columns", columns);
        return j;
    }
}
