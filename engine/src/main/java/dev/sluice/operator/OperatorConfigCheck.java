package dev.sluice.operator;

import dev.sluice.error.EngineException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.KnownKeys;
import dev.sluice.project.Node;
import dev.sluice.project.NodeType;
import dev.sluice.project.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Warnings for config keys of operator nodes that neither the operator nor the engine reads: a misspelt
 * "n_clusters" would otherwise be ignored without a word and the operator would run with its default. dbt warns
 * of unknown config keys rather than failing, and so does the engine for models; operators do the same.
 */
public final class OperatorConfigCheck {
    /** Configs every operator node takes: the engine applies them whatever the operator's type. */
    public static final Set<String> COMMON = Set.of("enabled", "tags", "schema", "meta", "docs", "pre-hook",
            "post-hook", "pre_hook", "post_hook");

    /** Set by the loader from the operator's entry (type:, depends_on:), not by the user under config:. */
    private static final Set<String> INTERNAL = Set.of("operator_type", "depends_on");

    private OperatorConfigCheck() {
    }

    /**
     * One warning per unknown key, at the line where it is written (the operator's schema file, else the
     * project file's operators: tree), with a "did you mean" for a close known key.
     *
     * @param nodes       the project's nodes; only operators of a known type are checked (an unknown type
     *                    is an error of its own when the node runs)
     * @param projectRoot where the nodes' files are, relative paths being taken from there
     * @param projectFile the project file, where +key folder configs of operators are written
     */
    public static List<String> warnings(Operators operators, Collection<Node> nodes, Path projectRoot,
                                        Path projectFile) {
        List<String> out = new ArrayList<>();
        for (Node n : nodes) {
            if (n.type() != NodeType.OPERATOR) continue;
            Operator op = operators.find(String.valueOf(n.config().get("operator_type")));
            if (op == null) continue;
            Set<String> known = new TreeSet<>(op.configKeys());
            known.addAll(COMMON);
            for (String key : n.config().keySet()) {
                if (known.contains(key) || INTERNAL.contains(key)) continue;
                out.add(where(n, key, projectRoot, projectFile) + ": unknown config '" + key + "' of operator '"
                        + n.name() + "' (" + op.type() + "), ignored" + KnownKeys.didYouMean(key, known)
                        + "; it takes: " + String.join(", ", new TreeSet<>(op.configKeys())));
            }
        }
        return out;
    }

    /** The line of key under the operator's config:, or of +key in the project file, or the operator's entry. */
    private static SourceLocation where(Node n, String key, Path root, Path projectFile) {
        SourceLocation entry = new SourceLocation(n.file(), n.lineOffset(), 0);
        try {
            Path file = root.resolve(n.file());
            if (Files.isRegularFile(file)) {
                for (Yaml item : Yaml.load(file, n.file()).get("operators").items("operators")) {
                    if (!item.isMap() || !n.name().equals(item.get("name").string("name", null))) continue;
                    SourceLocation at = item.get("config").keyLocations().get(key);
                    if (at != null) return new SourceLocation(at.file(), at.line(), 0);
                }
            }
            if (projectFile != null && Files.isRegularFile(projectFile)) {
                Yaml project = Yaml.load(projectFile, root.relativize(projectFile));
                SourceLocation inTree = inFolderTree(project.get("operators"), key);
                if (inTree != null) return inTree;
            }
        } catch (EngineException e) {
            // The files parsed when the project loaded; if one changed since, the entry's line still says where.
        }
        return entry;
    }

    private static SourceLocation inFolderTree(Yaml level, String key) {
        if (!level.isMap()) return null;
        Map<String, SourceLocation> keys = level.keyLocations();
        for (Map.Entry<String, Yaml> e : level.entries("operators").entrySet()) {
            Yaml v = e.getValue();
            if (e.getKey().equals("+" + key) || e.getKey().equals(key) && !v.isMap()) {
                SourceLocation at = keys.get(e.getKey());
                return new SourceLocation(at.file(), at.line(), 0);
            }
            SourceLocation deeper = inFolderTree(v, key);
            if (deeper != null) return deeper;
        }
        return null;
    }
}
