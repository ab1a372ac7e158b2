package dev.sluice.ml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.tribuo.Model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Trained models on disk, one directory per DAG node: &lt;root&gt;/&lt;node&gt;/&lt;version&gt;.ser is the Tribuo model
 * (Tribuo's protobuf format, read back with Model.deserializeFromFile), &lt;version&gt;.provenance.json its
 * full provenance and &lt;version&gt;.meta.json the caller's metadata (e.g. the scaling the model expects).
 * Each file is written to a temporary name and moved into place, so a reader never sees half a model.
 */
public final class ModelStore {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path root;

    /** @param root e.g. target/ml */
    public ModelStore(Path root) {
        this.root = root;
    }

    public Path directory(String node) {
        return root.resolve(safe(node, "node"));
    }

    public Path modelFile(String node, String version) {
        return directory(node).resolve(safe(version, "model version") + ".ser");
    }

    public Path provenanceFile(String node, String version) {
        return directory(node).resolve(safe(version, "model version") + ".provenance.json");
    }

    public Path metadataFile(String node, String version) {
        return directory(node).resolve(safe(version, "model version") + ".meta.json");
    }

    /** Saves the model, its provenance and metadata (JSON-serializable values); returns the model file. */
    public Path save(String node, String version, Model<?> model, Map<String, ?> metadata) {
        try {
            Files.createDirectories(directory(node));
            Path target = modelFile(node, version);
            Path tmp = Files.createTempFile(directory(node), ".model", ".tmp");
            try {
                model.serializeToFile(tmp);
                writeJson(provenanceFile(node, version), ProvenanceUtil.convertToMap(model.getProvenance()));
                writeJson(metadataFile(node, version), metadata);
                // The model moves in last: its presence means the whole version is there.
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new MlException("cannot save model " + node + "/" + version + ": " + e.getMessage(), e);
        }
    }

    /**
     * Saves trees trained here (not a Tribuo model) as JSON, &lt;version&gt;.trees.json, with the metadata; a
     * double written by Jackson reads back as the same double, so the trees score exactly as before.
     */
    public Path saveTrees(String node, String version, TreeEnsemble trees, Map<String, ?> metadata) {
        saveTrees(node, trees, Map.of(version, metadata));
        return treesFile(node, version);
    }

    /**
     * {@link #saveTrees(String, String, TreeEnsemble, Map)} under several versions (version to its metadata, saved
     * in the map's order), the trees turned into JSON once: the same bytes each time, where serializing them again
     * would cost a second pass over every node's doubles.
     */
    public void saveTrees(String node, TreeEnsemble trees, Map<String, ? extends Map<String, ?>> metadataByVersion) {
        try {
            Files.createDirectories(directory(node));
            byte[] json = JSON.writeValueAsBytes(describe(trees));
            for (Map.Entry<String, ? extends Map<String, ?>> v : metadataByVersion.entrySet()) {
                writeJson(metadataFile(node, v.getKey()), v.getValue());
                // Written last: its presence means the whole version is there.
                writeBytes(treesFile(node, v.getKey()), json);
            }
        } catch (IOException e) {
            throw new MlException("cannot save model " + node + "/" + metadataByVersion.keySet() + ": " + e.getMessage(), e);
        }
    }

    public Path treesFile(String node, String version) {
        return directory(node).resolve(safe(version, "model version") + ".trees.json");
    }

    public TreeEnsemble loadTrees(String node, String version) {
        Path file = treesFile(node, version);
        if (!Files.exists(file)) throw new MlException("no saved model " + node + "/" + version + " at " + file);
        try {
            return treeEnsemble(readJson(file));
        } catch (RuntimeException e) {
            throw new MlException("cannot read model " + file + ": " + e.getMessage(), e);
        }
    }

    /** A tree ensemble as JSON-ready values, enough to rebuild it with {@link #treeEnsemble}. */
    public static Map<String, Object> describe(TreeEnsemble e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("features", e.featureNames());
        m.put("imputation_means", e.imputationMeans());
        m.put("means", e.standardizer().means());
        m.put("stds", e.standardizer().stds());
        m.put("link", e.link().name());
        m.put("base", e.base());
        List<Map<String, Object>> trees = new ArrayList<>();
        for (TreeEnsemble.Tree t : e.trees()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            int n = t.size();
            int[] f = new int[n];
            double[] th = new double[n];
            int[] gt = new int[n];
            int[] le = new int[n];
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                f[i] = t.feature(i);
                th[i] = t.threshold(i);
                gt[i] = t.greater(i);
                le[i] = t.lessOrEqual(i);
                v[i] = t.value(i);
            }
            tm.put("feature", f);
            tm.put("threshold", th);
            tm.put("greater", gt);
            tm.put("less_or_equal", le);
            tm.put("value", v);
            trees.add(tm);
        }
        m.put("trees", trees);
        return m;
    }

    @SuppressWarnings("unchecked")
    public static TreeEnsemble treeEnsemble(Map<String, Object> m) {
        List<String> features = (List<String>) m.get("features");
        Standardizer st = new Standardizer(features, doubles(m.get("means")), doubles(m.get("stds")));
        List<TreeEnsemble.Tree> trees = new ArrayList<>();
        for (Map<String, Object> t : (List<Map<String, Object>>) m.get("trees")) {
            trees.add(new TreeEnsemble.Tree(ints(t.get("feature")), doubles(t.get("threshold")), ints(t.get("greater")),
                    ints(t.get("less_or_equal")), doubles(t.get("value"))));
        }
        return new TreeEnsemble(features, st, doubles(m.get("imputation_means")), trees,
                TreeEnsemble.Link.valueOf((String) m.get("link")), ((Number) m.get("base")).doubleValue());
    }

    private static int[] ints(Object o) {
        return ((List<?>) o).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    public Model<?> load(String node, String version) {
        Path file = modelFile(node, version);
        if (!Files.exists(file)) throw new MlException("no saved model " + node + "/" + version + " at " + file);
        try {
            return Model.deserializeFromFile(file);
        } catch (IOException | RuntimeException e) {
            throw new MlException("cannot read model " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> metadata(String node, String version) {
        return readJson(metadataFile(node, version));
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> provenance(String node, String version) {
        return readJson(provenanceFile(node, version));
    }

    /** Saved versions of a node, sorted by name; parts of a version (&lt;version&gt;.&lt;part&gt;, e.g. each model a choice was made from) are not listed. */
    public List<String> versions(String node) {
        Path dir = directory(node);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            List<String> out = new ArrayList<>();
            files.map(p -> p.getFileName().toString())
                    .map(n -> n.endsWith(".ser") ? n.substring(0, n.length() - 4)
                            : n.endsWith(".trees.json") ? n.substring(0, n.length() - ".trees.json".length()) : null)
                    .filter(v -> v != null && !v.contains(".")).sorted().forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Metadata for a linear scorer, enough to rebuild it with {@link #linearScorer}. */
    public static Map<String, Object> describe(LinearScorer s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("features", s.featureNames());
        m.put("imputation_means", s.imputationMeans());
        m.put("means", s.standardizer().means());
        m.put("stds", s.standardizer().stds());
        m.put("weights", s.weights());
        m.put("intercept", s.intercept());
        return m;
    }

    @SuppressWarnings("unchecked")
    public static LinearScorer linearScorer(Map<String, Object> m) {
        List<String> features = (List<String>) m.get("features");
        Standardizer st = new Standardizer(features, doubles(m.get("means")), doubles(m.get("stds")));
        return new LinearScorer(features, doubles(m.get("imputation_means")), st, doubles(m.get("weights")),
                ((Number) m.get("intercept")).doubleValue());
    }

    private static double[] doubles(Object o) {
        return ((List<?>) o).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static String safe(String part, String what) {
        if (part == null || !SAFE.matcher(part).matches() || part.startsWith(".")) {
            throw new MlException("unusable " + what + " for a file name: '" + part + "'");
        }
        return part;
    }

    private static void writeJson(Path file, Object value) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".json", ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), value);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeBytes(Path file, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".json", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readJson(Path file) {
        try {
            return JSON.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new MlException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
