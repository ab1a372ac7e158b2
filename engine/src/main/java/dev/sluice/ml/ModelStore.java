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
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ser"))
                    .map(n -> n.substring(0, n.length() - 4)).filter(v -> !v.contains(".")).sorted().forEach(out::add);
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readJson(Path file) {
        try {
            return JSON.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new MlException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
