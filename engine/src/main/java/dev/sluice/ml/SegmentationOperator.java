package dev.sluice.ml;

import dev.sluice.adapter.Relation;
import dev.sluice.error.ConfigException;
import dev.sluice.operator.Operator;
import dev.sluice.operator.OperatorContext;
import dev.sluice.operator.OperatorResult;
import dev.sluice.project.Configs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kmeans_segmentation: standardizes the features, chooses k in [min_k, max_k] by silhouette and writes, in
 * order: assignments (id, segment_id, segment_name, distance), centroids in original units (segment_id,
 * feature, value), profiles (segment_id, segment_name, size, share, mean_*) and optionally the k selection
 * (k, silhouette, chosen). Config 'words' names features in segment names: {spend_90d: [High spend, Low spend]}.
 */
public final class SegmentationOperator implements Operator {
    @Override
    public String type() {
        return "kmeans_segmentation";
    }

    @Override
    public java.util.Set<String> configKeys() {
        return java.util.Set.of(OperatorSupport.ID_COLUMN, OperatorSupport.FEATURES, "min_k", "max_k", "seed", "words");
    }

    @Override
    public OperatorResult run(OperatorContext ctx) {
        List<Relation> out = OperatorSupport.outputs(ctx, List.of("assignments", "centroids", "profiles", "selection"), 3);
        FeatureFrame frame = OperatorSupport.frame(ctx, null);
        Segmenter.Config cfg = Segmenter.Config.defaults()
                .withK((int) ctx.number("min_k", 2), (int) ctx.number("max_k", 8))
                .withSeed(ctx.number("seed", 42))
                .withWords(words(ctx));
        long started = System.nanoTime();
        SegmentationResult r = new Segmenter(cfg).segment(frame);
        double seconds = (System.nanoTime() - started) / 1e9;
        ctx.log("chose k=" + r.k() + ": " + String.join("; ", r.segmentNames()));
        TableWriter writer = new TableWriter(ctx.adapter());
        long rows = writer.write(ctx.session(), out.get(0), r.assignments());
        writer.write(ctx.session(), out.get(1), r.centroids());
        writer.write(ctx.session(), out.get(2), r.profiles());
        if (out.size() > 3) writer.write(ctx.session(), out.get(3), r.selection());
        ModelStore store = new ModelStore(ctx.targetDir().resolve("ml"));
        store.save(ctx.node().name(), r.modelVersion(), r.model(), Map.of("k", r.k(), "segments", r.segmentNames()));
        register(ctx, out.get(0), store, frame, cfg, r, seconds);
        new Insights(ctx.targetDir()).put("segments", segments(r.profiles()));
        return new OperatorResult("k=" + r.k() + ", " + rows + " assigned", rows);
    }

    /** A version row in the model registry; the segmentation's metrics are k and each k's selection scores. */
    private static void register(OperatorContext ctx, Relation inSchema, ModelStore store, FeatureFrame frame,
                                 Segmenter.Config cfg, SegmentationResult r, double seconds) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("k", r.k());
        for (int i = 0; i < r.selection().size(); i++) {
            for (String c : r.selection().columns()) {
                if (!c.equals("k") && !c.equals("chosen")) metrics.put(c + "_k" + r.selection().get(i, "k"), r.selection().get(i, c));
            }
        }
        String fingerprint = ModelRegistry.fingerprint("kmeans_segmentation/1", Learners.fingerprint(frame),
                // Map.copyOf's iteration order changes between JVM runs: the words go in sorted.
                cfg.withWords(Map.of()).toString(), new java.util.TreeMap<>(cfg.words()).toString());
        new ModelRegistry(ctx.adapter(), ctx.session(), inSchema).register(new ModelRegistry.Entry(ctx.node().name(),
                r.modelVersion(), fingerprint, "kmeans", ModelRegistry.json(metrics), null,
                java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).withNano(0), seconds,
                ModelRegistry.provenanceJson(r.model()),
                ChurnOperator.artifact(ctx, store.modelFile(ctx.node().name(), r.modelVersion()))));
    }

    private static Map<String, Segmenter.Words> words(OperatorContext ctx) {
        Map<String, Segmenter.Words> out = new LinkedHashMap<>();
        Object w = ctx.value("words");
        if (w == null) return out;
        if (!(w instanceof Map<?, ?> m)) throw new ConfigException("'words' must map a feature to [high word, low word]", ctx.where());
        m.forEach((k, v) -> {
            List<String> pair = Configs.strings(v);
            if (pair.size() != 2) throw new ConfigException("words for '" + k + "' must be [high word, low word]", ctx.where());
            out.put(String.valueOf(k), new Segmenter.Words(pair.get(0), pair.get(1)));
        });
        return out;
    }

    /** The profiles table as the docs site's segments section. */
    private static List<Map<String, Object>> segments(ResultTable profiles) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < profiles.size(); i++) {
            Map<String, Object> seg = new LinkedHashMap<>();
            seg.put("name", profiles.get(i, "segment_name"));
            seg.put("size", profiles.get(i, "size"));
            seg.put("share", profiles.get(i, "share"));
            Map<String, Object> profile = new LinkedHashMap<>();
            for (String c : profiles.columns()) {
                if (c.startsWith("mean_")) profile.put(c.substring(5), profiles.get(i, c));
            }
            seg.put("profile", profile);
            out.add(seg);
        }
        return out;
    }
}
