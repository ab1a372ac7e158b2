package dev.sluice.compile;

import dev.sluice.adapter.Relation;
import dev.sluice.project.ColumnSpec;
import dev.sluice.project.Configs;
import dev.sluice.project.Node;
import dev.sluice.project.NodeType;
import dev.sluice.project.Project;
import dev.sluice.project.SourceTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * dbt's {@code graph} context variable: {@code graph.nodes} and {@code graph.sources} keyed by unique id, each
 * with the keys dbt's manifest gives them (name, resource_type, package_name, path, fqn, config, tags,
 * depends_on, database, schema, alias, columns, ...), read only.
 */
final class GraphVariable {
    private GraphVariable() {
    }

    static Map<String, Object> of(Project project, List<Node> nodes, Function<String, Map<String, Object>> configOf,
                                  Function<String, List<String>> dependsOnOf, Map<String, Relation> relations,
                                  Map<String, SourceTable> sources) {
        Map<String, Object> nodeMap = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (n.type() == NodeType.SOURCE) continue;
            Map<String, Object> config = configOf.apply(n.uniqueId());
            Relation r = relations.get(n.uniqueId());
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("unique_id", n.uniqueId());
            j.put("name", n.name());
            j.put("resource_type", n.type().label());
            j.put("package_name", n.packageName());
            j.put("path", n.file().toString());
            j.put("original_file_path", n.file().toString());
            j.put("fqn", n.fqn());
            j.put("database", r == null ? null : r.database());
            j.put("schema", r == null ? null : r.schema());
            j.put("alias", r == null ? n.name() : r.identifier());
            j.put("identifier", r == null ? n.name() : r.identifier());
            j.put("relation_name", null);
            j.put("config", Collections.unmodifiableMap(new LinkedHashMap<>(config)));
            j.put("tags", Configs.strings(config.get("tags")));
            j.put("meta", config.getOrDefault("meta", Map.of()));
            j.put("description", n.description() == null ? "" : n.description());
            j.put("columns", columns(n.columns()));
            List<String> deps = dependsOnOf.apply(n.uniqueId());
            j.put("depends_on", Map.of("nodes", List.copyOf(deps), "macros", List.of()));
            List<Object> refs = new ArrayList<>();
            for (String d : deps) {
                if (!d.startsWith("source.")) refs.add(Map.of("name", d.substring(d.lastIndexOf('.') + 1)));
            }
            j.put("refs", refs);
            j.put("raw_code", n.rawCode());
            j.put("language", "sql");
            if (n.test() != null) {
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("name", n.test().testName());
                meta.put("kwargs", n.test().args() == null ? Map.of() : n.test().args());
                meta.put("namespace", null);
                j.put("test_metadata", meta);
                j.put("column_name", n.test().columnName());
                j.put("attached_node", n.testedId());
            }
            nodeMap.put(n.uniqueId(), Collections.unmodifiableMap(j));
        }
        Map<String, Object> sourceMap = new LinkedHashMap<>();
        sources.forEach((id, s) -> {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("unique_id", id);
            j.put("name", s.name());
            j.put("source_name", s.sourceName());
            j.put("resource_type", "source");
            j.put("package_name", s.packageName() == null ? project.name() : s.packageName());
            j.put("database", s.database());
            j.put("schema", s.schema());
            j.put("identifier", s.identifier());
            j.put("description", s.description() == null ? "" : s.description());
            j.put("columns", columns(s.columns()));
            j.put("meta", s.meta() == null ? Map.of() : s.meta());
            j.put("fqn", List.of(project.name(), s.sourceName(), s.name()));
            j.put("config", Map.of("enabled", true));
            j.put("tags", List.of());
            sourceMap.put(id, Collections.unmodifiableMap(j));
        });
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("nodes", Collections.unmodifiableMap(nodeMap));
        g.put("sources", Collections.unmodifiableMap(sourceMap));
        g.put("exposures", Map.of());
        g.put("metrics", Map.of());
        g.put("groups", Map.of());
        g.put("semantic_models", Map.of());
        g.put("saved_queries", Map.of());
        return Collections.unmodifiableMap(g);
    }

    private static Map<String, Object> columns(List<ColumnSpec> cols) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (cols == null) return out;
        for (ColumnSpec c : cols) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("name", c.name());
            j.put("description", c.description() == null ? "" : c.description());
            j.put("data_type", c.dataType());
            j.put("meta", c.meta() == null ? Map.of() : c.meta());
            out.put(c.name(), j);
        }
        return out;
    }
}
