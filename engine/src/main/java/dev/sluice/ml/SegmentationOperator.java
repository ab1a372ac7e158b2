package dev.sluice.ml;

import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RowSink;
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
        return java.util.Set.of(OperatorSupport.ID_COLUMN, OperatorSupport.FEATURES, "min_k", "max_k", "seed", "words",
                "k_selection", "min_stability", "reference_column", "docs_profiles");
    }

    @Override
    public OperatorResult run(OperatorContext ctx) {
        List<Relation> out = OperatorSupport.outputs(ctx, List.of("assignments", "centroids", "profiles", "selection", "metrics"), 3);
        String id = ctx.string("id_column", "customer_id");
        String reference = ctx.string("reference_column", "");
        List<String> features = Configs.strings(ctx.node().config().get("features"));
        Input input = new Input(ctx, id, features, reference);
        ctx.session().query(OperatorSupport.ordered(ctx, id), input);
        Map<Object, String> labels = input.referenceLabels();
        FeatureFrame frame = input.frame();
        Segmenter.Config defaults = Segmenter.Config.defaults();
        Segmenter.Config cfg = defaults
                .withK((int) ctx.number("min_k", 2), (int) ctx.number("max_k", 8))
                .withSeed(ctx.number("seed", 42))
                .withWords(words(ctx))
                .withSelection(Segmenter.Selection.parse(ctx.string("k_selection", defaults.selection().name())),
                        ctx.decimal("min_stability", defaults.minStability()));
        long started = System.nanoTime();
        String digest = Learners.fingerprint(frame);
        SegmentationResult r = new Segmenter(cfg).segment(frame, digest);
        double seconds = (System.nanoTime() - started) / 1e9;
        ctx.log("chose k=" + r.k() + " by " + cfg.selection().name().toLowerCase(java.util.Locale.ROOT) + ": "
                + String.join("; ", r.segmentNames()));
        ResultTable metrics = metrics(r, frame, labels, reference);
        for (List<Object> m : metrics.rows()) {
            if (m.get(0).toString().startsWith("ari_")) ctx.log(String.format("adjusted Rand index against %s: %.3f", reference, (Double) m.get(1)));
        }
        TableWriter writer = new TableWriter(ctx.adapter());
        long rows = writer.write(ctx.session(), out.get(0), r.assignments());
        writer.write(ctx.session(), out.get(1), r.centroids());
        writer.write(ctx.session(), out.get(2), r.profiles());
        if (out.size() > 3) writer.write(ctx.session(), out.get(3), r.selection());
        if (out.size() > 4) writer.write(ctx.session(), out.get(4), metrics);
        ModelStore store = new ModelStore(ctx.targetDir().resolve("ml"));
        store.save(ctx.node().name(), r.modelVersion(), r.model(), Map.of("k", r.k(), "segments", r.segmentNames()));
        register(ctx, out.get(0), store, digest, cfg, r, seconds, metrics);
        // The docs site shows one segmentation's profiles: a project with several says which with docs_profiles.
        if (ctx.bool("docs_profiles", true)) new Insights(ctx.targetDir()).put("segments", segments(r.profiles()));
        return new OperatorResult("k=" + r.k() + ", " + rows + " assigned", rows);
    }

    /** A version row in the model registry; the segmentation's metrics are k and each k's selection scores. */
    private static void register(OperatorContext ctx, Relation inSchema, ModelStore store, String frameDigest,
                                 Segmenter.Config cfg, SegmentationResult r, double seconds, ResultTable table) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (List<Object> m : table.rows()) metrics.put(m.get(0).toString(), m.get(1));
        String fingerprint = ModelRegistry.fingerprint("kmeans_segmentation/1", frameDigest,
                cfg.describe());
        new ModelRegistry(ctx.adapter(), ctx.session(), inSchema).register(new ModelRegistry.Entry(ctx.node().name(),
                r.modelVersion(), fingerprint, "kmeans", ModelRegistry.json(metrics), null,
                java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).withNano(0), seconds,
                ModelRegistry.provenanceJson(r.model()),
                ChurnOperator.artifact(ctx, store.modelFile(ctx.node().name(), r.modelVersion()))));
    }

    /**
     * The input's rows read as they arrive: the feature frame and, with a reference column, its value per id (its
     * values are category names of any type, compared as text). A map per row cost more than the reading.
     */
    private static final class Input implements RowSink {
        private final OperatorContext ctx;
        private final String id;
        private final List<String> features;
        private final String reference;
        private final Map<Object, String> labels = new java.util.HashMap<>();
        private FeatureFrame.Reader reader;
        private int idAt = -1;
        private int referenceAt = -1;
        private boolean any;

        Input(OperatorContext ctx, String id, List<String> features, String reference) {
            this.ctx = ctx;
            this.id = id;
            this.features = features;
            this.reference = reference;
        }

        @Override
        public void columns(List<String> columns) {
            // As a map per row held them: each label once, in first-seen order, with its last column's value.
            List<String> keys = new ArrayList<>(new java.util.LinkedHashSet<>(columns));
            String col = null;
            String idCol = null;
            for (String c : keys) {
                if (c.equalsIgnoreCase(reference)) col = c;
                if (c.equalsIgnoreCase(id)) idCol = c;
            }
            if (!reference.isBlank()) {
                referenceAt = col == null ? -1 : columns.lastIndexOf(col);
                idAt = idCol == null ? -1 : columns.lastIndexOf(idCol);
                if (features.isEmpty()) {
                    // The reference column is what the segments are compared with, never a feature.
                    for (String c : keys) if (!c.equalsIgnoreCase(id) && !c.equalsIgnoreCase(reference)) features.add(c);
                }
            }
            reader = new FeatureFrame.Reader(id, features, null);
            reader.columns(columns);
        }

        @Override
        public void row(Object[] values) {
            if (!any && !reference.isBlank() && referenceAt < 0) throw missingReference();
            any = true;
            if (!reference.isBlank()) {
                labels.put(FeatureFrame.normalizeId(idAt < 0 ? null : values[idAt]), String.valueOf(values[referenceAt]));
            }
            reader.row(values);
        }

        private ConfigException missingReference() {
            return new ConfigException("reference_column '" + reference + "' is not a column of the input of '"
                    + ctx.node().name() + "'", ctx.where());
        }

        Map<Object, String> referenceLabels() {
            if (reference.isBlank()) return Map.of();
            if (!any) throw missingReference();
            return labels;
        }

        FeatureFrame frame() {
            return reader.frame();
        }
    }

    /**
     * metric, value: the chosen k, its silhouette, stability and gap, and with a reference column the adjusted Rand
     * index of the segments against it ("ari_" + column) and the number of its distinct values.
     */
    static ResultTable metrics(SegmentationResult r, FeatureFrame frame, Map<Object, String> labels, String reference) {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("k", (double) r.k()));
        for (int i = 0; i < r.selection().size(); i++) {
            if (!Boolean.TRUE.equals(r.selection().get(i, "chosen"))) continue;
            for (String c : List.of("silhouette", "stability", "gap")) rows.add(List.of(c, ((Number) r.selection().get(i, c)).doubleValue()));
        }
        if (!labels.isEmpty()) {
            Map<String, Integer> codes = new LinkedHashMap<>();
            int[] found = new int[frame.rows()];
            int[] truth = new int[frame.rows()];
            for (int i = 0; i < frame.rows(); i++) {
                found[i] = ((Number) r.assignments().get(i, "segment_id")).intValue();
                truth[i] = codes.computeIfAbsent(labels.get(frame.id(i)), k -> codes.size());
            }
            rows.add(List.of("ari_" + reference, Metrics.adjustedRandIndex(found, truth)));
            rows.add(List.of("reference_groups_" + reference, (double) codes.size()));
        }
        return new ResultTable(List.of("metric", "value"), List.of(dev.sluice.seed.ColumnType.TEXT, dev.sluice.seed.ColumnType.DOUBLE), rows);
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
