package dev.sluice.state;

import dev.sluice.project.Node;
import dev.sluice.project.NodeType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** What manifest.json records of a node so a later run can tell whether it changed. */
public final class NodeFacts {
    private NodeFacts() {
    }

    /**
     * dbt's checksum: SHA-256 of the seed's file, or of the node's raw code (a model's SQL, a test's template).
     */
    public static Map<String, Object> checksum(Path root, Node n) {
        String hash = null;
        if (n.type() == NodeType.SEED && n.file() != null) {
            Path file = n.file().isAbsolute() ? n.file() : root.resolve(n.file());
            try {
                if (Files.isRegularFile(file)) hash = Digest.sha256(Files.readAllBytes(file));
            } catch (IOException e) {
                // Unreadable here means the seed fails when it loads, with the reason; the raw code stands in.
                hash = null;
            }
        }
        if (hash == null) hash = Digest.sha256(n.rawCode() == null ? "" : n.rawCode());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", "sha256");
        out.put("checksum", hash);
        return out;
    }

    /**
     * The vars and env vars a node read, each value as a hash: a changed value is seen, and manifest.json never
     * holds an env var's value (they are often secrets).
     */
    public static Map<String, String> hashedInputs(Map<String, String> used) {
        Map<String, String> out = new TreeMap<>();
        used.forEach((k, v) -> out.put(k, Digest.sha256(v)));
        return out;
    }
}
