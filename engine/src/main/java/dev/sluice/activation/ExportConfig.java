package dev.sluice.activation;

import dev.sluice.adapter.Relation;
import dev.sluice.error.ConfigException;
import dev.sluice.operator.OperatorContext;

import java.util.List;

/** Config keys both export operators share: hash_columns, incremental, id_column, the state output. */
final class ExportConfig {
    private ExportConfig() {
    }

    /** The shared keys plus those of one export operator. */
    static java.util.Set<String> keys(String... own) {
        java.util.Set<String> keys = new java.util.TreeSet<>(List.of("hash_columns", "incremental", "id_column", "state_table"));
        keys.addAll(List.of(own));
        return java.util.Set.copyOf(keys);
    }

    static List<String> hashColumns(OperatorContext ctx) {
        return ctx.strings("hash_columns");
    }

    static boolean incremental(OperatorContext ctx) {
        return ctx.bool("incremental", false);
    }

    static String idColumn(OperatorContext ctx, boolean required) {
        String id = ctx.string("id_column", null);
        if (required && (id == null || id.isBlank())) {
            throw new ConfigException("operator '" + ctx.node().name() + "' is incremental and needs id_column:"
                    + " the column that identifies a row between runs", ctx.where());
        }
        return id == null || id.isBlank() ? null : id;
    }

    /** The state table: the operator's only output, or the one named by state_table. */
    static Relation stateTable(OperatorContext ctx) {
        String named = ctx.string("state_table", null);
        if (named != null) return ctx.output(named);
        if (ctx.outputs().size() == 1) return ctx.outputs().values().iterator().next();
        throw new ConfigException("operator '" + ctx.node().name() + "' is incremental and keeps what it exported in a"
                + " table: list one under outputs, e.g. outputs: [" + ctx.node().name() + "_state]"
                + (ctx.outputs().isEmpty() ? "" : ", or name it with state_table"), ctx.where());
    }
}
