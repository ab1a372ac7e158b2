package dev.sluice.materialize;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.ColumnInfo;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.error.CompilationException;
import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.ColumnSpec;
import dev.sluice.project.Configs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * dbt's model contracts: with contract: {enforced: true}, the columns the model's query returns must be the
 * columns its YAML declares, each of its declared data_type, before anything is built. Both sides' types come
 * from the warehouse itself (an empty table of the query, and one of casts to the declared types), so
 * "int" and "integer" are the same type where the warehouse says so.
 */
final class Contract {
    private Contract() {
    }

    static boolean enforced(CompiledNode node) {
        return node.config().get("contract") instanceof Map<?, ?> c && Configs.bool(c.get("enforced"), false);
    }

    /** Throws, naming every mismatch, when the query does not match the contract. */
    static void check(Session s, Adapter adapter, CompiledNode node) {
        if (!enforced(node)) return;
        SourceLocation where = SourceLocation.of(node.node().file());
        List<ColumnSpec> declared = node.node().columns();
        if (declared.isEmpty()) {
            throw new ConfigException("model '" + node.name() + "' has an enforced contract but declares no columns", where);
        }
        List<String> casts = new ArrayList<>();
        for (ColumnSpec c : declared) {
            if (c.dataType() == null || c.dataType().isBlank()) {
                throw new ConfigException("model '" + node.name() + "' has an enforced contract, so column '" + c.name()
                        + "' needs a data_type", where);
            }
            casts.add("cast(null as " + c.dataType() + ") as " + adapter.quote(c.name()));
        }
        List<ColumnInfo> actual = shape(s, adapter, node, "q", "select * from (\n" + node.compiledSql() + "\n) as dbt_contract where 1 = 0");
        List<ColumnInfo> expected = shape(s, adapter, node, "c", "select " + String.join(", ", casts) + " where 1 = 0");
        List<String> problems = new ArrayList<>();
        for (ColumnInfo e : expected) {
            ColumnInfo a = find(actual, e.name());
            if (a == null) problems.add("column '" + e.name() + "' (" + e.dataType() + ") is in the contract but not returned by the model");
            else if (!a.dataType().equalsIgnoreCase(e.dataType())) {
                problems.add("column '" + e.name() + "' is " + a.dataType() + " in the model but " + e.dataType() + " in the contract");
            }
        }
        for (ColumnInfo a : actual) {
            if (find(expected, a.name()) == null) problems.add("column '" + a.name() + "' (" + a.dataType() + ") is returned by the model but not in the contract");
        }
        if (!problems.isEmpty()) {
            throw new CompilationException("model '" + node.name() + "' has an enforced contract that failed; the "
                    + "existing relation is left as it was:\n  " + String.join("\n  ", problems), where);
        }
    }

    /** Column names and warehouse types of a query's result, from an empty scratch table. */
    private static List<ColumnInfo> shape(Session s, Adapter adapter, CompiledNode node, String kind, String sql) {
        Relation scratch = Swap.temp(node.relation().withIdentifier(node.relation().identifier() + "_contract_" + kind));
        s.execute(adapter.dropSql(scratch, RelationKind.TABLE));
        try {
            s.execute(adapter.createTableSql(scratch, sql));
            return s.columns(scratch);
        } finally {
            s.execute(adapter.dropSql(scratch, RelationKind.TABLE));
        }
    }

    private static ColumnInfo find(List<ColumnInfo> cols, String name) {
        for (ColumnInfo c : cols) if (c.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) return c;
        return null;
    }
}
