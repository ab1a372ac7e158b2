package dev.sluice.compile;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.ConstraintSupport;
import dev.sluice.error.CompilationException;
import dev.sluice.project.ColumnSpec;
import dev.sluice.project.Configs;
import dev.sluice.project.Constraint;
import dev.sluice.project.Node;
import dev.sluice.project.NodeType;
import dev.sluice.project.SchemaFileParser;
import dev.sluice.template.TemplateFunction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * dbt's model constraints at compile time: the relations foreign keys point to (to: ref('m') is a dependency,
 * as in dbt 1.9+), and the warnings dbt gives for constraints a warehouse does not support or enforce.
 */
public final class Constraints {
    /** Config key of the relations foreign keys' to: resolve to, by the to: text. */
    public static final String TARGETS = "constraint_targets";
    private static final Pattern CALL = Pattern.compile("(?s)\\s*(ref|source)\\s*\\((.*)\\)\\s*");
    private static final Pattern ARG = Pattern.compile("\\s*(?:([A-Za-z_]+)\\s*=\\s*)?(?:'([^']*)'|\"([^\"]*)\"|([0-9.]+))\\s*(,|$)");

    private Constraints() {
    }

    /** Model-level constraints of a node's config. */
    @SuppressWarnings("unchecked")
    public static List<Constraint> modelLevel(Map<String, Object> config) {
        Object v = config.get(SchemaFileParser.CONSTRAINTS);
        if (!(v instanceof List<?> l)) return List.of();
        List<Constraint> out = new ArrayList<>();
        for (Object o : l) if (o instanceof Constraint c) out.add(c);
        return out;
    }

    /** Every constraint of a node: its columns' and its own. */
    static List<Constraint> all(Node n, Map<String, Object> config) {
        List<Constraint> out = new ArrayList<>();
        for (ColumnSpec c : n.columns()) out.addAll(c.constraints());
        out.addAll(modelLevel(config));
        return out;
    }

    /**
     * Calls ref() or source() for each foreign key's to:, so the first pass records the dependency and the second
     * gets the relation; returns the relations by to: text.
     */
    static Map<String, String> resolve(Node n, Map<String, Object> config, Map<String, TemplateFunction> fns) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n.type() != NodeType.MODEL) return out;
        for (Constraint c : all(n, config)) {
            if (c.to() == null || out.containsKey(c.to())) continue;
            Matcher m = CALL.matcher(c.to());
            if (!m.matches()) throw new CompilationException("to: '" + c.to() + "' must be ref(...) or source(...)", c.location());
            List<Object> args = new ArrayList<>();
            Map<String, Object> kw = new LinkedHashMap<>();
            String inner = m.group(2).strip();
            Matcher a = ARG.matcher(inner);
            for (int at = 0; at < inner.length(); at = a.end()) {
                a.region(at, inner.length());
                if (!a.lookingAt()) {
                    throw new CompilationException("to: '" + c.to() + "' must call " + m.group(1)
                            + "() with quoted names", c.location());
                }
                Object value = a.group(2) != null ? a.group(2) : a.group(3) != null ? a.group(3) : number(a.group(4));
                if (a.group(1) != null) kw.put(a.group(1), value);
                else args.add(value);
            }
            try {
                out.put(c.to(), String.valueOf(fns.get(m.group(1)).call(args, kw)));
            } catch (CompilationException e) {
                throw new CompilationException("foreign_key constraint of model '" + n.name() + "': " + e.getMessage(),
                        c.location(), e);
            }
        }
        return out;
    }

    private static Object number(String s) {
        return s.contains(".") ? (Object) Double.valueOf(s) : (Object) Integer.valueOf(s);
    }

    /**
     * dbt's warnings for the constraints of a model: those its warehouse leaves out (warn_unsupported) or
     * accepts without checking (warn_unenforced); and, this engine's own, constraints that cannot take effect
     * (no enforced contract, a view).
     */
    static List<String> warnings(Node n, Map<String, Object> config, Adapter adapter) {
        List<String> out = new ArrayList<>();
        if (n.type() != NodeType.MODEL) return out;
        List<Constraint> all = all(n, config);
        if (all.isEmpty()) return out;
        boolean enforced = config.get("contract") instanceof Map<?, ?> c && Configs.bool(c.get("enforced"), false);
        Object m = config.get("materialized");
        String materialized = m == null ? "view" : m.toString();
        Constraint first = all.get(0);
        if (!enforced) {
            out.add(first.location() + ": the constraints of model '" + n.name() + "' are created only with "
                    + "contract: {enforced: true}; without it they are documentation only");
            return out;
        }
        if (!Set.of("table", "incremental").contains(materialized)) {
            out.add(first.location() + ": model '" + n.name() + "' is materialized as " + materialized
                    + "; only tables and incremental models get constraints, so its constraints are not applied");
            return out;
        }
        for (Constraint c : all) {
            if (c.type().equals("custom")) continue;
            ConstraintSupport s = adapter.constraintSupport(c.type());
            if (s == ConstraintSupport.NOT_SUPPORTED && c.warnUnsupported()) {
                out.add(c.location() + ": the constraint type " + c.type() + " of model '" + n.name()
                        + "' is not supported by " + adapter.type() + ", and will be ignored. Set 'warn_unsupported: "
                        + "false' on this constraint to ignore this warning.");
            } else if (s == ConstraintSupport.NOT_ENFORCED && c.warnUnenforced()) {
                out.add(c.location() + ": the constraint type " + c.type() + " of model '" + n.name()
                        + "' is not enforced by " + adapter.type() + ". The constraint will be included in this model's "
                        + "DDL statement, but it will not guarantee anything about the underlying data. Set "
                        + "'warn_unenforced: false' on this constraint to ignore this warning.");
            }
        }
        return out;
    }
}
