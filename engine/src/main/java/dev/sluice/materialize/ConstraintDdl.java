package dev.sluice.materialize;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.ConstraintSupport;
import dev.sluice.adapter.Relation;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Constraints;
import dev.sluice.project.ColumnSpec;
import dev.sluice.project.Constraint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DDL of a table model with an enforced contract, as dbt writes it: CREATE TABLE with the declared columns,
 * their types and constraints (those the warehouse accepts), then INSERT of the model's rows in the declared
 * column order. A row that violates an enforced constraint fails the insert.
 */
final class ConstraintDdl {
    private ConstraintDdl() {
    }

    /** Whether the node's table is created from its contract rather than with CREATE TABLE AS. */
    static boolean applies(CompiledNode node) {
        return Contract.enforced(node) && !node.node().columns().isEmpty();
    }

    /** The statements that create and fill {@code table}. */
    static List<String> statements(Adapter adapter, CompiledNode node, Relation table) {
        List<ColumnSpec> columns = node.node().columns();
        List<Constraint> modelLevel = Constraints.modelLevel(node.config());
        // A model-level not_null has no table form in SQL; it becomes its columns' not null.
        Set<String> notNull = new java.util.HashSet<>();
        for (Constraint c : modelLevel) {
            if (c.type().equals("not_null") && supported(adapter, c)) c.columns().forEach(x -> notNull.add(x.toLowerCase()));
        }
        List<String> defs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ColumnSpec c : columns) {
            String name = c.quote() ? adapter.quote(c.name()) : c.name();
            names.add(name);
            StringBuilder def = new StringBuilder(name).append(' ').append(c.dataType());
            boolean hasNotNull = false;
            for (Constraint k : c.constraints()) {
                if (!supported(adapter, k)) continue;
                String sql = columnConstraint(k, targets(node));
                if (sql != null) def.append(' ').append(sql);
                hasNotNull |= k.type().equals("not_null");
            }
            if (!hasNotNull && notNull.contains(c.name().toLowerCase())) def.append(" not null");
            defs.add(def.toString());
        }
        for (Constraint k : modelLevel) {
            if (!supported(adapter, k) || k.type().equals("not_null")) continue;
            String sql = modelConstraint(k, targets(node));
            if (sql != null) defs.add(sql);
        }
        String cols = String.join(", ", names);
        return List.of("create table " + adapter.render(table) + " (\n    " + String.join(",\n    ", defs) + "\n)",
                "insert into " + adapter.render(table) + " (" + cols + ")\n(\n    select " + cols + "\n    from (\n"
                        + node.compiledSql() + "\n    ) as model_subq\n)");
    }

    private static boolean supported(Adapter adapter, Constraint c) {
        return c.type().equals("custom") || adapter.constraintSupport(c.type()) != ConstraintSupport.NOT_SUPPORTED;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> targets(CompiledNode node) {
        Object t = node.config().get(Constraints.TARGETS);
        return t instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }

    private static String expr(Constraint c) {
        return c.expression() == null ? "" : " " + c.expression().strip();
    }

    /** dbt's rendering of a column's constraint. */
    static String columnConstraint(Constraint c, Map<String, String> targets) {
        return switch (c.type()) {
            case "check" -> "check (" + c.expression().strip() + ")";
            case "not_null" -> "not null" + expr(c);
            case "unique" -> "unique" + expr(c);
            case "primary_key" -> "primary key" + expr(c);
            case "foreign_key" -> c.to() != null
                    ? "references " + targets.get(c.to()) + " (" + String.join(", ", c.toColumns()) + ")"
                    : "references " + c.expression().strip();
            default -> c.expression().strip();
        };
    }

    /** dbt's rendering of a model-level constraint. */
    static String modelConstraint(Constraint c, Map<String, String> targets) {
        String prefix = c.name() == null ? "" : "constraint " + c.name() + " ";
        String cols = String.join(", ", c.columns());
        return switch (c.type()) {
            case "check" -> prefix + "check (" + c.expression().strip() + ")";
            case "unique" -> prefix + "unique" + expr(c) + " (" + cols + ")";
            case "primary_key" -> prefix + "primary key" + expr(c) + " (" + cols + ")";
            case "foreign_key" -> prefix + "foreign key (" + cols + ") references " + (c.to() != null
                    ? targets.get(c.to()) + " (" + String.join(", ", c.toColumns()) + ")" : c.expression().strip());
            case "custom" -> prefix + c.expression().strip();
            default -> null;
        };
    }
}
