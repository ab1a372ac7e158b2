package dev.sluice.project;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML node that remembers its file and line, so that a value of the wrong shape in schema.yml or
 * dbt_project.yml is reported where the user wrote it rather than as a ClassCastException.
 */
public final class Yaml {
    private final Node node;
    private final Path file;

    private Yaml(Node node, Path file) {
        this.node = node;
        this.file = file;
    }

    /** Parses a file; an empty file gives an empty mapping. */
    public static Yaml load(Path file) {
        return load(file, file);
    }

    /** @param display the path errors name, usually relative to the project */
    public static Yaml load(Path file, Path display) {
        return parse(display, TextFiles.read(file, display));
    }

    public static Yaml parse(Path file, String text) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            // SnakeYAML refuses documents over 3 MiB by default; one schema file of a large project is bigger.
            options.setCodePointLimit(Integer.MAX_VALUE);
            Node root = new org.yaml.snakeyaml.Yaml(options).compose(new StringReader(text));
            rejectDuplicateKeys(root, file);
            return new Yaml(root, file);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? e.getContext() + ": " : "";
            throw new ConfigException("invalid YAML: " + context + problem,
                    m == null ? SourceLocation.of(file) : new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1), e);
        } catch (YAMLException e) {
            throw new ConfigException("invalid YAML: " + e.getMessage(), SourceLocation.of(file), e);
        }
    }

    /**
     * compose() keeps every key it reads (the duplicate check lives in SnakeYAML's constructor, which we do not
     * use), so a second "columns:" would silently win. Walked with a stack: no recursion on nesting depth.
     */
    private static void rejectDuplicateKeys(Node root, Path file) {
        java.util.Deque<Node> todo = new java.util.ArrayDeque<>();
        if (root != null) todo.push(root);
        java.util.Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (!seen.add(n)) continue; // anchors and aliases share nodes
            if (n instanceof MappingNode m) {
                java.util.Set<String> keys = new java.util.HashSet<>();
                for (NodeTuple t : m.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k && !k.getTag().equals(Tag.MERGE) && !keys.add(k.getValue())) {
                        Mark at = k.getStartMark();
                        throw new ConfigException("duplicate key '" + k.getValue() + "'",
                                new SourceLocation(file, at.getLine() + 1, at.getColumn() + 1));
                    }
                    todo.push(t.getValueNode());
                }
            } else if (n instanceof SequenceNode s) {
                s.getValue().forEach(todo::push);
            }
        }
    }

    public Path file() {
        return file;
    }

    /**
     * A copy in which each string value holding Jinja ({{ or {%) is rendered, where render says so for its key
     * path (map keys as strings, list positions as integers, from this node down).
     */
    public Yaml rendered(java.util.function.Predicate<List<Object>> render, YamlRenderer renderer) {
        return node == null ? this : new Yaml(rendered(node, new ArrayList<>(), render, renderer), file);
    }

    /** dbt renders YAML natively: a value that renders to True, 3 or 2.5 is that boolean or number. */
    private static Tag nativeTag(String out) {
        String t = out.strip();
        if (t.equals("True") || t.equals("False") || t.equals("true") || t.equals("false")) return Tag.BOOL;
        if (t.matches("-?\\d+")) return Tag.INT;
        if (t.matches("-?\\d+\\.\\d+")) return Tag.FLOAT;
        return Tag.STR;
    }

    private Node rendered(Node n, List<Object> path, java.util.function.Predicate<List<Object>> render, YamlRenderer renderer) {
        if (n instanceof ScalarNode s) {
            String v = s.getValue();
            if (!s.getTag().equals(Tag.STR) || !(v.contains("{{") || v.contains("{%")) || !render.test(path)) return n;
            Mark m = s.getStartMark();
            String out = renderer.render(new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1), v);
            return new ScalarNode(nativeTag(out), out, s.getStartMark(), s.getEndMark(), s.getScalarStyle());
        }
        if (n instanceof MappingNode m) {
            List<NodeTuple> tuples = new ArrayList<>();
            for (NodeTuple t : m.getValue()) {
                Node value = t.getValueNode();
                if (t.getKeyNode() instanceof ScalarNode k) {
                    path.add(k.getValue());
                    value = rendered(value, path, render, renderer);
                    path.remove(path.size() - 1);
                }
                tuples.add(new NodeTuple(t.getKeyNode(), value));
            }
            return new MappingNode(m.getTag(), true, tuples, m.getStartMark(), m.getEndMark(), m.getFlowStyle());
        }
        if (n instanceof SequenceNode sq) {
            List<Node> items = new ArrayList<>();
            for (int k = 0; k < sq.getValue().size(); k++) {
                path.add(k);
                items.add(rendered(sq.getValue().get(k), path, render, renderer));
                path.remove(path.size() - 1);
            }
            return new SequenceNode(sq.getTag(), true, items, sq.getStartMark(), sq.getEndMark(), sq.getFlowStyle());
        }
        return n;
    }

    public SourceLocation location() {
        if (node == null) return SourceLocation.of(file);
        Mark m = node.getStartMark();
        return new SourceLocation(file, m.getLine() + 1, m.getColumn() + 1);
    }

    public boolean isNull() {
        return node == null || (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public boolean isList() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    public ConfigException error(String message) {
        return new ConfigException(message, location());
    }

    /** Entries of a mapping in file order; a null node is an empty mapping. */
    public Map<String, Yaml> entries(String what) {
        Map<String, Yaml> out = new LinkedHashMap<>();
        if (isNull()) return out;
        if (!(node instanceof MappingNode m)) throw error(what + " must be a mapping");
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new Yaml(t.getKeyNode(), file).error("keys in " + what + " must be plain names");
            }
            out.put(k.getValue(), new Yaml(t.getValueNode(), file));
        }
        return out;
    }

    /** Where each key of a mapping is written, so an unknown key can be reported on its own line. */
    public Map<String, SourceLocation> keyLocations() {
        Map<String, SourceLocation> out = new LinkedHashMap<>();
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    Mark mark = k.getStartMark();
                    out.put(k.getValue(), new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1));
                }
            }
        }
        return out;
    }

    /** Child of a mapping, or a null node when absent. */
    public Yaml get(String key) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return new Yaml(t.getValueNode(), file);
                }
            }
        }
        return new Yaml(null, file);
    }

    public boolean has(String key) {
        return !get(key).isNull();
    }

    /** Items of a sequence; a null node is an empty list. */
    public List<Yaml> items(String what) {
        List<Yaml> out = new ArrayList<>();
        if (isNull()) return out;
        if (!(node instanceof SequenceNode s)) throw error(what + " must be a list");
        for (Node n : s.getValue()) out.add(new Yaml(n, file));
        return out;
    }

    public String string(String what) {
        if (isNull()) return null;
        if (!(node instanceof ScalarNode s)) throw error(what + " must be a single value");
        return s.getValue();
    }

    public String string(String what, String fallback) {
        String s = string(what);
        return s == null ? fallback : s;
    }

    /** The plain Java value: String, Long, Double, Boolean, null, List or Map (insertion-ordered). */
    public Object value() {
        if (isNull()) return null;
        if (node instanceof ScalarNode s) {
            String v = s.getValue();
            Tag tag = s.getTag();
            if (tag.equals(Tag.INT)) {
                try {
                    return Long.parseLong(v.replace("_", ""));
                } catch (NumberFormatException e) {
                    return v;
                }
            }
            if (tag.equals(Tag.FLOAT)) {
                try {
                    return Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    return v;
                }
            }
            if (tag.equals(Tag.BOOL)) return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on");
            return v;
        }
        if (node instanceof SequenceNode) {
            List<Object> out = new ArrayList<>();
            for (Yaml y : items("list")) out.add(y.value());
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        entries("mapping").forEach((k, v) -> out.put(k, v.value()));
        return out;
    }
}
