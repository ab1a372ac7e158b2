package dev.sluice.ml;

import dev.sluice.adapter.Relation;
import dev.sluice.error.ConfigException;
import dev.sluice.operator.OperatorContext;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** What the ML operators share: reading their frame, sampling, naming outputs by role. */
final class OperatorSupport {
    /** Config keys every ML operator reads: the id column and the feature columns of its input. */
    static final String ID_COLUMN = "id_column";
    static final String FEATURES = "features";
    private OperatorSupport() {
    }

    /** The outputs in the order the operator type documents, e.g. predictions, metrics, parameters. */
    static List<Relation> outputs(OperatorContext ctx, List<String> roles, int required) {
        List<Relation> out = new ArrayList<>(ctx.outputs().values());
        if (out.size() < required || out.size() > roles.size()) {
            throw new ConfigException("operator '" + ctx.node().name() + "' of type " + ctx.node().config().get("operator_type")
                    + " writes " + (required == roles.size() ? "" : required + " to ") + roles.size()
                    + " tables, listed in this order under outputs: " + String.join(", ", roles), ctx.where());
        }
        return out;
    }

    static FeatureFrame frame(OperatorContext ctx, String labelColumn) {
        String id = ctx.string("id_column", "customer_id");
        List<String> features = ctx.strings(FEATURES);
        return FeatureFrame.fromQuery(ctx.session(), ordered(ctx, id), id, features, labelColumn);
    }

    /**
     * The input in id order: warehouses return rows in any order (DuckDB scans in parallel), and the split,
     * the sample and tie-breaking follow row order, so without it the same data could train another model.
     */
    static String ordered(OperatorContext ctx, String idColumn) {
        return ordered(ctx, ctx.inputSql(), idColumn);
    }

    static String ordered(OperatorContext ctx, String sql, String idColumn) {
        return "select * from (\n" + sql + "\n) ordered_input order by " + ctx.adapter().quote(idColumn);
    }

    /** A seeded sample of at most max rows, in frame order; the whole frame when it is small enough. */
    static int[] sample(int rows, long max, long seed) {
        if (max <= 0 || rows <= max) {
            int[] all = new int[rows];
            for (int i = 0; i < rows; i++) all[i] = i;
            return all;
        }
        // Selection sampling keeps order and needs no shuffle of the whole index.
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[(int) max];
        int need = (int) max;
        int taken = 0;
        for (int i = 0; i < rows && taken < need; i++) {
            if (r.nextInt(rows - i) < need - taken) out[taken++] = i;
        }
        return out;
    }
}
