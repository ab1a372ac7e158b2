package dev.sluice.ml;

import dev.sluice.error.ConfigException;
import dev.sluice.operator.Operator;
import dev.sluice.operator.OperatorContext;
import dev.sluice.operator.OperatorResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * lookalike: from the rows of the input flagged by seed_column (true/1: the seed audience, e.g. a segment),
 * ranks every other row by cosine similarity to the seed centroid and by a seed-vs-rest propensity model, and
 * writes the top_n of each method: (id, score, rank, method).
 */
public final class LookalikeOperator implements Operator {
    @Override
    public String type() {
        return "lookalike";
    }

    @Override
    public java.util.Set<String> configKeys() {
        return java.util.Set.of(OperatorSupport.ID_COLUMN, OperatorSupport.FEATURES, "seed_column", "top_n", "seed");
    }

    @Override
    public OperatorResult run(OperatorContext ctx) {
        List<dev.sluice.adapter.Relation> out = OperatorSupport.outputs(ctx, List.of("audience"), 1);
        String seedColumn = ctx.string("seed_column", "is_seed");
        String id = ctx.string("id_column", "customer_id");
        List<Map<String, Object>> rows = ctx.session().query(OperatorSupport.ordered(ctx, id));
        if (rows.isEmpty()) throw new ConfigException("operator '" + ctx.node().name() + "': its input query returned no rows", ctx.where());
        if (!rows.get(0).containsKey(seedColumn)) {
            throw new ConfigException("operator '" + ctx.node().name() + "': the input has no column '" + seedColumn
                    + "' flagging the seed audience (set seed_column)", ctx.where());
        }
        List<Object> seeds = new ArrayList<>();
        List<Map<String, Object>> features = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Object flag = row.get(seedColumn);
            boolean seed = flag instanceof Boolean b ? b : flag instanceof Number n ? n.intValue() == 1
                    : flag != null && flag.toString().equalsIgnoreCase("true");
            Map<String, Object> copy = new java.util.LinkedHashMap<>(row);
            copy.remove(seedColumn);
            features.add(copy);
            if (seed) seeds.add(row.get(id));
        }
        if (seeds.isEmpty()) throw new ConfigException("operator '" + ctx.node().name() + "': no row is flagged as seed", ctx.where());
        FeatureFrame frame = FeatureFrame.fromRows(features, id, ctx.strings(OperatorSupport.FEATURES), null);
        // Ids come back from the frame normalized (integral ids as Long); match seeds the same way.
        List<Object> seedIds = new ArrayList<>();
        java.util.Set<String> wanted = new java.util.HashSet<>();
        seeds.forEach(s -> wanted.add(String.valueOf(s)));
        for (Object fid : frame.ids()) if (wanted.contains(String.valueOf(fid))) seedIds.add(fid);
        Lookalike.Result r = new Lookalike(new Lookalike.Config((int) ctx.number("top_n", 100), ctx.number("seed", 42), 15, 0.5))
                .rank(frame, seedIds);
        long n = new TableWriter(ctx.adapter()).write(ctx.session(), out.get(0), r.table());
        ctx.log("seed audience of " + seedIds.size() + ", " + n + " lookalikes ranked");
        return new OperatorResult(n + " ranked from " + seedIds.size() + " seeds", n);
    }
}
